"""What a service is made of (its spec) and the objects one of its processes runs with (its runtime).

Each service package declares a `ServiceSpec`; the shared command line, app factory and worker turn
it into processes. This is the composition root: nothing is built at import time.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Callable, Mapping

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import sessionmaker

from . import __version__, production
from .broker.catalogue import accepted_types, consumed_queues, events_exchange, service_topology
from .broker.topology import Topology
from .db import make_engine, session_factory
from .messaging import Outbox, OutboxStore, PeriodicJob
from .messaging.consumer import Handler
from .settings import COMMON, Setting, Settings, load
from .workcal import VIETNAM_TZ, missing_years

log = logging.getLogger("motcua.calendar")


def install_calendar(settings: Settings) -> None:
    """Check the reference set (shipped files, MOTCUA_REFERENCE_DIR, the yearly calendar files of
    MOTCUA_CALENDAR_DIR) before the process does anything: a bad set stops it with every file, line and
    problem named, never a half-loaded one (motcua_shared.reference.sets). Also warns when a year around
    now has no file, and when a province setting is still given by its former name."""
    from .reference.current import install_base
    from .reference.sets import InvalidReferenceSet, from_directory

    try:
        install_base(from_directory(getattr(settings, "motcua_reference_dir", "") or None,
                                    getattr(settings, "motcua_calendar_dir", "") or None))
    except InvalidReferenceSet as exc:
        raise SystemExit(f"motcua: invalid reference data, the service does not start:\n{exc}") from None
    for setting in COMMON:
        for alias in setting.deprecated_aliases:
            if os.environ.get(alias) and not os.environ.get(setting.name):
                log.warning("setting_deprecated", extra={"setting": alias, "replaced_by": setting.name})
    year = datetime.now(VIETNAM_TZ).year
    missing = missing_years((year, year + 1))
    if missing:
        log.warning("calendar_year_not_loaded", extra={
            "years": missing, "detail": "no official schedule file: deadlines of these years use the statutory "
                                        "fallback (holidays package) without the decreed swaps"})


@dataclass
class ServiceSpec:
    name: str
    title: str
    description: str
    metadata: MetaData
    migrations: Path
    blueprints: Callable[[], list] = list
    handlers: Callable[[], Mapping[str, Handler]] = dict
    periodic: Callable[["Runtime"], list[PeriodicJob]] = lambda runtime: []
    seed: Callable[["Runtime"], None] | None = None
    settings: tuple[Setting, ...] = ()
    # Topology that depends on settings (e.g. routing's local-step bindings from ROUTING_LOCAL_UNITS):
    # returns the extra objects to declare and the extra queues to consume.
    extra_topology: Callable[[Settings], tuple[Topology, list[str]]] | None = None
    # Event types accepted on queues a partner can write to (beyond those in broker/catalogue.py).
    queue_accepts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    version: str = __version__

    @property
    def outbox_table(self) -> Table:
        return self.metadata.tables["outbox"]

    @property
    def inbox_table(self) -> Table:
        return self.metadata.tables["inbox"]


@dataclass
class Runtime:
    spec: ServiceSpec
    settings: Settings = None  # type: ignore[assignment]
    extras: dict = field(default_factory=dict)
    pre_ping: bool = True  # workers set False: see db.make_engine
    # migrate and seed never touch the broker: compose gives them no broker credentials to check.
    uses_broker: bool = True

    def __post_init__(self):
        if self.settings is None:
            self.settings = load(self.spec.name, self.spec.settings)
        production.check(self.settings, broker=self.uses_broker)  # MOTCUA_ENV=production: no published secret gets this far
        install_calendar(self.settings)

    @cached_property
    def engine(self):
        return make_engine(self.settings.database_url, pre_ping=self.pre_ping)

    @cached_property
    def sessions(self) -> sessionmaker:
        return session_factory(self.engine)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self.spec.outbox_table, exchange=events_exchange(self.spec.name))

    def outbox_store(self, relay_id: str) -> OutboxStore:
        return OutboxStore(self.engine, self.spec.outbox_table, relay_id=relay_id)

    @cached_property
    def _extra(self) -> tuple[Topology, list[str]]:
        return self.spec.extra_topology(self.settings) if self.spec.extra_topology else (Topology(), [])

    @cached_property
    def topology(self) -> Topology:
        return service_topology(self.spec.name, self.settings.consumer_retry_delays) + self._extra[0]

    @property
    def queues(self) -> list[str]:
        return consumed_queues(self.spec.name) + self._extra[1]

    @property
    def accepted_types(self) -> dict[str, frozenset[str]]:
        return {**accepted_types(self.spec.name), **self.spec.queue_accepts}

    @cached_property
    def reference(self):
        """Keeps this process on the newest reference set stored in the service's database, or None for a
        service that stores none (the console). See motcua_shared.reference.store."""
        from .reference.store import TABLE, Refresher

        table = self.spec.metadata.tables.get(TABLE)
        if table is None:
            return None
        return Refresher(self.engine, table, getattr(self.settings, "motcua_reference_refresh_seconds", 10.0))

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
