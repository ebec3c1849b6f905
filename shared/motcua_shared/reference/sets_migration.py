"""The migration every service went through for imported reference sets (issue 16).

One row per imported set (motcua_shared.reference.store): intake writes it when an administrator imports
a set, the other services when the `vn.motcua.reference.changed` announcement reaches them. Empty at
first: the shipped files and MOTCUA_REFERENCE_DIR apply until a set is imported.

Each service's migration (intake 0013, notification 0007, postal 0007, reporting 0008, routing 0009)
calls these. Migrations replay this code for years: it is frozen. A later change to the table gets a
module of its own.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


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
