"""The migration every service's outbox went through (issue 16): the W3C trace context of each event.

`traceparent` and `tracestate` (docs/tracing.md) are kept beside the body so the relay can continue
the trace when it publishes without decoding the body. Both stay empty when tracing is off, and rows
written before the migration have none: their events are published as before.

Each service's migration (intake 0012, notification 0006, postal 0006, reporting 0007, routing 0008)
calls these. Migrations replay this code for years: it is frozen. A later change to the outbox gets
a module of its own.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def upgrade() -> None:
    # Nullable columns without a default: on PostgreSQL and SQLite alike a catalogue change, no table rewrite.
    op.add_column('outbox', sa.Column('traceparent', sa.String(length=55), nullable=True))
    op.add_column('outbox', sa.Column('tracestate', sa.String(length=512), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('tracestate')
        batch_op.drop_column('traceparent')
