"""Notification's own database.

recipients         how to reach the citizen of each dossier, and the dossier facts messages need
                   (receiving unit and its path for officer scope, return method); from
                   dossier.submitted / dossier.received; whether the dossier is historical.
notices            one row per citizen-facing event: the template and the values to fill it with. A
                   notice waits (`awaiting_contact`) until the dossier's contact is known.
messages           the delivery ledger: one row per (notice, channel, recipient), unique, with the
                   rendered content, the template version used, the status (GOV.UK Notify's
                   vocabulary) and the scheduling of the next attempt.
delivery_attempts  every call to a provider, with its outcome.
delivery_receipts  every receipt a provider posted, and whether it changed anything.
channel_choices    the channels a citizen chose for one dossier.
opt_outs           addresses (keyed, never stored in clear) that asked for no more messages.
confirmed_addresses  addresses (keyed) an officer entered or their owner confirmed with the receipt's link.
unconfirmed_sends  the one message a day an address a citizen typed may get until confirmed.
"""
from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint, false, text, true)

from motcua_shared.db import new_metadata
from motcua_shared.reference.store import reference_sets_table
from motcua_shared.messaging import inbox_table, outbox_table
from motcua_shared.messaging.tables import ID

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)

recipients = Table(
    "recipients", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("dossier_code", String(60), nullable=False, unique=True),
    Column("phone", String(20)),
    Column("email", String(254)),
    Column("receiving_unit", String(5)),
    Column("receiving_unit_path", String(40)),
    Column("return_method", String(10)),
    Column("procedure_code", String(40)),
    # Business time of the event the contact came from: a late, older event never overwrites a newer one.
    Column("contact_as_of", DateTime(timezone=True)),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("last_activity_at", DateTime(timezone=True), nullable=False),
    Column("erased_at", DateTime(timezone=True)),
    # A dossier an administrator brought in from the past (its events carry `historical`): recorded,
    # never told about, whatever event comes later (routing's and postal's do not carry the flag).
    Column("historical", Boolean, nullable=False, server_default=false()),
    # False for a contact a citizen typed in their own submission, until a desk receives the dossier
    # (contacts.py): such an address gets the receipt only, once a day at most.
    Column("contact_confirmed", Boolean, nullable=False, server_default=true()),
)

NOTICE_STATUSES = ("awaiting_contact", "addressed", "unreachable", "stale")

notices = Table(
    "notices", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("event_type", String(120), nullable=False),
    Column("correlation_id", String(100), nullable=False),
    Column("dossier_code", String(60), nullable=False),
    Column("template", String(60), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("personalisation", JSON(none_as_null=True)),  # blanked by the retention sweep
    Column("status", String(20), nullable=False),
    # [{"channel": "sms", "reason": "opted_out"}]: why a channel got no message
    Column("skipped", JSON(none_as_null=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("addressed_at", DateTime(timezone=True)),
    Index("ix_notices_dossier_code_status", "dossier_code", "status"),
)

messages = Table(
    "messages", metadata,
    Column("id", String(36), primary_key=True),  # UUID; the `reference` every provider receives
    Column("notice_id", ID, ForeignKey("notices.id"), nullable=False),
    Column("dossier_code", String(60), nullable=False, index=True),
    Column("channel", String(10), nullable=False),
    Column("recipient_key", String(64), nullable=False),  # HMAC of the normalised address
    Column("recipient", String(254)),  # in clear until the retention sweep
    Column("recipient_masked", String(80), nullable=False),
    Column("template", String(60), nullable=False),
    Column("template_version", Integer, nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("subject", Text),
    Column("body", Text),
    Column("html_body", Text),
    Column("attachment_name", String(200)),
    Column("attachment", Text),
    Column("personalisation", JSON(none_as_null=True)),  # the values the texts were filled with (ZNS sends them)
    Column("segments", Integer),
    Column("status", String(20), nullable=False),
    Column("status_reason", String(200)),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("not_before", DateTime(timezone=True), nullable=False),
    Column("claimed_until", DateTime(timezone=True)),
    Column("claimed_by", String(120)),
    Column("provider", String(40)),
    # Where the accepting provider was: smtp:<host>:<port>, sms:<host>, zalo:<host>; dev_sink:<...> for
    # a development catcher, whose "delivered" reached nobody (providers/identity.py).
    Column("accepted_by", String(200)),
    Column("provider_reference", String(120)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("completed_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("content_erased_at", DateTime(timezone=True)),
    # Exactly one message per event, channel and recipient, however often the event is delivered.
    UniqueConstraint("notice_id", "channel", "recipient_key"),
    Index("ix_messages_due", "not_before", postgresql_where=text("status IN ('created', 'temporary-failure')"),
          sqlite_where=text("status IN ('created', 'temporary-failure')")),
    Index("ix_messages_recipient_sent", "recipient_key", "sent_at"),
    Index("ix_messages_status_sent_at", "status", "sent_at"),
    Index("ix_messages_created_at", "created_at"),
)

delivery_attempts = Table(
    "delivery_attempts", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("message_id", String(36), ForeignKey("messages.id"), nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("provider", String(40), nullable=False),
    Column("outcome", String(12), nullable=False),  # accepted, temporary, permanent
    Column("detail", String(200)),
    Column("code", Integer),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("duration_ms", Integer, nullable=False),
)

delivery_receipts = Table(
    "delivery_receipts", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("message_id", String(36), ForeignKey("messages.id"), nullable=False, index=True),
    Column("provider", String(40), nullable=False),
    Column("reported_status", String(30), nullable=False),
    Column("occurred_at", DateTime(timezone=True)),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("effect", String(30), nullable=False),  # the status it moved the message to, or "none"
)

channel_choices = Table(
    "channel_choices", metadata,
    Column("dossier_code", String(60), primary_key=True),
    Column("sms", Boolean, nullable=False),
    Column("email", Boolean, nullable=False),
    Column("chosen_by", String(120), nullable=False),
    Column("chosen_at", DateTime(timezone=True), nullable=False),
)

opt_outs = Table(
    "opt_outs", metadata,
    Column("id", String(36), primary_key=True),
    Column("channel", String(10), nullable=False),
    Column("address_key", String(64), nullable=False),
    Column("address_masked", String(80), nullable=False),
    Column("source", String(20), nullable=False),  # officer, unsubscribe-link
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("channel", "address_key"),
)

# Addresses (keyed) confirmed as their owner's: entered by an officer, or confirmed with the receipt's link.
confirmed_addresses = Table(
    "confirmed_addresses", metadata,
    Column("address_key", String(64), primary_key=True),
    Column("channel", String(10), nullable=False),
    Column("source", String(20), nullable=False),  # officer, link
    Column("dossier_code", String(60)),
    Column("confirmed_at", DateTime(timezone=True), nullable=False),
)

# The one message a day an unconfirmed address may get (contacts.py): the row is the day's allowance.
unconfirmed_sends = Table(
    "unconfirmed_sends", metadata,
    Column("address_key", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("channel", String(10), nullable=False),
    Column("dossier_code", String(60), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The reference data sets imported at intake, as this service keeps them (docs/reference-data.md).
reference_sets = reference_sets_table(metadata)
