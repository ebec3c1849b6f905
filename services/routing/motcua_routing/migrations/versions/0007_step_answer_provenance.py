"""step answer provenance: the queue a step's answer is accepted on, and the event that closed it

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 17:15:00.000000

Answers used to be accepted whoever sent them: the province's routing user could close a step a
commune officer held locally. A step now records how it was dispatched: `answer_queue` is
routing.step-answers when the step was left on routing.steps for the province's plug-in, NULL when
it is held locally (answered through the officers' API) or was never dispatched. `answer_event_id`
is the event that closed it, so that the echo of an officer's own completion on the answers queue
is known as routing's own.

Existing rows: a step given to an agency (assigned_at set) that never reached the local work inbox
(local_at NULL) was left to the plug-in. A local step still on its way to the local queue when this
runs is marked so too, and corrected when it arrives (answers.on_step_assigned_locally).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ANSWERS_QUEUE = 'routing.step-answers'

route_steps = sa.table('route_steps', sa.column('answer_queue', sa.String), sa.column('assigned_at'),
                       sa.column('local_at'))


def upgrade() -> None:
    with op.batch_alter_table('route_steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_queue', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('answer_event_id', sa.String(length=36), nullable=True))
    op.execute(route_steps.update().where(route_steps.c.assigned_at.is_not(None), route_steps.c.local_at.is_(None))
               .values(answer_queue=ANSWERS_QUEUE))


def downgrade() -> None:
    with op.batch_alter_table('route_steps', schema=None) as batch_op:
        batch_op.drop_column('answer_event_id')
        batch_op.drop_column('answer_queue')
