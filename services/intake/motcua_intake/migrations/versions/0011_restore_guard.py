"""restore guard: the server identity codes were last issued on

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 19:50:00.000000

After intake's database is restored to an earlier point, its counters are behind the codes and
logbook numbers already printed on receipts. The row written here lets intake notice the restore
(restore_guard.py) and refuse to number anything until `motcua_intake after-restore` has run.
Empty at first: the first numbering records the server it happens on.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'restore_guard',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('server_identity', sa.String(length=200), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_restore_guard')),
    )


def downgrade() -> None:
    op.drop_table('restore_guard')
