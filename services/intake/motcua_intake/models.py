"""Intake's own database: dossiers as the desk knows them, their history (the source of the control log,
Mẫu 05, and of the public lookup), the code and logbook counters, the day-off overrides of the working
calendar, and the messaging tables (outbox, inbox)."""
from sqlalchemy import (JSON, BigInteger, Boolean, Column, Date, DateTime, Index, Integer, String, Table, Text,
                        UniqueConstraint, false, text)

from motcua_shared.db import new_metadata
from motcua_shared.jobs import jobs_table
from motcua_shared.reference.store import reference_sets_table
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
    Column("status", String(30), nullable=False, index=True),
    Column("receiving_unit", String(5), nullable=False),
    # The unit's path on the day the dossier came in: scope checks match the officer's unit against
    # its segments, so a 2019 dossier stays where the three-level hierarchy put it.
    Column("receiving_unit_path", String(20), nullable=False, index=True),
    Column("competent_unit", String(5), nullable=False),
    Column("competent_unit_path", String(20)),
    Column("applicant_name", String(200), nullable=False),
    Column("applicant_name_folded", String(200), nullable=False, index=True),  # accent-insensitive search
    # The identity number: compared only through its keyed hash, kept only encrypted for the printed receipt
    # and the officer's view (identity.py); never stored in clear.
    Column("applicant_id_encrypted", String(200), nullable=False),
    Column("applicant_id_hash", String(64), nullable=False, index=True),
    Column("applicant_phone", String(20)),
    Column("applicant_email", String(254)),
    Column("applicant_address", String(500)),
    Column("return_method", String(10), nullable=False),
    Column("delivery_address", String(500)),
    Column("documents", JSON, nullable=False),
    Column("fee_vnd", Integer, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), index=True),  # None while only submitted
    # The appointment (ngày hẹn trả): a legal promise, moved only by supplement pauses.
    Column("due_at", DateTime(timezone=True)),
    # The new date of an apology (Mẫu 04), shown to the citizen; reports keep `due_at`.
    Column("rescheduled_due_at", DateTime(timezone=True)),
    Column("paused_from", DateTime(timezone=True)),  # the clock stopped for a supplement since then
    Column("supplement_stage", String(12)),  # reception | processing, while supplement_required
    Column("redirected_to", String(5)),  # not this desk's competence: where the citizen was sent
    Column("result", String(10)),  # approved | rejected, once processed
    Column("processed_at", DateTime(timezone=True)),
    Column("returned_at", DateTime(timezone=True)),
    Column("returned_by", String(10)),  # counter | online | postal
    # A postal hand-over that went wrong (failed, returned): the desk must act.
    Column("postal_issue", String(12)),
    Column("postal_issue_at", DateTime(timezone=True)),
    Column("logbook_number", Integer),  # Sổ theo dõi hồ sơ (Mẫu 06): number in the unit's book of the year
    # The last change of status: a later change of status may not predate it. Records that change no
    # status (an apology, a postal hand-over) do not move it, so they never push a fact's time later.
    Column("last_event_at", DateTime(timezone=True), nullable=False),
    Column("received_by", String(120)),
    Column("received_by_name", String(200)),
    # The officer's id, or `citizen:<keyed hash>` of a citizen's token subject: never a citizen's number.
    Column("created_by", String(120), nullable=False),
    Column("idempotency_key", String(100)),
    Column("request_hash", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # Brought in from the past by an administrator (`received_at` given): every event about it says so, and
    # the other services record and count it but send nothing, ask for no pickup, apologise for nothing.
    Column("historical", Boolean, nullable=False, default=False, server_default=false()),
    # Supplement requests made (reception and processing together): Decree 61 allows one for the whole
    # list, Decision 766 counts a dossier asked more than once as late (supplements.py).
    Column("supplement_requests", Integer, nullable=False, default=0, server_default="0"),
    # An online or postal submission must be accepted or refused by then (acceptance.py); the sweep
    # sets `acceptance_overdue_at` once when it finds the dossier still waiting after it.
    Column("acceptance_due_at", DateTime(timezone=True)),
    Column("acceptance_overdue_at", DateTime(timezone=True)),
    # The competent agency stopped processing (DVCQG 8, stops.py): why, in a category and in words.
    Column("stop_ground", String(30)),
    Column("stop_reason", Text),
    Column("stopped_at", DateTime(timezone=True)),
    # A financial obligation (DVCQG 6, payments.py): what was asked, and how it was paid.
    Column("payment_obligation", String(10)),  # fee | charge | tax
    Column("payment_amount_vnd", BigInteger),  # land charges exceed the 2^31 of an Integer
    Column("payment_purpose", String(500)),
    Column("payment_requested_at", DateTime(timezone=True)),
    Column("paid_at", DateTime(timezone=True)),
    Column("payment_method", String(20)),
    Column("payment_receipt_number", String(50)),
    # A retried submission by the same caller answers with the same dossier.
    UniqueConstraint("created_by", "idempotency_key"),
    Index("ix_dossiers_receiving_unit_received_at", "receiving_unit", "received_at"),
    Index("ix_dossiers_status_acceptance_due_at", "status", "acceptance_due_at"),
)

