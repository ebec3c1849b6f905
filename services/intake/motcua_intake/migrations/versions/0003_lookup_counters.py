"""lookup counters: the public lookup's per-client and per-code rate limits

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 23:55:00.000000

Counters live in the database, not in a process, because gunicorn runs several API workers (and
compose may run several containers): a limit kept per process would multiply by their number.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'lookup_counters',
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', 'window_start', name=op.f('pk_lookup_counters')),
    )
    op.create_index(op.f('ix_lookup_counters_window_start'), 'lookup_counters', ['window_start'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_lookup_counters_window_start'), table_name='lookup_counters')
    op.drop_table('lookup_counters')
