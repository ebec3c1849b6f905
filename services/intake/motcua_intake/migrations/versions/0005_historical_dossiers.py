"""historical dossiers: `dossiers.historical` marks a dossier an administrator brought in from the past

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 11:30:00.000000

A dossier created with an administrator's `received_at` is history: every dossier.* event intake
publishes for it carries `historical: true`, so the other services record and count it without sending
a message, asking for a pickup, apologising or escalating. Dossiers already stored stay live (false):
which of them were imported was never recorded, and treating a live dossier as history would silence it.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('historical', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_column('historical')
