"""inbox per queue: deduplication by (consumer, queue, event id)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 17:10:00.000000

One inbox key across a service's queues let an event id reused on one queue (anyone holding a
partner's broker credentials can choose ids) suppress another queue's event with the same id: it
was taken for a duplicate and never acted on. The queue is now part of the key.

Existing rows keep their meaning: each belongs to the queue the service consumed it from.
Postal consumes two: the partner's status reports come only on postal.partner-reports
(it accepts no other type), everything else on postal.inbox.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MAIN_QUEUE = 'postal.inbox'
# Event types that only ever arrive on a queue other than the main one.
OTHER_QUEUES: dict[str, tuple[str, ...]] = {
    'postal.partner-reports': ('vn.motcua.postal.status.reported',),
}

inbox = sa.table('inbox', sa.column('consumer', sa.String), sa.column('queue', sa.String),
                 sa.column('event_id', sa.String), sa.column('event_type', sa.String))


def upgrade() -> None:
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue', sa.String(length=255), nullable=True))
    for queue, types in OTHER_QUEUES.items():
        op.execute(inbox.update().where(inbox.c.event_type.in_(types)).values(queue=queue))
    op.execute(inbox.update().where(inbox.c.queue.is_(None)).values(queue=MAIN_QUEUE))
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.alter_column('queue', existing_type=sa.String(length=255), nullable=False)
        batch_op.drop_constraint('pk_inbox', type_='primary')
        batch_op.create_primary_key('pk_inbox', ['consumer', 'queue', 'event_id'])


def downgrade() -> None:
    # The old key holds one row per (consumer, event id): of rows differing only by queue, keep one.
    other = inbox.alias('other')
    op.execute(inbox.delete().where(sa.exists().where(
        other.c.consumer == inbox.c.consumer, other.c.event_id == inbox.c.event_id, other.c.queue < inbox.c.queue)))
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.drop_constraint('pk_inbox', type_='primary')
        batch_op.create_primary_key('pk_inbox', ['consumer', 'event_id'])
        batch_op.drop_column('queue')
