"""Reporting's own database: the store of every event consumed, and the counters projected from it."""
from sqlalchemy import JSON, BigInteger, Column, DateTime, String, Table

from motcua_shared.db import new_metadata
from motcua_shared.messaging import inbox_table, outbox_table

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

event_store = Table(
    "event_store", metadata,
    Column("event_id", String(36), primary_key=True),
    Column("type", String(120), nullable=False, index=True),
    Column("source", String(200), nullable=False),
    Column("subject", String(120), index=True),
    Column("time", DateTime(timezone=True), nullable=False),
    Column("data", JSON, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
)

# A projection: one running total per event type. Incremented, never recomputed in place, so an
# event applied twice would show here: the test of exactly-once effects reads these.
counters = Table(
    "counters", metadata,
    Column("name", String(120), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
