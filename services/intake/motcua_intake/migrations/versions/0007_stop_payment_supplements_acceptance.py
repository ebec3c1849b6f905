"""lifecycle: the agency's stop, the financial obligation, the count of supplement requests, the desk's
time limit for accepting online and postal submissions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 16:40:00.000000

`supplement_requests` is filled from the history already kept (every `request_supplement` and
`processing_supplement` row), so a dossier asked twice before this revision is counted so. The
acceptance limit of dossiers already waiting is left empty: it was never promised to them, and the
sweep only flags dossiers that have one.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = (
    ('supplement_requests', lambda: sa.Column('supplement_requests', sa.Integer(), server_default='0',
                                              nullable=False)),
    ('acceptance_due_at', lambda: sa.Column('acceptance_due_at', sa.DateTime(timezone=True), nullable=True)),
    ('acceptance_overdue_at', lambda: sa.Column('acceptance_overdue_at', sa.DateTime(timezone=True), nullable=True)),
    ('stop_ground', lambda: sa.Column('stop_ground', sa.String(length=30), nullable=True)),
    ('stop_reason', lambda: sa.Column('stop_reason', sa.Text(), nullable=True)),
    ('stopped_at', lambda: sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True)),
    ('payment_obligation', lambda: sa.Column('payment_obligation', sa.String(length=10), nullable=True)),
    ('payment_amount_vnd', lambda: sa.Column('payment_amount_vnd', sa.BigInteger(), nullable=True)),
    ('payment_purpose', lambda: sa.Column('payment_purpose', sa.String(length=500), nullable=True)),
    ('payment_requested_at', lambda: sa.Column('payment_requested_at', sa.DateTime(timezone=True), nullable=True)),
    ('paid_at', lambda: sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True)),
    ('payment_method', lambda: sa.Column('payment_method', sa.String(length=20), nullable=True)),
    ('payment_receipt_number', lambda: sa.Column('payment_receipt_number', sa.String(length=50), nullable=True)),
)


def upgrade() -> None:
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        for _, column in COLUMNS:
            batch_op.add_column(column())
        batch_op.create_index('ix_dossiers_status_acceptance_due_at', ['status', 'acceptance_due_at'])
    op.execute("UPDATE dossiers SET supplement_requests = (SELECT count(*) FROM dossier_history h "
               "WHERE h.dossier_code = dossiers.code AND h.action IN ('request_supplement', 'processing_supplement'))")


def downgrade() -> None:
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index('ix_dossiers_status_acceptance_due_at')
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
