"""Apply one consumed event to the dossier projection, inside the consumer's transaction.

Two deliveries about the same dossier may be handled at once (several workers, or a rebuild): the
dossier's row is locked before its timeline is read, so the second waits for the first to commit
and then folds a timeline that includes it. The row is recomputed from the whole timeline, so it
does not matter which of them commits first.

Intake's calendar changes go to reporting's copy of the province's calendar, with which handling
times are measured; they change no dossier row already written.
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert
from motcua_shared.events import registry
from motcua_shared.events.catalogue.calendar import CALENDAR_CHANGED
from motcua_shared.province_calendar import CalendarCopy
from motcua_shared.workcal import WorkingCalendar

from ..models import calendar_overrides, dossier_timeline, dossiers
from . import dossier
from .timeline import Entry, entry_from_event


_calendar = CalendarCopy(calendar_overrides)


def calendar(session: Session) -> WorkingCalendar:
    """The statutory calendar with the days off and working days the province declared at intake."""
    return _calendar.calendar(session)


def apply_calendar_change(session: Session, data: dict) -> None:
    _calendar.apply(session, registry.load_data(CALENDAR_CHANGED, data))


def apply(session: Session, event_id: str, event_type: str, data: dict) -> None:
    if event_type == CALENDAR_CHANGED:
        apply_calendar_change(session, data)
        return
    entry = entry_from_event(event_id, event_type, data)
    if entry is None:
        return
    added = session.execute(dialect_insert(session)(dossier_timeline).values(**entry.as_row())
                            .on_conflict_do_nothing(index_elements=["event_id"])
                            .returning(dossier_timeline.c.event_id)).first()
    if added is None:
        return  # this event is already on the timeline
    cal = calendar(session)
    session.execute(dialect_insert(session)(dossiers).values(**dossier.project(entry.code, [], calendar=cal))
                    .on_conflict_do_nothing(index_elements=["code"]))
    session.execute(select(dossiers.c.code).where(dossiers.c.code == entry.code).with_for_update())
    session.execute(update(dossiers).where(dossiers.c.code == entry.code)
                    .values(**dossier.project(entry.code, load_timeline(session, entry.code), calendar=cal)))


def load_timeline(session: Session, code: str) -> list[Entry]:
    rows = session.execute(select(dossier_timeline).where(dossier_timeline.c.code == code))
    return [Entry.from_row(row) for row in rows]
