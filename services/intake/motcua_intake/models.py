"""Intake's own database: dossiers as received at the desk, the daily code sequences, and the
messaging tables (outbox, inbox)."""
from sqlalchemy import JSON, Column, Date, DateTime, Integer, String, Table, Text, UniqueConstraint

from motcua_shared.db import new_metadata
from motcua_shared.messaging import inbox_table, outbox_table
from motcua_shared.messaging.tables import ID

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

dossiers = Table(
    "dossiers", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("code", String(60), nullable=False, unique=True),
    Column("procedure_code", String(40), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("status", String(30), nullable=False),
    Column("receiving_unit", String(5), nullable=False),
    Column("receiving_unit_path", String(20), nullable=False, index=True),
    Column("competent_unit", String(5), nullable=False),
    Column("applicant_name", String(200), nullable=False),
    Column("applicant_name_folded", String(200), nullable=False, index=True),  # accent-insensitive search
    Column("applicant_id_number", String(12), nullable=False),
    Column("applicant_phone", String(20)),
    Column("applicant_email", String(254)),
    Column("applicant_address", String(500)),
    Column("return_method", String(10), nullable=False),
    Column("delivery_address", String(500)),
    Column("documents", JSON, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(120), nullable=False),
    Column("idempotency_key", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # A retried submission by the same caller answers with the same dossier.
    UniqueConstraint("created_by", "idempotency_key"),
)

# The 4-digit daily sequence of dossier codes, one counter per agency and day.
daily_sequences = Table(
    "daily_sequences", metadata,
    Column("agency_id", String(60), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

history = Table(
    "dossier_history", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("dossier_code", String(60), nullable=False, index=True),
    Column("status", String(30), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("note", Text),
)
