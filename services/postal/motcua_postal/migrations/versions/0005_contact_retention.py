"""contact retention: an ended shipment's parties, and a finished dossier's contact, can be erased

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 17:20:00.000000

The parties' names and addresses become nullable (null: erased), and both tables record when their
contacts were erased. The worker's retention sweep (retention.py) erases what is older than
POSTAL_CONTACT_RETENTION_DAYS at its first run after the upgrade; nothing is erased here.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

REQUIRED_PARTIES = (('pickup_name', 200), ('pickup_address', 500), ('delivery_name', 200), ('delivery_address', 500))


def upgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        for name, length in REQUIRED_PARTIES:
            batch_op.alter_column(name, existing_type=sa.String(length=length), nullable=True)
        batch_op.add_column(sa.Column('contacts_erased_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_shipments_contacts_kept', ['status_at'], unique=False,
                              postgresql_where=sa.text('contacts_erased_at IS NULL'),
                              sqlite_where=sa.text('contacts_erased_at IS NULL'))
    with op.batch_alter_table('dossier_returns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contacts_erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('dossier_returns', schema=None) as batch_op:
        batch_op.drop_column('contacts_erased_at')
    # An erased party cannot come back: it reads as erased in words, for the columns that were required.
    for name, _length in REQUIRED_PARTIES:
        op.execute(sa.text(f"UPDATE shipments SET {name} = '(đã xóa)' WHERE {name} IS NULL"))
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_shipments_contacts_kept', postgresql_where=sa.text('contacts_erased_at IS NULL'),
                            sqlite_where=sa.text('contacts_erased_at IS NULL'))
        batch_op.drop_column('contacts_erased_at')
        for name, length in REQUIRED_PARTIES:
            batch_op.alter_column(name, existing_type=sa.String(length=length), nullable=False)
