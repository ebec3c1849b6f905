"""competent attribution: the unit that resolves each dossier, for Biểu 06 by the resolving agency;
whether it was paid online (Decision 766 §3.6)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 16:50:00.000000

`dossiers` is a projection: the new columns are filled for the rows whose competent unit is the
receiving unit (most of them, and all before routing planned them); `POST /api/v1/admin/projections/rebuild`
fills the rest from the route plans in the event store (docs/reports.md).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('competent_unit_path', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('competent_province_code', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('competent_district_code', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('competent_commune_code', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('paid_online', sa.Boolean(), nullable=True))
        batch_op.create_index(batch_op.f('ix_dossiers_competent_commune_code'), ['competent_commune_code'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_competent_district_code'), ['competent_district_code'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_dossiers_competent_province_code'), ['competent_province_code'],
                              unique=False)
    op.execute("UPDATE dossiers SET competent_unit_path = receiving_unit_path, "
               "competent_province_code = province_code, competent_district_code = district_code, "
               "competent_commune_code = commune_code WHERE competent_unit = receiving_unit")


def downgrade() -> None:
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossiers_competent_province_code'))
        batch_op.drop_index(batch_op.f('ix_dossiers_competent_district_code'))
        batch_op.drop_index(batch_op.f('ix_dossiers_competent_commune_code'))
        batch_op.drop_column('paid_online')
        batch_op.drop_column('competent_commune_code')
        batch_op.drop_column('competent_district_code')
        batch_op.drop_column('competent_province_code')
        batch_op.drop_column('competent_unit_path')
