"""The province's working calendar as the services other than intake keep it.

Intake owns the override table a province administrator edits (days off, make-up working days) and
publishes every change as `vn.motcua.calendar.changed`. Routing computes step deadlines and pauses,
and reporting a dossier's clock, with the same calendar, so each keeps a copy of the declarations in
its own database (`calendar_overrides`, built by `apply`) and computes with
`WorkingCalendar(overrides=...)` like intake does. Without any declaration the copy is the official
calendar (the yearly schedule files, `motcua_shared.workcal.official`), which is also what intake seeds
its table with. Office hours and the reception cut-off are the province's settings
(MOTCUA_OFFICE_HOURS, MOTCUA_RECEPTION_CUTOFF), read from the environment like every setting, so the
three services compute with the same office day.

Each process caches the calendar per database for `cache_seconds` and drops it at once when it applies
a change itself; the other processes of the service see the change when their copy expires. Deadlines
already computed do not move, as at intake.
"""
from __future__ import annotations

import os
import threading
import time
from datetime import datetime, time as clock_time
from typing import Any, Callable, Mapping

from sqlalchemy import BigInteger, Column, Date, MetaData, String, Table, select
from sqlalchemy.orm import Session

from .db import dialect_insert
from .settings import COMMON
from .workcal import CalendarOverride, OfficeHours, OverrideKind, WorkingCalendar, parse_cutoff

TABLE = "calendar_overrides"
DEFAULT_CACHE_SECONDS = 30.0


def overrides_table(metadata: MetaData) -> Table:
    return Table(
        TABLE, metadata,
        Column("day", Date, primary_key=True),
        # day_off / working_day, or NULL: the declaration was removed (kept so an older change arriving
        # late cannot bring it back).
        Column("kind", String(20), nullable=True),
        Column("note", String(300), nullable=True),
        # Microseconds since the epoch of intake's `changed_at`: compared the same way by both dialects.
        Column("changed_at_us", BigInteger, nullable=False),
    )


def province_office(environ: Mapping[str, str] | None = None) -> tuple[OfficeHours, clock_time | None]:
    """The province's office hours and reception cut-off (MOTCUA_OFFICE_HOURS, MOTCUA_RECEPTION_CUTOFF)."""
    env = os.environ if environ is None else environ
    setting = {s.name: s for s in COMMON}
    return (OfficeHours.parse(setting["MOTCUA_OFFICE_HOURS"].read(env)),
            parse_cutoff(setting["MOTCUA_RECEPTION_CUTOFF"].read(env)))


def province_calendar(overrides, environ: Mapping[str, str] | None = None) -> WorkingCalendar:
    """The calendar every service computes with: the province's office day, cut-off and declarations."""
    office_hours, cutoff = province_office(environ)
    return WorkingCalendar(office_hours=office_hours, cutoff=cutoff, overrides=overrides)


def _micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("changed_at must be timezone-aware")
    return round(moment.timestamp() * 1_000_000)


def apply(session: Session, table: Table, data: dict[str, Any]) -> bool:
    """Keep one change (the `data` of a calendar.changed event, loaded); False when a later one is kept."""
    row = {"day": data["day"], "kind": data["kind"], "note": data["note"], "changed_at_us": _micros(data["changed_at"])}
    insert = dialect_insert(session)(table)
    kept = session.execute(insert.values(**row).on_conflict_do_update(
        index_elements=["day"], set_={key: insert.excluded[key] for key in ("kind", "note", "changed_at_us")},
        where=table.c.changed_at_us < insert.excluded.changed_at_us).returning(table.c.day)).first()
    return kept is not None


def declared(session: Session, table: Table) -> list[CalendarOverride]:
    rows = session.execute(select(table.c.day, table.c.kind, table.c.note).where(table.c.kind.is_not(None)))
    return [CalendarOverride(day, OverrideKind(kind), note or "") for day, kind, note in rows]


class CalendarCopy:
    """The calendar of one service's copy, cached per database (a test process opens many)."""

    def __init__(self, table: Table, *, cache_seconds: float = DEFAULT_CACHE_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.table = table
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: dict[str, tuple[float, WorkingCalendar]] = {}

    def calendar(self, session: Session) -> WorkingCalendar:
        key = _database(session)
        with self._lock:
            hit = self._cached.get(key)
            if hit and self._clock() - hit[0] < self.cache_seconds:
                return hit[1]
        built = province_calendar(declared(session, self.table))
        with self._lock:
            self._cached[key] = (self._clock(), built)
        return built

    def around_day_off(self, session: Session, day) -> tuple[WorkingCalendar, WorkingCalendar]:
        """The copy's calendar with `day` a working day, and with it a day off: what a rescheduling
        compares. Built from the declarations themselves, so it does not matter whether the
        `calendar.changed` of that day has been applied yet (the two events may arrive in any order)."""
        others = [override for override in declared(session, self.table) if override.day != day]
        return (province_calendar([*others, CalendarOverride(day, OverrideKind.WORKING_DAY)]),
                province_calendar([*others, CalendarOverride(day, OverrideKind.DAY_OFF)]))

    def apply(self, session: Session, data: dict[str, Any]) -> bool:
        kept = apply(session, self.table, data)
        # Dropped before the commit: a calendar built meanwhile from the old rows expires at the latest
        # after cache_seconds, like in the service's other processes.
        self.invalidate(session)
        return kept

    def invalidate(self, session: Session | None = None) -> None:
        with self._lock:
            if session is None:
                self._cached.clear()
            else:
                self._cached.pop(_database(session), None)


def _database(session: Session) -> str:
    return session.get_bind().url.render_as_string(hide_password=True)

