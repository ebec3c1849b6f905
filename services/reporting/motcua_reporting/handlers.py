"""Reporting stores every event it consumes, whatever its type, and projects counters from them."""
from datetime import datetime, timezone

from sqlalchemy import insert, literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from motcua_shared.events import Event, registry

from .models import counters, event_store


def store_and_count(session: Session, event: Event) -> None:
    session.execute(insert(event_store).values(
        event_id=event.id, type=event.type, source=event.source, subject=event.subject,
        time=datetime.fromisoformat(event.time), data=event.data, stored_at=datetime.now(timezone.utc)))
    dialect_insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(dialect_insert(counters).values(name=event.type, value=1).on_conflict_do_update(
        index_elements=["name"], set_={"value": counters.c.value + literal_column("1")}))


class _EveryType(dict):
    """Reporting keeps every event type of the catalogue, present and future."""

    def get(self, key, default=None):
        return store_and_count if registry.is_known(key) else default


HANDLERS = _EveryType()
