"""outbox notify trigger: each insert into the outbox wakes the relay (LISTEN motcua_outbox_intake)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 23:00:00.000000

A statement-level AFTER INSERT trigger notifies the channel at commit, so the relay publishes at once
instead of polling (motcua_shared.messaging.outbox_notify_trigger). PostgreSQL only: on SQLite nothing
changes and the relay keeps polling.
"""
from typing import Sequence, Union

from motcua_shared.messaging import outbox_notify_trigger

revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    outbox_notify_trigger.upgrade('motcua_outbox_intake')


def downgrade() -> None:
    outbox_notify_trigger.downgrade()
