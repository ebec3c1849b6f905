"""The province's working calendar as the services other than intake keep it.

Intake owns the override table a province administrator edits (days off, make-up working days) and
publishes every change as `vn.motcua.calendar.changed`. Routing computes step deadlines and pauses,
and reporting a dossier's clock, with the same calendar, so each keeps a copy of the declarations in
its own database (`calendar_overrides`, built by `apply`) and computes with
`WorkingCalendar(overrides=...)` like intake does. Without any declaration the copy is the statutory
calendar (the `holidays` package, then the weekend), which is also what intake seeds its table with.

Each process caches the calendar per database for `cache_seconds` and drops it at once when it applies
a change itself; the other processes of the service see the change when their copy expires. Deadlines
already computed do not move, as at intake.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import BigInteger, Column, Date, MetaData, String, Table, select
from sqlalchemy.orm import Session

from .db import dialect_insert
from .workcal import CalendarOverride, OverrideKind, WorkingCalendar

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
        built = WorkingCalendar(overrides=declared(session, self.table))
        with self._lock:
            self._cached[key] = (self._clock(), built)
        return built

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

