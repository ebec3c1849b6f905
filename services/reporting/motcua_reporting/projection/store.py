"""Apply one consumed event to the dossier projection, inside the consumer's transaction.

Two deliveries about the same dossier may be handled at once (several workers, or a rebuild): the
dossier's row is locked before its timeline is read, so the second waits for the first to commit
and then folds a timeline that includes it. The row is recomputed from the whole timeline, so it
does not matter which of them commits first.
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import dossier_timeline, dossiers
from . import dossier
from .timeline import Entry, entry_from_event


def dialect_insert(session: Session):
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def apply(session: Session, event_id: str, event_type: str, data: dict) -> None:
    entry = entry_from_event(event_id, event_type, data)
    if entry is None:
        return
    added = session.execute(dialect_insert(session)(dossier_timeline).values(**entry.as_row())
                            .on_conflict_do_nothing(index_elements=["event_id"])
                            .returning(dossier_timeline.c.event_id)).first()
    if added is None:
        return  # this event is already on the timeline
    session.execute(dialect_insert(session)(dossiers).values(**dossier.project(entry.code, []))
                    .on_conflict_do_nothing(index_elements=["code"]))
    session.execute(select(dossiers.c.code).where(dossiers.c.code == entry.code).with_for_update())
    session.execute(update(dossiers).where(dossiers.c.code == entry.code)
                    .values(**dossier.project(entry.code, load_timeline(session, entry.code))))


def load_timeline(session: Session, code: str) -> list[Entry]:
    rows = session.execute(select(dossier_timeline).where(dossier_timeline.c.code == code))
    return [Entry.from_row(row) for row in rows]
