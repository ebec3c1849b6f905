"""historical dossiers: a recipient row remembers that its dossier was brought in from the past

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 11:40:00.000000

dossier.submitted / dossier.received carry `historical` for a dossier an administrator imported with
its history; notification records it and never writes a notice or a message for that dossier, even
for a later event (from routing or postal) that does not carry the flag. Every existing row is live.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('historical', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.drop_column('historical')
