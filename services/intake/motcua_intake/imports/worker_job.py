"""The intake worker's periodic job: apply the parts of staged imports in the background.

Periodic jobs run in the consumer's loop, between deliveries: a long run would hold intake's events
back. So each run is time-boxed (at least one part, then parts until RUN_SECONDS are spent) and runs
again EVERY_SECONDS after it started: about half the worker's time goes to an import in progress, and a
66,572-dossier year is in within minutes while the desk's events keep flowing. An import interrupted
(a crash, a restart) is simply continued by the next run.
"""
from __future__ import annotations

import logging

from motcua_shared.messaging import PeriodicJob
from motcua_shared.service import Runtime

from ..desk import Desk
from .applying import apply_pending

log = logging.getLogger("motcua.intake.imports")
EVERY_SECONDS = 4.0
RUN_SECONDS = 2.0


def job(runtime: Runtime) -> PeriodicJob:
    desk = Desk.from_settings(runtime.settings, outbox=runtime.outbox)
    part_size = runtime.settings.intake_import_part_size

    def run(sessions) -> None:
        parts = apply_pending(sessions, desk, part_size=part_size, budget_seconds=RUN_SECONDS)
        if parts:
            log.debug("import_parts_applied", extra={"parts": parts})

    return PeriodicJob("import_apply", EVERY_SECONDS, run)
