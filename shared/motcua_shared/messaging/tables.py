"""The outbox and inbox tables every service carries in its own database.

outbox: events written in the same transaction as the state change that caused them; the relay
        publishes them with confirms and marks them sent.
inbox:  (consumer, queue, event id) of every event a consumer has acted on, written in the handler's
        own transaction, so a redelivered event is recognised and acknowledged without acting twice.
        The queue is part of the key: deduplication is per queue, so an event id reused on one queue
        (a partner's, which anyone holding its credentials can write) cannot suppress another queue's
        event that happens to carry the same id.
"""
from __future__ import annotations

from sqlalchemy import (BigInteger, Column, DateTime, Index, Integer, LargeBinary, MetaData, String, Table, Text,
                        text)

# BIGINT autoincrement on PostgreSQL; SQLite only autoincrements an INTEGER PRIMARY KEY.
ID = BigInteger().with_variant(Integer, "sqlite")


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox", metadata,
        Column("id", ID, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("event_type", String(120), nullable=False),
        Column("exchange", String(120), nullable=False),
        Column("routing_key", String(255), nullable=False),
        Column("body", LargeBinary, nullable=False),
        Column("correlation_id", String(100), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        # Back-off after a failed or unroutable publish: the row is not claimed again before this.
        Column("available_at", DateTime(timezone=True), nullable=False),
        # A lease instead of a long transaction: a relay that dies mid-batch simply lets it expire.
        Column("claimed_until", DateTime(timezone=True)),
        Column("claimed_by", String(120)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text),
        Column("sent_at", DateTime(timezone=True)),
        # W3C trace context the event was written under (also in its body): the relay's publish span
        # continues that trace without decoding the body. Empty when tracing is off (tracing.py).
        Column("traceparent", String(55)),
        Column("tracestate", String(512)),
        Index("ix_outbox_pending", "id", postgresql_where=text("sent_at IS NULL"),
              sqlite_where=text("sent_at IS NULL")),
        Index("ix_outbox_sent_at", "sent_at"),
    )


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "inbox", metadata,
        Column("consumer", String(120), primary_key=True),
        Column("queue", String(255), primary_key=True),
        Column("event_id", String(36), primary_key=True),
        Column("event_type", String(120), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, index=True),
    )
