"""The pieces of one batch transaction of the consumer (consumer.py `_drain`): which deliveries are
first-time events, in one statement, and how the batch is acknowledged once it has committed.

A batch trades round trips for nothing the guarantees depend on: the inbox rows and every handler's
writes of the batch commit together or not at all, and no delivery is acknowledged before that commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from sqlalchemy import Table, delete, tuple_
from sqlalchemy.orm import Session

from ..db import core_connection, dialect_insert
from ..events import Event

if TYPE_CHECKING:  # consumer.py imports this module
    from .consumer import Delivery


@dataclass
class Screened:
    """A delivery whose body parsed into an event of a type its queue accepts: ready for a handler."""

    delivery: "Delivery"
    event: Event
    outcome: str = ""  # processed, duplicate or ignored, once the batch transaction has decided it
    handler_seconds: float = 0.0

    @property
    def key(self) -> tuple[str, str]:
        return self.delivery.queue, self.event.id


@lru_cache(maxsize=None)
def _insert_once(inbox: Table, insert):
    # Built once per (inbox table, dialect's insert), values as parameters: SQLAlchemy neither rebuilds nor
    # re-keys it per batch. RETURNING, not rowcount, says which rows were new: ON CONFLICT DO NOTHING
    # returns none for the others (and ORM-level execution reports no rowcount for INSERT).
    return insert(inbox).on_conflict_do_nothing().returning(inbox.c.queue, inbox.c.event_id)


def inbox_insert(session: Session, inbox: Table):
    """The inbox's insert-once statement for the database behind `session`; execute it with row dicts."""
    return _insert_once(inbox, dialect_insert(session))


def first_times(session: Session, inbox: Table, consumer: str, items: Sequence[Screened]) -> list[bool]:
    """Insert the batch's inbox rows in one statement; for each item, whether its event is new.

    An id already in the inbox, or repeated earlier in the same batch on the same queue (a redelivery
    that overtook its original's ack), is a duplicate: its work is done, or is being done in this very
    transaction by the first occurrence."""
    seen: set[tuple[str, str]] = set()
    rows = []
    now = datetime.now(timezone.utc)
    for item in items:
        if item.key in seen:
            continue
        seen.add(item.key)
        rows.append({"consumer": consumer, "queue": item.delivery.queue, "event_id": item.event.id,
                     "event_type": item.event.type, "processed_at": now})
    # In key order: two workers of a service inserting the same redelivered ids lock them in the same
    # order, so they wait for each other instead of deadlocking.
    rows.sort(key=lambda row: (row["queue"], row["event_id"]))
    # One multi-row VALUES statement (an executemany with RETURNING is sent as such by SQLAlchemy's
    # insertmanyvalues): one round trip for the whole batch.
    # On the session's connection, in its transaction (db.core_connection): no ORM execution path.
    inserted = {(row.queue, row.event_id)
                for row in core_connection(session).execute(inbox_insert(session, inbox), rows)}
    firsts = []
    for item in items:
        firsts.append(item.key in inserted)
        inserted.discard(item.key)  # a second occurrence in the batch is a duplicate of the first
    return firsts


def forget(session: Session, inbox: Table, consumer: str, items: Sequence[Screened]) -> None:
    """Take back the inbox rows this transaction wrote for `items`, which the batch leaves unhandled (it
    was cut short before them), so that they are handled, not skipped as duplicates, when their
    deliveries come round again."""
    if items:
        session.execute(delete(inbox).where(inbox.c.consumer == consumer,
                                            tuple_(inbox.c.queue, inbox.c.event_id).in_([i.key for i in items])))


def after_commit_listeners(session: Session) -> int:
    """How many callbacks wait for this session's commit. A handler that adds one defers work to the
    commit (reference/store.py installs a new reference set then): the events behind it must see that
    work done, as they would have one transaction per event, so the batch ends with that handler."""
    return len(session.dispatch.after_commit)


def acknowledge(channel, deliveries: Sequence["Delivery"]) -> None:
    """Acknowledge committed deliveries: one `multiple` ack when their tags are consecutive, else one each.

    Consecutive tags mean no delivery between them was acknowledged on its own (a dead letter), and
    the consumer acknowledges deliveries in tag order, so every tag below the first is acknowledged
    already: a multiple ack up to the last covers exactly these. Acknowledging a tag twice would close
    the channel (PRECONDITION_FAILED) and have the broker redeliver the lot."""
    tags = [delivery.method.delivery_tag for delivery in deliveries]
    if not tags:
        return
    if len(tags) > 1 and tags == list(range(tags[0], tags[0] + len(tags))):
        channel.basic_ack(tags[-1], multiple=True)
        return
    for tag in tags:
        channel.basic_ack(tag)
