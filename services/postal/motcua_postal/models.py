"""Postal's own database. `dossier_returns` records how each dossier's result must come back."""
from sqlalchemy import Column, DateTime, String, Table

from motcua_shared.db import new_metadata
from motcua_shared.messaging import inbox_table, outbox_table
from motcua_shared.messaging.tables import ID

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

dossier_returns = Table(
    "dossier_returns", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("dossier_code", String(60), nullable=False, index=True),
    Column("channel", String(10), nullable=False),
    Column("return_method", String(10), nullable=False),
    Column("delivery_address", String(500)),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)
