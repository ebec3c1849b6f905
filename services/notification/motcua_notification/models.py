"""Notification's own database. `recipients` holds how to reach the citizen of each dossier."""
from sqlalchemy import Column, DateTime, String, Table

from motcua_shared.db import new_metadata
from motcua_shared.messaging import inbox_table, outbox_table
from motcua_shared.messaging.tables import ID

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

recipients = Table(
    "recipients", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("dossier_code", String(60), nullable=False, index=True),
    Column("full_name", String(200), nullable=False),
    Column("phone", String(20)),
    Column("email", String(254)),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)
