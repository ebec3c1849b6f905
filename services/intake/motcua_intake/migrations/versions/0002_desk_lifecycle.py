"""desk lifecycle: every status of a dossier, history actions, logbook numbers, calendar overrides

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 21:14:58.152973

Rows written by 0001 (received dossiers of the walking skeleton) are completed from what they hold:
submitted = received, the fee from the catalogue, the identity hash under the configured key, and
their history row becomes the `receive` action with its appointment.
"""
from datetime import datetime, timezone
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'calendar_overrides',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('updated_by', sa.String(length=120), nullable=False),
        sa.Column('updated_at', MOMENT, nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_overrides')),
    )
    op.create_table(
        'logbook_sequences',
        sa.Column('unit', sa.String(length=5), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('last_value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('unit', 'year', name=op.f('pk_logbook_sequences')),
    )
    with op.batch_alter_table('dossier_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('actor_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('unit', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))

    new_columns = [
        sa.Column('competent_unit_path', sa.String(length=20), nullable=True),
        sa.Column('applicant_id_hash', sa.String(length=64), nullable=True),
        sa.Column('fee_vnd', sa.Integer(), nullable=True),
        sa.Column('submitted_at', MOMENT, nullable=True),
        sa.Column('rescheduled_due_at', MOMENT, nullable=True),
        sa.Column('paused_from', MOMENT, nullable=True),
        sa.Column('supplement_stage', sa.String(length=12), nullable=True),
        sa.Column('redirected_to', sa.String(length=5), nullable=True),
        sa.Column('result', sa.String(length=10), nullable=True),
        sa.Column('processed_at', MOMENT, nullable=True),
        sa.Column('returned_at', MOMENT, nullable=True),
        sa.Column('returned_by', sa.String(length=10), nullable=True),
        sa.Column('postal_issue', sa.String(length=12), nullable=True),
        sa.Column('postal_issue_at', MOMENT, nullable=True),
        sa.Column('logbook_number', sa.Integer(), nullable=True),
        sa.Column('last_event_at', MOMENT, nullable=True),
        sa.Column('received_by', sa.String(length=120), nullable=True),
        sa.Column('received_by_name', sa.String(length=200), nullable=True),
        sa.Column('request_hash', sa.String(length=64), nullable=True),
    ]
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        for column in new_columns:
            batch_op.add_column(column)

    _complete_existing_rows()

    with op.batch_alter_table('dossier_history', schema=None) as batch_op:
        batch_op.alter_column('action', existing_type=sa.String(length=40), nullable=False)
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        for name, type_ in (('applicant_id_hash', sa.String(length=64)), ('fee_vnd', sa.Integer()),
                            ('submitted_at', MOMENT), ('last_event_at', MOMENT)):
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        batch_op.alter_column('received_at', existing_type=MOMENT, nullable=True)
        batch_op.alter_column('due_at', existing_type=MOMENT, nullable=True)
        batch_op.create_index(batch_op.f('ix_dossiers_applicant_id_hash'), ['applicant_id_hash'], unique=False)
        batch_op.create_index('ix_dossiers_receiving_unit_received_at', ['receiving_unit', 'received_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_status'), ['status'], unique=False)


def _complete_existing_rows() -> None:
    from motcua_shared.reference import UnknownProcedure, load_catalogue
    from motcua_shared.settings import load

    from motcua_intake.config import SETTINGS
    from motcua_intake.identity import IdentityHasher

    bind = op.get_bind()
    # 0001 wrote one history row per dossier, on reception; the appointment now travels with it.
    history = sa.table("dossier_history", sa.column("id"), sa.column("action"), sa.column("details", sa.JSON))
    for history_id, due_at in bind.execute(sa.text(
            "SELECT h.id, d.due_at FROM dossier_history h JOIN dossiers d ON d.code = h.dossier_code")).all():
        due = due_at if isinstance(due_at, datetime) else datetime.fromisoformat(str(due_at))
        due = due if due.tzinfo else due.replace(tzinfo=timezone.utc)
        bind.execute(history.update().where(history.c.id == history_id).values(
            action="receive", details={"due_at": due.isoformat()}))
    rows = bind.execute(sa.text("SELECT id, procedure_code, applicant_id_number FROM dossiers")).all()
    if not rows:
        return
    hasher = IdentityHasher(load("intake", SETTINGS).intake_id_hash_key)
    catalogue = load_catalogue()
    for row_id, procedure_code, id_number in rows:
        try:
            fee = catalogue.get(procedure_code).fee_vnd
        except UnknownProcedure:
            fee = 0
        bind.execute(sa.text(
            "UPDATE dossiers SET applicant_id_hash = :hash, fee_vnd = :fee, submitted_at = received_at, "
            "last_event_at = received_at, received_by = created_by WHERE id = :id"),
            {"hash": hasher.digest(id_number), "fee": fee, "id": row_id})


def downgrade() -> None:
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossiers_status'))
        batch_op.drop_index('ix_dossiers_receiving_unit_received_at')
        batch_op.drop_index(batch_op.f('ix_dossiers_applicant_id_hash'))
    # Dossiers that were never received cannot exist under 0001.
    op.execute("DELETE FROM dossier_history WHERE dossier_code IN "
               "(SELECT code FROM dossiers WHERE received_at IS NULL)")
    op.execute("DELETE FROM dossiers WHERE received_at IS NULL")
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.alter_column('due_at', existing_type=MOMENT, nullable=False)
        batch_op.alter_column('received_at', existing_type=MOMENT, nullable=False)
        for name in ('request_hash', 'received_by_name', 'received_by', 'last_event_at', 'logbook_number',
                     'postal_issue_at', 'postal_issue', 'returned_by', 'returned_at', 'processed_at', 'result',
                     'redirected_to', 'supplement_stage', 'paused_from', 'rescheduled_due_at', 'submitted_at',
                     'fee_vnd', 'applicant_id_hash', 'competent_unit_path'):
            batch_op.drop_column(name)
    with op.batch_alter_table('dossier_history', schema=None) as batch_op:
        for name in ('details', 'ref', 'unit', 'actor_name', 'action'):
            batch_op.drop_column(name)
    op.drop_table('logbook_sequences')
    op.drop_table('calendar_overrides')
