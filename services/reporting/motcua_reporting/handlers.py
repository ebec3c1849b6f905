"""Reporting stores every event it consumes, whatever its type, and projects from it.

The inbox already skips a redelivered event; the event store's key skips one redelivered after the
inbox forgot it (the inbox is purged after 30 days), so a late duplicate changes nothing either.
A bulk import's part (`history.imported`) is stored and counted whole, as one event, and projected
as the dossier events it holds (`projection.imported`): the rebuild re-expands it from the store.

The store keeps what the statistics need and nothing of the citizen: names, telephones, e-mails and
addresses are taken out before an event is stored (motcua_shared.events.personal), and the live
projection reads the same stripped data, so a rebuild from the store gives exactly the live figures.
"""
from datetime import datetime, timezone
from functools import cache
from typing import NamedTuple

from sqlalchemy import literal_column
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert
from motcua_shared.events import Event, registry
from motcua_shared.events.catalogue.reference import REFERENCE_CHANGED
from motcua_shared.events.personal import without_personal
from motcua_shared.reference.store import announcement_handler

from .models import counters, event_store, reference_sets
from .projection import store


def store_and_project(session: Session, event: Event) -> None:
    data = without_personal(event.type, event.data)
    if store_event(session, event, data):
        store.apply(session, event.id, event.type, data)


def store_event(session: Session, event: Event, data: dict | None = None) -> bool:
    """Keep the event (without its personal fields) and count it; False when it was already stored."""
    if data is None:
        data = without_personal(event.type, event.data)
    statements = _statements(dialect_insert(session))
    stored = session.execute(statements.store, {
        "event_id": event.id, "type": event.type, "source": event.source, "subject": event.subject,
        "time": datetime.fromisoformat(event.time), "data": data, "stored_at": datetime.now(timezone.utc)}).first()
    if stored is None:
        return False
    session.execute(statements.count, {"name": event.type, "value": 1})
    return True


class _Statements(NamedTuple):
    store: object  # insert into the event store, skipping a known id; RETURNING the id when it was new
    count: object  # one more in the event type's counter


@cache
def _statements(insert) -> _Statements:
    """Built once per dialect's `insert`, the values given at execution. Built per event with the values
    inlined, SQLAlchemy built each statement and computed its cache key again every time (with the
    projection's statements, projection/store.py, half of the handler's CPU); a statement kept keeps its key."""
    return _Statements(
        store=insert(event_store).on_conflict_do_nothing(index_elements=["event_id"])
        .returning(event_store.c.event_id),
        count=insert(counters).on_conflict_do_update(
            index_elements=["name"], set_={"value": counters.c.value + literal_column("1")}))


_keep_reference_set = announcement_handler(reference_sets)


def store_reference_set(session: Session, event: Event) -> None:
    """Stored like every event, and kept as the reference set the statistics use (docs/reference-data.md)."""
    store_and_project(session, event)
    _keep_reference_set(session, event)


class _EveryType(dict):
    """Reporting keeps every event type of the catalogue, present and future."""

    def get(self, key, default=None):
        if key == REFERENCE_CHANGED:
            return store_reference_set
        return store_and_project if registry.is_known(key) else default


HANDLERS = _EveryType()
