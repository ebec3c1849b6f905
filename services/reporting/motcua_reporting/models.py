"""Reporting's own database: the store of every event consumed, and the projections built from it.

The event store is the truth; everything else here can be dropped and rebuilt from it
(`POST /api/v1/admin/projections/rebuild`, `python -m motcua_reporting rebuild`: docs/jobs.md).
"""
from sqlalchemy import JSON, BigInteger, Boolean, Column, DateTime, Index, Integer, String, Table

from motcua_shared.db import new_metadata
from motcua_shared.jobs import jobs_table
from motcua_shared.reference.store import reference_sets_table
from motcua_shared.messaging import inbox_table, outbox_table
from motcua_shared.province_calendar import overrides_table

metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
calendar_overrides = overrides_table(metadata)  # the province's declared days, from intake's events

event_store = Table(
    "event_store", metadata,
    Column("event_id", String(36), primary_key=True),
    Column("type", String(120), nullable=False, index=True),
    Column("source", String(200), nullable=False),
    Column("subject", String(120), index=True),
    Column("time", DateTime(timezone=True), nullable=False),
    # The event's data without the citizen's personal fields (motcua_shared.events.personal): what the
    # statistics need, kept forever; names, contacts and addresses are not (migration 0005 erased the old).
    Column("data", JSON, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    # The rebuild reads the store in this order, a chunk at a time (projection.rebuild).
    Index("ix_event_store_stored_at_event_id", "stored_at", "event_id"),
)

# A projection: one running total per event type. Incremented, never recomputed in place, so an
# event applied twice would show here: the test of exactly-once effects reads these.
counters = Table(
    "counters", metadata,
    Column("name", String(120), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# The time-stamped facts of each dossier's life, one row per lifecycle event (dossier events from
# intake, the apology from routing), keyed by event id so a duplicate adds nothing. A dossier's
# statistics are a function of the SET of its rows, never of their arrival order.
dossier_timeline = Table(
    "dossier_timeline", metadata,
    Column("event_id", String(36), primary_key=True),
    Column("code", String(60), nullable=False, index=True),
    Column("kind", String(30), nullable=False),  # the event type without its "vn.motcua." prefix
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True)),  # received, supplement_received, processed; apology: new
    Column("paused_from", DateTime(timezone=True)),  # supplement_received
    Column("original_due_at", DateTime(timezone=True)),  # apology.issued
    # submitted / received: what the reports group by (never the applicant: no personal data here).
    Column("facts", JSON),
)

# One row per dossier, recomputed from its timeline rows whenever one is added: what every report
# reads. Classifications that depend on the period (carried over, in progress at the period's end)
# are made at query time from `received_at`, `ended_at` and `clock`.
dossiers = Table(
    "dossiers", metadata,
    Column("code", String(60), primary_key=True),
    Column("procedure_code", String(40)),
    Column("procedure_level", String(10)),  # province | district | commune: the Biểu 06 row group
    Column("sector", String(200)),
    Column("inter_agency", Boolean, nullable=False),
    Column("channel", String(10)),  # counter | online | postal
    Column("receiving_unit", String(5)),
    Column("receiving_unit_path", String(20)),
    # The path's segments, so a unit's subtree is an indexed equality in either hierarchy.
    Column("province_code", String(2), index=True),
    Column("district_code", String(3), index=True),
    Column("commune_code", String(5), index=True),
    # The unit that resolves it (Biểu 06 by the resolving agency): see projection.dossier._competent.
    Column("competent_unit", String(5)),
    Column("competent_unit_path", String(20)),
    Column("competent_province_code", String(2), index=True),
    Column("competent_district_code", String(3), index=True),
    Column("competent_commune_code", String(5), index=True),
    Column("submitted_at", DateTime(timezone=True)),
    Column("received_at", DateTime(timezone=True), index=True),  # None: not (yet) received, not counted
    Column("due_at", DateTime(timezone=True)),  # the appointment in force after the last known change
    Column("ended_at", DateTime(timezone=True), index=True),  # processing finished (or stopped)
    Column("end_kind", String(20)),  # processed | returned | withdrawn | refused | redirected | stopped
    Column("end_class", String(10)),  # early | on_time | late
    Column("end_due_at", DateTime(timezone=True)),  # the appointment the end was compared with
    Column("handling_minutes", Integer),  # working minutes from reception to the end, pauses excluded
    Column("supplement_requests", Integer, nullable=False),
    Column("apologised", Boolean, nullable=False),
    Column("paid_online", Boolean),  # a payment recorded as made online (Decision 766 §3.6)
    Column("clock", JSON, nullable=False),  # deadlines, pauses and apology: see projection.clock
)

# The reference data sets imported at intake, as this service keeps them (docs/reference-data.md).
reference_sets = reference_sets_table(metadata)

# Background jobs (motcua_shared.jobs): the projection rebuild.
jobs = jobs_table(metadata)

# The rebuild's work tables (projection.rebuild): the projections are rebuilt here in resumable chunks,
# then copied over the live ones in one short transaction, so reports read the old figures until then.
# Indexed only as the rebuild reads them. `rebuild_seen`: every event the rebuild has taken in, so the
# last step finds, by difference, the events committed meanwhile whatever their place in the store.
rebuild_timeline = Table(
    "rebuild_timeline", metadata,
    *(Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable, index=c.name == "code")
      for c in dossier_timeline.c))
rebuild_dossiers = Table(
    "rebuild_dossiers", metadata,
    *(Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable) for c in dossiers.c))
rebuild_seen = Table("rebuild_seen", metadata, Column("event_id", String(36), primary_key=True))
