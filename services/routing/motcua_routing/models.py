"""Routing's own database. `dossier_routes` is where each received dossier starts its route."""
from sqlalchemy import Column, DateTime, String, Table

from motcua_shared.db import new_metadata
from motcua_shared.messaging import inbox_table, outbox_table
from motcua_shared.messaging.tables import ID

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

dossier_routes = Table(
    "dossier_routes", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("dossier_code", String(60), nullable=False, index=True),
    Column("procedure_code", String(40), nullable=False),
    Column("competent_unit", String(5), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)
