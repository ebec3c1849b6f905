"""every officer account belongs to a unit

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 17:20:00.000000

An account without a unit used to stand for "province-wide" (the first administrator, auditors); the
services now refuse an officer's token that names no unit, and the province's officers are those of
the province's unit. The accounts made before are given the province's code, 14 (Sơn La, the province
this deployment serves: motcua_console.auth.accounts.PROVINCE_UNIT), which gives them exactly the scope
they had; the column is then required. A downgrade keeps the codes: which accounts had none is not
known any more, and the province's code is what they meant.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PROVINCE_UNIT = '14'  # written here, not imported: a migration must not change when the code does


def upgrade() -> None:
    accounts = sa.table('accounts', sa.column('unit', sa.String(20)))
    op.execute(accounts.update().where(accounts.c.unit.is_(None)).values(unit=PROVINCE_UNIT))
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.alter_column('unit', existing_type=sa.String(length=20), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.alter_column('unit', existing_type=sa.String(length=20), nullable=True)
