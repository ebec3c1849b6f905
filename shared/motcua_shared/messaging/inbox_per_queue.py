"""The one data migration every service's inbox went through (issue 15): the queue joins the key.

One inbox key across a service's queues let an event id reused on one queue (anyone holding a
partner's broker credentials can choose ids) suppress another queue's event with the same id: it was
taken for a duplicate and never acted on. The key became (consumer, queue, event id).

Each service's migration (intake 0010, notification 0004, postal 0004, reporting 0006, routing 0006)
calls these with the queue its existing rows came from. Migrations replay this code for years: it is
frozen. A later change to the inbox gets a module of its own.
"""
from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from alembic import op

_inbox = sa.table('inbox', sa.column('consumer', sa.String), sa.column('queue', sa.String),
                  sa.column('event_id', sa.String), sa.column('event_type', sa.String))


def upgrade(main_queue: str, other_queues: Mapping[str, tuple[str, ...]]) -> None:
    """Add the queue to the key. An existing row belongs to the queue its event type only ever arrives
    on (`other_queues`: queue → event types), else to `main_queue`."""
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue', sa.String(length=255), nullable=True))
    for queue, types in other_queues.items():
        op.execute(_inbox.update().where(_inbox.c.event_type.in_(types)).values(queue=queue))
    op.execute(_inbox.update().where(_inbox.c.queue.is_(None)).values(queue=main_queue))
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.alter_column('queue', existing_type=sa.String(length=255), nullable=False)
        batch_op.drop_constraint('pk_inbox', type_='primary')
        batch_op.create_primary_key('pk_inbox', ['consumer', 'queue', 'event_id'])


def downgrade() -> None:
    # The old key holds one row per (consumer, event id): of rows differing only by queue, keep one.
    other = _inbox.alias('other')
    op.execute(_inbox.delete().where(sa.exists().where(
        other.c.consumer == _inbox.c.consumer, other.c.event_id == _inbox.c.event_id,
        other.c.queue < _inbox.c.queue)))
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.drop_constraint('pk_inbox', type_='primary')
        batch_op.create_primary_key('pk_inbox', ['consumer', 'event_id'])
        batch_op.drop_column('queue')
