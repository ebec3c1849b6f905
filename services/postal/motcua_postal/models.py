"""Postal's own database.

`dossier_returns`: what postal knows of each dossier, one row per dossier code: how it came in and
how its result must come back (from intake's `dossier.submitted` / `dossier.received`), and the
moments that decide whether a shipment is still wanted (processed, withdrawn, returned). A
`dossier.processed` that arrives before the facts waits here until they come. The citizen's
contact is kept only for dossiers that travel by post.

`shipments`: one row per item the postal partner carries, with its current status;
`shipment_history`: every status it passed through and every report about it, applied or not.
"""
from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, UniqueConstraint,
                        false, text)

from motcua_shared.db import new_metadata
from motcua_shared.reference.store import reference_sets_table
from motcua_shared.messaging import inbox_table, outbox_table
from motcua_shared.messaging.tables import ID

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

dossier_returns = Table(
    "dossier_returns", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("dossier_code", String(60), nullable=False),
    # The facts (null until dossier.submitted or dossier.received arrives).
    Column("facts_from", String(10)),  # the event type's verb the facts were taken from
    Column("channel", String(10)),
    Column("return_method", String(10)),
    Column("receiving_unit", String(5)),
    Column("receiving_unit_path", String(20)),
    Column("applicant_name", String(200)),
    Column("applicant_phone", String(20)),
    Column("applicant_address", String(500)),
    Column("delivery_address", String(500)),
    Column("fee_vnd", Integer),
    # Moments from the events' data.
    Column("submitted_at", DateTime(timezone=True)),
    Column("received_at", DateTime(timezone=True)),
    Column("processed_at", DateTime(timezone=True)),
    Column("processed_result", String(10)),
    Column("withdrawn_at", DateTime(timezone=True)),
    Column("returned_at", DateTime(timezone=True)),  # handed over at the counter or online, not by post
    Column("recorded_at", DateTime(timezone=True), nullable=False),  # first heard of (postal's clock)
    # Brought in from the past (any of its dossier events said `historical`): recorded, never shipped.
    Column("historical", Boolean, nullable=False, server_default=false()),
    # The citizen's contact above erased (retention.py): postal was done with the dossier long enough.
    Column("contacts_erased_at", DateTime(timezone=True)),
    UniqueConstraint("dossier_code"),
)

shipments = Table(
    "shipments", metadata,
    Column("id", String(64), primary_key=True),
    Column("dossier_code", String(60), nullable=False, index=True),
    Column("direction", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("status_at", DateTime(timezone=True), nullable=False),
    Column("unit", String(5), nullable=False),
    Column("unit_path", String(20), nullable=False),
    # The parties: set when the shipment is requested, erased (null) POSTAL_CONTACT_RETENTION_DAYS after it
    # ended (retention.py), at `contacts_erased_at`.
    Column("pickup_name", String(200)),
    Column("pickup_address", String(500)),
    Column("pickup_phone", String(20)),
    Column("delivery_name", String(200)),
    Column("delivery_address", String(500)),
    Column("delivery_phone", String(20)),
    Column("contacts_erased_at", DateTime(timezone=True)),
    Column("cod_amount_vnd", Integer, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("deliver_by", DateTime(timezone=True), nullable=False, index=True),
    Column("tracking_number", String(64)),
    Column("announcements", Integer, nullable=False, server_default=text("1")),
    Column("last_announced_at", DateTime(timezone=True), nullable=False),
    Column("escalated_at", DateTime(timezone=True)),
    # Why the desk must act now (pickup_not_accepted, failed, returned), cleared when it is resolved.
    Column("attention", String(30)),
    Column("attention_since", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_shipments_status_last_announced_at", "status", "last_announced_at"),
    Index("ix_shipments_unit_path", "unit_path"),
    # The ended shipments whose parties are still kept, by end: what the retention sweep reads.
    Index("ix_shipments_contacts_kept", "status_at", postgresql_where=text("contacts_erased_at IS NULL"),
          sqlite_where=text("contacts_erased_at IS NULL")),
)

shipment_history = Table(
    "shipment_history", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("shipment_id", String(64), ForeignKey("shipments.id"), nullable=False, index=True),
    # A status (requested ... cancelled), or `announced` / `escalated` for what postal itself did.
    Column("status", String(20), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("source", String(10), nullable=False),  # partner, manual or system
    Column("actor", String(200)),  # the partner's event source, or the officer of a manual entry
    Column("event_id", String(36)),  # the partner report's event id
    Column("tracking_number", String(64)),
    Column("note", String(1000)),
    # False for a report that changed nothing (a duplicate, a late one, one after the end).
    Column("effective", Boolean, nullable=False),
)

# The reference data sets imported at intake, as this service keeps them (docs/reference-data.md).
reference_sets = reference_sets_table(metadata)
