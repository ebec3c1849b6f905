"""routes, steps and hand-overs

The route of each dossier (dossier_routes gets its real shape), its steps, the control log
(handovers, Mẫu 05), withdrawals that arrive before their dossier, and the patterns the local step
queue is bound with.

0001's dossier_routes was the walking skeleton's placeholder: one row per received dossier, with no
plan and no step. Those rows are deleted rather than given made-up routes; no routing state is lost
because none existed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 21:22:55.789701

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.execute("DELETE FROM dossier_routes")
    with op.batch_alter_table('dossier_routes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hierarchy', sa.String(length=12), nullable=False))
        batch_op.add_column(sa.Column('variant', sa.String(length=20), nullable=False))
        batch_op.add_column(sa.Column('channel', sa.String(length=10), nullable=False))
        batch_op.add_column(sa.Column('receiving_unit', sa.String(length=5), nullable=False))
        batch_op.add_column(sa.Column('receiving_unit_path', sa.String(length=20), nullable=False))
        batch_op.add_column(sa.Column('original_due_at', sa.DateTime(timezone=True), nullable=False))
        batch_op.add_column(sa.Column('status', sa.String(length=24), nullable=False))
        batch_op.add_column(sa.Column('outcome', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('warned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('apology_issued_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_index(batch_op.f('ix_dossier_routes_dossier_code'))
        batch_op.create_index('ix_dossier_routes_open_due', ['status', 'due_at'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_dossier_routes_dossier_code'), ['dossier_code'])

    op.create_table('local_bindings',
    sa.Column('pattern', sa.String(length=100), nullable=False),
    sa.Column('bound_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('pattern', name=op.f('pk_local_bindings'))
    )
    op.create_table('withdrawals',
    sa.Column('dossier_code', sa.String(length=60), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('dossier_code', name=op.f('pk_withdrawals'))
    )
    op.create_table('handovers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('route_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('step_id', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('from_party', sa.String(length=200), nullable=False),
    sa.Column('to_party', sa.String(length=200), nullable=False),
    sa.Column('from_person', sa.String(length=120), nullable=True),
    sa.Column('to_person', sa.String(length=120), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('result', sa.String(length=24), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['route_id'], ['dossier_routes.id'], name=op.f('fk_handovers_route_id_dossier_routes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handovers'))
    )
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handovers_route_id'), ['route_id'], unique=False)

    op.create_table('route_steps',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('step_id', sa.String(length=64), nullable=False),
    sa.Column('route_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('dossier_code', sa.String(length=60), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('unit', sa.String(length=5), nullable=False),
    sa.Column('unit_path', sa.String(length=20), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('agency_id', sa.String(length=60), nullable=False),
    sa.Column('agency_name', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('budget_minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('local_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=120), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    sa.Column('handled_by', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('warned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['route_id'], ['dossier_routes.id'], name=op.f('fk_route_steps_route_id_dossier_routes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_route_steps')),
    sa.UniqueConstraint('route_id', 'sequence', 'attempt', name=op.f('uq_route_steps_route_id_sequence_attempt')),
    sa.UniqueConstraint('step_id', name=op.f('uq_route_steps_step_id'))
    )
    with op.batch_alter_table('route_steps', schema=None) as batch_op:
        batch_op.create_index('ix_route_steps_open_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_route_steps_route_id'), ['route_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_route_steps_unit_path'), ['unit_path'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('route_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_route_steps_unit_path'))
        batch_op.drop_index(batch_op.f('ix_route_steps_route_id'))
        batch_op.drop_index('ix_route_steps_open_due')

    op.drop_table('route_steps')
    with op.batch_alter_table('handovers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handovers_route_id'))

    op.drop_table('handovers')
    op.drop_table('withdrawals')
    op.drop_table('local_bindings')

    with op.batch_alter_table('dossier_routes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_dossier_routes_dossier_code'), type_='unique')
        batch_op.drop_index('ix_dossier_routes_open_due')
        batch_op.create_index(batch_op.f('ix_dossier_routes_dossier_code'), ['dossier_code'], unique=False)
        batch_op.drop_column('apology_issued_at')
        batch_op.drop_column('warned_at')
        batch_op.drop_column('paused_at')
        batch_op.drop_column('stopped_at')
        batch_op.drop_column('completed_at')
        batch_op.drop_column('outcome')
        batch_op.drop_column('status')
        batch_op.drop_column('original_due_at')
        batch_op.drop_column('receiving_unit_path')
        batch_op.drop_column('receiving_unit')
        batch_op.drop_column('channel')
        batch_op.drop_column('variant')
        batch_op.drop_column('hierarchy')