# The 4-digit daily sequence of dossier codes, one counter per agency and day.
daily_sequences = Table(
    "daily_sequences", metadata,
    Column("agency_id", String(60), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

# The numbers of dossiers citizens send (online, by post), per agency and day: a range of their own above
# the desk's (sequences.py), so citizens' submissions never use up the numbers of the counter.
citizen_sequences = Table(
    "citizen_sequences", metadata,
    Column("agency_id", String(60), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

# How many dossiers a citizen account sent on a local day (citizen_limits.py); `creator` is the keyed
# hash intake records as such a dossier's `created_by`, never the identity number.
citizen_submissions = Table(
    "citizen_submissions", metadata,
    Column("creator", String(120), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("count", Integer, nullable=False),
)

# The number of a dossier in its unit's logbook (Sổ theo dõi hồ sơ, one book a year).
logbook_sequences = Table(
    "logbook_sequences", metadata,
    Column("unit", String(5), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_value", Integer, nullable=False),
)

# The database server this database was last numbered on (restore_guard.py). A restore or a fail-over
# changes it, and intake then numbers nothing until `motcua_intake after-restore` has moved the counters
# past every code and logbook number already given out (after_restore.py).
restore_guard = Table(
    "restore_guard", metadata,
    Column("id", Integer, primary_key=True),
    Column("server_identity", String(200), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
)

# One row per thing that happened to a dossier: every change of status, and the hand-overs and notices
# that change none (handed to the post, apology, failed delivery).
history = Table(
    "dossier_history", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("dossier_code", String(60), nullable=False, index=True),
    Column("action", String(40), nullable=False),
    Column("status", String(30), nullable=False),  # the dossier's status after it
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_name", String(200)),
    Column("unit", String(5)),  # where it happened, when not the receiving desk
    Column("ref", String(64)),  # the shipment or step it concerns
    Column("note", Text),
    Column("details", JSON),
)

# Admin-edited days off and working days (lịch nghỉ), seeded from the `holidays` package.
calendar_overrides = Table(
    "calendar_overrides", metadata,
    Column("day", Date, primary_key=True),
    Column("kind", String(12), nullable=False),  # day_off | working_day
    Column("note", String(300), nullable=False),
    Column("source", String(10), nullable=False),  # package | admin
    Column("updated_by", String(120), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Counters of the public lookup's rate limits (lookup_limits.py): one row per key and fixed window,
# incremented by an atomic upsert so every API worker process counts against the same limit.
lookup_counters = Table(
    "lookup_counters", metadata,
    Column("key", String(80), primary_key=True),  # client:<hash of the address> | code:<dossier code>
    Column("window_start", DateTime(timezone=True), primary_key=True),
    Column("count", Integer, nullable=False),
    Index("ix_lookup_counters_window_start", "window_start"),
)

# A file of past dossiers brought in (issue 17): validated whole, staged here in one transaction, then
# applied in parts (imports/applying.py). The same file again (same sha256) is the same import.
imports = Table(
    "imports", metadata,
    Column("id", String(36), primary_key=True),  # uuid4, also the import_id of its history.imported parts
    Column("filename", String(255), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("status", String(10), nullable=False, index=True),  # pending | applying | done
    Column("total", Integer, nullable=False),  # records in the file
    Column("applied", Integer, nullable=False),  # records applied so far
    Column("already", Integer, nullable=False),  # records intake held already (same content): left out
    Column("parts", Integer, nullable=False, default=0, server_default="0"),  # parts applied (numbers the next)
    Column("created_by", String(120), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
)

# One row per record to apply, as validated (imports/stored.py), in the file's order.
import_records = Table(
    "import_records", metadata,
    Column("import_id", String(36), primary_key=True),
    Column("line", Integer, primary_key=True),
    Column("code", String(60), nullable=False, index=True),
    Column("record", JSON, nullable=False),
    Column("applied", Boolean, nullable=False, default=False, server_default=false()),
    # The records still to apply, in the file's order: each part reads the next ones from here instead
    # of walking past every record applied before it (which made a 66,572-record import quadratic).
    Index("ix_import_records_pending", "import_id", "line", postgresql_where=text("NOT applied"),
          sqlite_where=text("NOT applied")),
)

# The reference data sets imported at intake, as this service keeps them (docs/reference-data.md).
reference_sets = reference_sets_table(metadata)

# Background jobs (motcua_shared.jobs): re-keying the identity numbers (rehash.py).
jobs = jobs_table(metadata)
