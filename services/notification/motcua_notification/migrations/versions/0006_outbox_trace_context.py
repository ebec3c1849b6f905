"""outbox trace context: the W3C traceparent and tracestate each event was written under

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 20:00:00.000000

With tracing on (docs/tracing.md) the relay continues each event's trace when it publishes; the
context is kept beside the body, which also carries it. Existing rows have none.
"""
from typing import Sequence, Union

from motcua_shared.messaging import outbox_trace_context

revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    outbox_trace_context.upgrade()


def downgrade() -> None:
    outbox_trace_context.downgrade()
