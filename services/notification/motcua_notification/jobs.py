"""The notification worker's periodic jobs, beside its event consumer: delivery and the ledger sweep."""
from __future__ import annotations

from motcua_shared.messaging import PeriodicJob
from motcua_shared.service import Runtime

from . import providers
from .clock import system_clock
from .delivery.dispatcher import Dispatcher
from .delivery.sweeps import sweep
from .options import Options

SWEEP_EVERY_SECONDS = 300


def periodic(runtime: Runtime) -> list[PeriodicJob]:
    options = Options.from_settings(runtime.settings)
    clock = system_clock(options.clock_offset)
    dispatcher = Dispatcher(outbox=runtime.outbox, providers=providers.build(runtime.settings), options=options,
                            clock=clock)
    return [
        PeriodicJob("notification_delivery", runtime.settings.notification_delivery_interval, dispatcher.tick),
        PeriodicJob("notification_sweep", SWEEP_EVERY_SECONDS,
                    lambda sessions: sweep(sessions, runtime.outbox, options, clock())),
    ]
