"""Writing events into the outbox, and the relay's claim / mark / release / purge queries.

`Outbox.add` is the only way a service publishes: it inserts the event in the caller's transaction,
so an event exists if and only if the state change that caused it was committed.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Sequence

from sqlalchemy import Table, and_, delete, func, insert, or_, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from .. import tracing
from ..db import core_connection, is_sqlite
from ..events import Event


# tgargs holds the trigger's arguments, each ended by a NUL byte; tgenabled 'D' is a disabled trigger.
_NOTIFY_TRIGGER_ARGS = text(
    "SELECT t.tgargs FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
    " WHERE t.tgrelid = to_regclass(:table) AND p.proname = 'motcua_outbox_notify'"
    " AND t.tgenabled <> 'D' AND t.tgnargs = 1 LIMIT 1")


def _claim_statement(engine: Engine, table: Table):
    """PostgreSQL's mark-and-claim, built once per table, every value a parameter.

    The `sent` CTE marks the previous window's confirmed rows; the main UPDATE leases the next window.
    Both run on the statement's one snapshot, in which the sent rows are still unsent, so the claim
    names them out (`<> ALL`) rather than count on their lease: a window whose confirms outlasted the
    lease must not be claimed again by the statement that marks it. SKIP LOCKED: several relays of one
    service run side by side, each taking rows no other holds."""
    name = engine.dialect.identifier_preparer.format_table(table)
    return text(
        f"WITH sent AS (UPDATE {name} SET sent_at = :now, claimed_until = NULL, last_error = NULL"
        f" WHERE id = ANY(:sent)) "
        f"UPDATE {name} SET claimed_until = :until, claimed_by = :relay, attempts = attempts + 1"
        f" WHERE id IN (SELECT id FROM {name} WHERE sent_at IS NULL AND available_at <= :now"
        f" AND (claimed_until IS NULL OR claimed_until < :now) AND id <> ALL(:sent)"
        f" ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)"
        f" RETURNING id, event_id, event_type, exchange, routing_key, body, correlation_id, attempts,"
        f" traceparent, tracestate")


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
        # Built once, values as parameters. `inline`: nothing reads the new rows' ids, so a single-row
        # add does not ask for them back (no RETURNING id, which SQLAlchemy adds by default).
        self._insert = insert(table).inline()

    def add(self, session: Session, event: Event, *, exchange: str | None = None, routing_key: str | None = None) -> None:
        """Queue `event` for publishing when (and only if) the session's transaction commits.

        Default: the service's own topic exchange with the event type as routing key (docs/style.md item 12).
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
        # On the session's connection, in its transaction (db.core_connection): half the CPU of the insert
        # through Session.execute, measured per event (95 µs then, 45 µs now, with `_insert` built once).
        core_connection(session).execute(self._insert, [{
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
        self._claim_sql = None if self._sqlite else _claim_statement(engine, table)

    def claim(self, limit: int, lease: timedelta, *, sent: Sequence[int] = ()) -> list[OutboxRow]:
        """Lease up to `limit` due rows to this relay, oldest first, and first mark `sent` (the ids the broker
        confirmed in the previous window) sent, in the same transaction: a busy relay pays one commit per
        window, not one to mark and one to claim. A failure commits neither: the confirmed rows stay
        claimed and are published again when their lease runs out (consumers deduplicate)."""
        now = _now()
        sent = list(sent)
        if self._claim_sql is not None:
            # PostgreSQL: one statement, one round trip (see _claim_statement).
            with self.engine.begin() as conn:
                rows = [OutboxRow(*r) for r in conn.execute(self._claim_sql, {
                    "sent": sent, "now": now, "until": now + lease, "relay": self.relay_id, "limit": limit})]
            return sorted(rows, key=lambda r: r.id)
        with self.engine.begin() as conn:
            if sent:
                conn.execute(self._mark_sent_statement(sent, now))
            rows = [OutboxRow(*r) for r in conn.execute(self._core_claim(limit, lease, now))]
        return sorted(rows, key=lambda r: r.id)

    def _core_claim(self, limit: int, lease: timedelta, now: datetime):
        """The claim for SQLite (one relay per database: no row locks to skip)."""
        t = self.table
        due = and_(t.c.sent_at.is_(None), t.c.available_at <= now,
                   or_(t.c.claimed_until.is_(None), t.c.claimed_until < now))
        candidates = select(t.c.id).where(due).order_by(t.c.id).limit(limit)
        return (update(t).where(t.c.id.in_(candidates.scalar_subquery()))
                .values(claimed_until=now + lease, claimed_by=self.relay_id, attempts=t.c.attempts + 1)
                .returning(t.c.id, t.c.event_id, t.c.event_type, t.c.exchange, t.c.routing_key, t.c.body,
                           t.c.correlation_id, t.c.attempts, t.c.traceparent, t.c.tracestate))

    def _mark_sent_statement(self, ids: Sequence[int], now: datetime):
        t = self.table
        return update(t).where(t.c.id.in_(list(ids))).values(sent_at=now, claimed_until=None, last_error=None)

    def mark_sent(self, ids: Sequence[int]) -> None:
        """Mark confirmed rows sent on their own: when no claim follows (the relay stopping, its broker
        connection lost)."""
        if not ids:
            return
        with self.engine.begin() as conn:
            conn.execute(self._mark_sent_statement(ids, _now()))

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

    def wakeup_channel(self) -> str | None:
        """The channel an insert into the table notifies (outbox_notify_trigger.py), or None: on SQLite,
        before that migration, or with the trigger disabled. Read from the trigger's argument, so the
        relay listens wherever the migration told the trigger to notify."""
        if self._sqlite:
            return None
        with self.engine.connect() as conn:
            args = conn.execute(_NOTIFY_TRIGGER_ARGS, {"table": self.table.fullname}).scalar()
        if not args:
            return None
        return bytes(args).split(b"\0", 1)[0].decode() or None

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
