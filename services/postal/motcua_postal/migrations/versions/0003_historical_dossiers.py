"""historical dossiers: postal records a dossier brought in from the past and ships nothing for it

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 11:45:00.000000

Any dossier event carrying `historical` (a dossier an administrator imported with its history) marks
the dossier's row; reconcile then never requests a pickup nor sends its result. Every existing row
is live.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('dossier_returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('historical', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('dossier_returns', schema=None) as batch_op:
        batch_op.drop_column('historical')
