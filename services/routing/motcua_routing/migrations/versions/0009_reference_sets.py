"""reference sets: the reference data sets imported at intake, as this service keeps them

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 20:00:00.000000

One row per import (motcua_shared.reference.store): intake writes it when an administrator imports a set,
the other services when the `vn.motcua.reference.changed` announcement reaches them. Empty at first: the
shipped files and MOTCUA_REFERENCE_DIR apply until a set is imported.
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
        'reference_sets',
        sa.Column('sequence', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('version', sa.String(length=64), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=True),
        sa.Column('files', sa.JSON(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('sequence', name=op.f('pk_reference_sets')),
    )


def downgrade() -> None:
    op.drop_table('reference_sets')
