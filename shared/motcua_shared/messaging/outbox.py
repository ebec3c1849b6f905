"""Writing events into the outbox, and the relay's claim / mark / release / purge queries.

`Outbox.add` is the only way a service publishes: it inserts the event in the caller's transaction,
so an event exists if and only if the state change that caused it was committed.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Sequence

from sqlalchemy import Table, and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .. import tracing
from ..db import is_sqlite
from ..events import Event


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    event_id: str
    event_type: str
    exchange: str
    routing_key: str
    body: bytes
    correlation_id: str
    attempts: int
    traceparent: str | None = None
    tracestate: str | None = None


class Outbox:
    def __init__(self, table: Table, *, exchange: str):
        self.table = table
        self.exchange = exchange

    def add(self, session: Session, event: Event, *, exchange: str | None = None, routing_key: str | None = None) -> None:
        """Queue `event` for publishing when (and only if) the session's transaction commits.

        Default: the service's own topic exchange with the event type as routing key (style.md item 12).
        """
        self.add_all(session, [(event, exchange, routing_key)])

    def add_all(self, session: Session, events: Sequence[tuple[Event, str | None, str | None]]) -> None:
        """`add` for many (event, exchange, routing key) at once, in one multi-row INSERT: what a bulk
        import's part publishes (hundreds of events) costs one round trip, not hundreds."""
        if not events:
            return
        now = _now()
        # The span in hand (the request's, the consumed event's) goes into each event: its consumers continue
        # the trace. An event that already names one keeps it.
        traceparent, tracestate = tracing.current_trace()
        if traceparent:
            events = [(event if event.traceparent else replace(event, traceparent=traceparent, tracestate=tracestate),
                       exchange, routing_key) for event, exchange, routing_key in events]
        session.execute(insert(self.table), [{
            "event_id": event.id, "event_type": event.type, "exchange": exchange or self.exchange,
            "routing_key": routing_key or event.type, "body": event.to_json(), "correlation_id": event.correlationid,
            "created_at": now, "available_at": now, "attempts": 0, "traceparent": event.traceparent,
            "tracestate": event.tracestate} for event, exchange, routing_key in events])


class OutboxStore:
    """The relay's side of the table. Each method is its own short transaction."""

    def __init__(self, engine: Engine, table: Table, *, relay_id: str):
        self.engine = engine
        self.table = table
        self.relay_id = relay_id
        self._sqlite = is_sqlite(engine)

    def claim(self, limit: int, lease: timedelta) -> list[OutboxRow]:
        t = self.table
        now = _now()
        due = and_(t.c.sent_at.is_(None), t.c.available_at <= now,
                   or_(t.c.claimed_until.is_(None), t.c.claimed_until < now))
        candidates = select(t.c.id).where(due).order_by(t.c.id).limit(limit)
        if not self._sqlite:
            # Several relays of one service may run side by side; each takes rows no other holds.
            candidates = candidates.with_for_update(skip_locked=True)
        stmt = (update(t).where(t.c.id.in_(candidates.scalar_subquery()))
                .values(claimed_until=now + lease, claimed_by=self.relay_id, attempts=t.c.attempts + 1)
                .returning(t.c.id, t.c.event_id, t.c.event_type, t.c.exchange, t.c.routing_key, t.c.body,
                           t.c.correlation_id, t.c.attempts, t.c.traceparent, t.c.tracestate))
        with self.engine.begin() as conn:
            rows = [OutboxRow(*r) for r in conn.execute(stmt)]
        return sorted(rows, key=lambda r: r.id)

    def mark_sent(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        t = self.table
        with self.engine.begin() as conn:
            conn.execute(update(t).where(t.c.id.in_(list(ids)))
                         .values(sent_at=_now(), claimed_until=None, last_error=None))

    def release(self, ids: Sequence[int], *, error: str | None, retry_in: timedelta) -> None:
        """Give rows back for another attempt after `retry_in` (a nack, an unroutable event, a lost channel)."""
        if not ids:
            return
        t = self.table
        with self.engine.begin() as conn:
            conn.execute(update(t).where(and_(t.c.id.in_(list(ids)), t.c.sent_at.is_(None)))
                         .values(claimed_until=None, claimed_by=None, available_at=_now() + retry_in,
                                 last_error=error))

    def purge_sent(self, older_than: timedelta) -> int:
        t = self.table
        with self.engine.begin() as conn:
            return conn.execute(delete(t).where(t.c.sent_at < _now() - older_than)).rowcount

    def lag(self) -> tuple[int, float]:
        """(unsent rows, age in seconds of the oldest): the relay's health at a glance."""
        t = self.table
        with self.engine.connect() as conn:
            count, oldest = conn.execute(select(func.count(), func.min(t.c.created_at))
                                         .where(t.c.sent_at.is_(None))).one()
        if not oldest:
            return 0, 0.0
        if oldest.tzinfo is None:  # SQLite returns naive datetimes for timezone-aware columns
            oldest = oldest.replace(tzinfo=timezone.utc)
        return count, max(0.0, (_now() - oldest).total_seconds())
