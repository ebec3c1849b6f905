"""messages accepted by: which provider, at which address, took each message

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 20:10:00.000000

`messages.accepted_by` says where a sent message went: `smtp:<host>:<port>`, `sms:<host>`,
`zalo:<host>`, or `dev_sink:<address>` for a development catcher (the mail catcher, the SMS sink),
whose "delivered" reached nobody. Rows sent before this revision have none: which address their
provider had then is not known, and guessing it could call a real message caught, or the reverse.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_by', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('accepted_by')
