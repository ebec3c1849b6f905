"""historical routes: a route opened from a dossier brought in from the past

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 11:30:00.000000

dossier.received carries `historical` for a dossier an administrator imported with its history; its
route is recorded and its steps answered as usual, but the deadline sweep never warns, escalates or
apologises for it. Every existing route is live (false).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('dossier_routes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('historical', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('dossier_routes', schema=None) as batch_op:
        batch_op.drop_column('historical')
