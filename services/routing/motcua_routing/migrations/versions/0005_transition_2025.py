"""transition 2025: when a route's steps were checked for agencies that ceased on 01/07/2025

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 16:40:00.000000

A route in progress when two-level local government began (01/07/2025) has its steps at agencies
that ceased handed to their successors, once (transition.py). The deadline sweep looks only at
three-level routes without this mark; the administrator's command checks every open route again.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('dossier_routes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transition_checked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('dossier_routes', schema=None) as batch_op:
        batch_op.drop_column('transition_checked_at')
