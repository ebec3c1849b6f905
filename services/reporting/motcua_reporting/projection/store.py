"""Apply consumed events to the dossier projection, inside the consumer's transaction.

One way to project, for one live event as for the thousand or so events of an imported part
(`apply_entries`): the new entries go to the timeline in one batch; only the dossiers that got one
are recomputed, from their whole timelines (read in one query), and written back in one batch.

Two deliveries about the same dossier may be handled at once (several workers, a rebuild, or a part
and a live event for one of its dossiers): the dossiers' rows are locked before their timelines are
read, so the second waits for the first to commit and then folds a timeline that includes it. The
row is recomputed from the whole timeline, so it does not matter which of them commits first. Rows
are locked in the order of their codes, so a part (many rows) and a live event (one row) never wait
for each other in a circle.

Intake's calendar changes go to reporting's copy of the province's calendar, with which handling
times are measured; they change no dossier row already written.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Iterable, NamedTuple, Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert
from motcua_shared.events import registry
from motcua_shared.events.catalogue.calendar import CALENDAR_CHANGED
from motcua_shared.events.catalogue.history import HISTORY_IMPORTED
from motcua_shared.province_calendar import CalendarCopy
from motcua_shared.workcal import WorkingCalendar

from ..models import calendar_overrides, dossier_timeline, dossiers
from . import dossier, imported
from .timeline import Entry, entry_from_event

# Keys per IN list (PostgreSQL takes at most 65,535 parameters in a statement).
KEYS = 5000

_calendar = CalendarCopy(calendar_overrides)
_ROW_COLUMNS = [column.name for column in dossiers.c if column.name != "code"]

# The statements every event runs, built once with their keys as parameters (an "expanding" IN list
# takes any number of keys): building them per event, with the values inlined, cost SQLAlchemy a new
# statement and a new cache key each time. The inserts depend on the dialect (_upserts).
_LOCK_ROWS = (select(dossiers.c.code).where(dossiers.c.code.in_(bindparam("codes", expanding=True)))
              .order_by(dossiers.c.code).with_for_update())
_TIMELINES = select(dossier_timeline).where(dossier_timeline.c.code.in_(bindparam("codes", expanding=True)))
_KNOWN_ENTRIES = select(dossier_timeline.c.event_id).where(
    dossier_timeline.c.event_id.in_(bindparam("ids", expanding=True)))


class _Upserts(NamedTuple):
    placeholder: object  # a dossier's row if it has none yet (to lock it)
    row: object  # a dossier's row, written over by its recomputed values
    entry: object  # a timeline entry, skipped when its event id is there already
    entry_returning: object  # the same, RETURNING the id when it was new


@cache
def _upserts(insert) -> _Upserts:
    """The inserts with ON CONFLICT for one dialect's `insert`, built once."""
    rows = insert(dossiers)
    entry = insert(dossier_timeline).on_conflict_do_nothing(index_elements=["event_id"])
    return _Upserts(
        placeholder=rows.on_conflict_do_nothing(index_elements=["code"]),
        row=rows.on_conflict_do_update(index_elements=["code"],
                                       set_={name: rows.excluded[name] for name in _ROW_COLUMNS}),
        entry=entry, entry_returning=entry.returning(dossier_timeline.c.event_id))


def calendar(session: Session) -> WorkingCalendar:
    """The statutory calendar with the days off and working days the province declared at intake."""
    return _calendar.calendar(session)


def apply_calendar_change(session: Session, data: dict) -> None:
    _calendar.apply(session, registry.load_data(CALENDAR_CHANGED, data))


def apply(session: Session, event_id: str, event_type: str, data: dict) -> None:
    if event_type == CALENDAR_CHANGED:
        apply_calendar_change(session, data)
        return
    if event_type == HISTORY_IMPORTED:
        apply_entries(session, imported.entries(data))
        return
    entry = entry_from_event(event_id, event_type, data)
    if entry is not None:
        apply_entries(session, [entry])


def apply_entries(session: Session, entries: Sequence[Entry]) -> int:
    """Add the entries to the timeline (those already there are skipped) and recompute the row of
    every dossier that got a new one. Returns how many dossiers were recomputed."""
    added = _add_to_timeline(session, entries)
    codes = sorted({entry.code for entry in entries if entry.event_id in added})
    if not codes:
        return 0  # every entry was already on the timeline: the rows already count them
    cal = calendar(session)
    upserts = _upserts(dialect_insert(session))
    # A row to lock for every dossier (the ones not there yet as placeholders), in the order of the codes.
    session.execute(upserts.placeholder, [dossier.project(code, [], calendar=cal) for code in codes])
    for chunk in _chunks(codes, KEYS):
        session.execute(_LOCK_ROWS, {"codes": chunk})
    timelines = load_timelines(session, codes)
    session.execute(upserts.row, [dossier.project(code, timelines[code], calendar=cal) for code in codes])
    return len(codes)


def load_timeline(session: Session, code: str) -> list[Entry]:
    return load_timelines(session, [code])[code]


def load_timelines(session: Session, codes: Sequence[str]) -> dict[str, list[Entry]]:
    found: dict[str, list[Entry]] = defaultdict(list)
    for chunk in _chunks(codes, KEYS):
        for row in session.execute(_TIMELINES, {"codes": chunk}):
            found[row.code].append(Entry.from_row(row))
    return found


def _add_to_timeline(session: Session, entries: Iterable[Entry]) -> set[str]:
    """The ids of the entries that were not on the timeline yet.

    Many rows go as one executemany (psycopg sends them in one pipeline): measured on a part of 500
    dossiers, a fourth of the time of multi-row VALUES pages, which PostgreSQL parses as statements of
    thousands of parameters. The ids already there are read first, as RETURNING would need the pages.
    An id another transaction adds meanwhile makes the insert wait for it and skip the row; its dossier
    is then merely recomputed once more. Written in the order of their codes, so two writers of
    overlapping entries (a part published again after a crash) queue rather than deadlock."""
    rows = sorted((entry.as_row() for entry in entries), key=lambda row: (row["code"], row["event_id"]))
    upserts = _upserts(dialect_insert(session))
    if len(rows) == 1:  # a live event: the insert itself says whether it was new
        return set(session.execute(upserts.entry_returning, rows[0]).scalars())
    known: set[str] = set()
    for chunk in _chunks([row["event_id"] for row in rows], KEYS):
        known.update(session.execute(_KNOWN_ENTRIES, {"ids": chunk}).scalars())
    new = [row for row in rows if row["event_id"] not in known]
    if new:
        session.execute(upserts.entry, new)
    return {row["event_id"] for row in new}


def _chunks(items: Sequence, size: int):
    for first in range(0, len(items), size):
        yield items[first:first + size]
