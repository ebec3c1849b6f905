"""calendar overrides: this service's copy of the province's declared days off and working days

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 02:40:00.000000

Built from intake's `vn.motcua.calendar.changed` events (motcua_shared.province_calendar). Empty at
first: the statutory calendar applies until a declaration arrives.
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
        'calendar_overrides',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=True),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.Column('changed_at_us', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_overrides')),
    )


def downgrade() -> None:
    op.drop_table('calendar_overrides')
