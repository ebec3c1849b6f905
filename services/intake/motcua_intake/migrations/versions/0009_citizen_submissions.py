"""citizen submissions: a daily count per citizen account, and a separate numbering for what citizens send

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 17:10:00.000000

`citizen_submissions` counts the dossiers each citizen account sent on each local day, for
INTAKE_CITIZEN_DAILY_LIMIT (citizen_limits.py). `citizen_sequences` numbers the dossiers citizens send
online or by post from 5001 up, apart from the desk's own 0001-5000 (sequences.py), so no number of
citizen submissions can use up the numbers a desk receives at the counter with. Both start empty:
earlier days are never counted again.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'citizen_submissions',
        sa.Column('creator', sa.String(length=120), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('creator', 'day', name=op.f('pk_citizen_submissions')),
    )
    op.create_table(
        'citizen_sequences',
        sa.Column('agency_id', sa.String(length=60), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('last_value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('agency_id', 'day', name=op.f('pk_citizen_sequences')),
    )


def downgrade() -> None:
    op.drop_table('citizen_sequences')
    op.drop_table('citizen_submissions')
