"""Routing's own database: each dossier's route, its steps, and the hand-overs between them.

A route is the process manager of one dossier (docs/reliability.md §3.3): its row and its steps' rows are
the whole state, changed only inside a transaction that also writes the events the change causes
(outbox), so a crash or a second worker can never send a step, a warning or an apology twice.
"""
from datetime import datetime, timezone

from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint,
                        false)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from motcua_shared.db import dialect_insert, new_metadata
from motcua_shared.reference.store import reference_sets_table
from motcua_shared.messaging import inbox_table, outbox_table
from motcua_shared.province_calendar import overrides_table
from motcua_shared.messaging.tables import ID



class Moment(TypeDecorator):
    """An instant, stored in UTC and always read back timezone-aware.

    PostgreSQL keeps the offset (timestamptz); SQLite (`make run`) would store the wall-clock digits
    of whatever offset it was given and hand back a naive value, so every instant is converted to
    UTC on the way in and marked UTC on the way out. A naive instant is a bug and is refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a timezone-aware column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=timezone.utc)


metadata = new_metadata()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
calendar_overrides = overrides_table(metadata)  # the province's declared days, from intake's events

# Route status: in_progress → (awaiting_supplement → in_progress)* → completed | stopped
ROUTE_OPEN = ("in_progress", "awaiting_supplement")

dossier_routes = Table(
    "dossier_routes", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("dossier_code", String(60), nullable=False, unique=True),
    Column("procedure_code", String(40), nullable=False),
    Column("hierarchy", String(12), nullable=False),  # three_level | two_level, on the day of receipt
    Column("variant", String(20), nullable=False),  # the route plan variant chosen
    Column("channel", String(10), nullable=False),
    Column("receiving_unit", String(5), nullable=False),
    Column("receiving_unit_path", String(20), nullable=False),
    Column("competent_unit", String(5), nullable=False),
    Column("received_at", Moment, nullable=False),
    Column("original_due_at", Moment, nullable=False),  # the appointment on the receipt
    Column("due_at", Moment, nullable=False),  # moved by pauses and by the apology
    Column("status", String(24), nullable=False),
    Column("outcome", String(12)),  # approved | rejected once completed
    Column("completed_at", Moment),
    Column("stopped_at", Moment),
    Column("paused_at", Moment),  # start of the supplement pause in progress
    Column("warned_at", Moment),  # the dossier's deadline warning (once)
    Column("apology_issued_at", Moment),  # Mẫu 04 (at most once)
    Column("recorded_at", Moment, nullable=False),
    # Opened from a dossier an administrator brought in from the past (dossier.received `historical`):
    # recorded and answered like any other, never warned about, escalated or apologised for.
    Column("historical", Boolean, nullable=False, server_default=false()),
    # When transition.py checked the route for steps at agencies that ceased on 01/07/2025 (and
    # handed them over): the deadline sweep looks at each route live here before that day once.
    Column("transition_checked_at", Moment),
    Index("ix_dossier_routes_open_due", "status", "due_at"),
)

# Step status: planned → assigned → claimed (local only) → completed | sent_back | cancelled; planned → skipped;
# assigned | claimed → handed_over (its agency ceased on 01/07/2025: a new attempt is the successor's)
STEP_OPEN = ("assigned", "claimed")

route_steps = Table(
    "route_steps", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("step_id", String(64), nullable=False, unique=True),
    Column("route_id", ID, ForeignKey("dossier_routes.id"), nullable=False, index=True),
    Column("dossier_code", String(60), nullable=False),
    Column("sequence", Integer, nullable=False),  # position in the plan
    Column("attempt", Integer, nullable=False),  # a position is assigned again after a supplement or a send-back
    Column("level", String(10), nullable=False),
    Column("unit", String(5), nullable=False),
    Column("unit_path", String(20), nullable=False, index=True),
    Column("role", String(40), nullable=False),
    Column("agency_id", String(60), nullable=False),
    Column("agency_name", String(200), nullable=False),
    Column("action", String(10), nullable=False),
    Column("budget_minutes", Integer, nullable=False),
    Column("status", String(12), nullable=False),
    Column("assigned_at", Moment),
    Column("due_at", Moment),
    Column("local_at", Moment),  # reached this deployment's work inbox
    Column("claimed_by", String(120)),
    Column("claimed_at", Moment),
    Column("completed_at", Moment),
    Column("answered_at", Moment),  # when the answer reached routing
    # How the step was dispatched (dispatch.py), which decides who may answer it (answers.py): the queue
    # its answer is accepted on, routing.step-answers, when it was left on routing.steps for the
    # province's plug-in; NULL when it is held locally (its officers answer through the API) or was
    # never dispatched (planned, or imported closed).
    Column("answer_queue", String(255)),
    # The event that closed the step: the plug-in's answer, or the one routing published for an
    # officer's completion, whose echo on the answers queue is thereby known as routing's own.
    Column("answer_event_id", String(36)),
    Column("outcome", String(24)),
    Column("handled_by", String(200)),
    Column("note", Text),
    Column("warned_at", Moment),
    Column("escalated_at", Moment),
    UniqueConstraint("route_id", "sequence", "attempt"),
    Index("ix_route_steps_open_due", "status", "due_at"),
)

# The control log (Phiếu kiểm soát quá trình giải quyết hồ sơ, Mẫu 05): one row per hand-over.
handovers = Table(
    "handovers", metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("route_id", ID, ForeignKey("dossier_routes.id"), nullable=False, index=True),
    Column("step_id", String(64)),
    Column("kind", String(24), nullable=False),
    Column("from_party", String(200), nullable=False),
    Column("to_party", String(200), nullable=False),
    Column("from_person", String(120)),
    Column("to_person", String(120)),
    Column("occurred_at", Moment, nullable=False),
    Column("result", String(24)),
    Column("note", Text),
)

# A withdrawal that arrived before its dossier's receipt (redelivery can reorder them): the route
# must then never start.
withdrawals = Table(
    "withdrawals", metadata,
    Column("dossier_code", String(60), primary_key=True),
    Column("withdrawn_at", Moment, nullable=False),
)

# The ROUTING_LOCAL_UNITS patterns the local step queue is bound with, so that a pattern removed
# from the setting is unbound at the next start (a binding outlives the process that made it).
local_bindings = Table(
    "local_bindings", metadata,
    Column("pattern", String(100), primary_key=True),
    Column("bound_at", Moment, nullable=False),
)


def insert_once(session: Session, table: Table, **values) -> None:
    """INSERT that leaves an existing row with the same key alone (ON CONFLICT DO NOTHING)."""
    session.execute(_insert_once_statement(session, table), values)


# insert_once's statements, one per (dialect, table), built once with their values given at execution: a
# statement built per call, values inlined, costs SQLAlchemy a new statement and cache key each time.
_INSERT_ONCE: dict[tuple[str, str], object] = {}


def _insert_once_statement(session: Session, table: Table):
    key = (session.get_bind().dialect.name, table.name)
    statement = _INSERT_ONCE.get(key)
    if statement is None:
        statement = _INSERT_ONCE[key] = dialect_insert(session)(table).on_conflict_do_nothing()
    return statement


# The reference data sets imported at intake, as this service keeps them (docs/reference-data.md).
reference_sets = reference_sets_table(metadata)
