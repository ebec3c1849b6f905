"""inbox per queue: deduplication by (consumer, queue, event id)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 17:10:00.000000

One inbox key across a service's queues let an event id reused on one queue (anyone holding a
partner's broker credentials can choose ids) suppress another queue's event with the same id: it
was taken for a duplicate and never acted on. The queue is now part of the key.

Existing rows keep their meaning: each belongs to the queue the service consumed it from.
Intake consumes one queue, intake.inbox: every row is its.
"""
from typing import Sequence, Union

from motcua_shared.messaging import inbox_per_queue

revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MAIN_QUEUE = 'intake.inbox'
# Event types that only ever arrive on a queue other than the main one.
OTHER_QUEUES: dict[str, tuple[str, ...]] = {}


def upgrade() -> None:
    inbox_per_queue.upgrade(MAIN_QUEUE, OTHER_QUEUES)


def downgrade() -> None:
    inbox_per_queue.downgrade()
