"""unconfirmed contacts: what a citizen typed is limited until an officer or its owner confirms it

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 17:20:00.000000

`recipients.contact_confirmed` is false for a contact a citizen typed in their own submission
(dossier.submitted's `applicant.confirmed`); every existing row was entered or vouched for under the
old rules and stays trusted. `confirmed_addresses` holds the keys of addresses confirmed since (an
officer entered them, or their owner followed the receipt's link), `unconfirmed_sends` the one message
a day an unconfirmed address may get.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_confirmed', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table(
        'confirmed_addresses',
        sa.Column('address_key', sa.String(length=64), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('dossier_code', sa.String(length=60), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('address_key', name=op.f('pk_confirmed_addresses')),
    )
    op.create_table(
        'unconfirmed_sends',
        sa.Column('address_key', sa.String(length=64), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('dossier_code', sa.String(length=60), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('address_key', 'day', name=op.f('pk_unconfirmed_sends')),
    )


def downgrade() -> None:
    op.drop_table('unconfirmed_sends')
    op.drop_table('confirmed_addresses')
    with op.batch_alter_table('recipients', schema=None) as batch_op:
        batch_op.drop_column('contact_confirmed')
