"""last status change: `dossiers.last_event_at` is the moment of the last change of status

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:50:00.000000

Before, a history record that changes no status (an apology, a postal hand-over) also moved
`last_event_at`, and a later change was recorded no earlier than it: a province's completion dated
before an apology the deadline sweep had already sent was recorded at the apology's time, turning an
on-time dossier into a late one. The column now holds only the last change of status; this sets it
again from each dossier's history, so a dossier apologised for before the upgrade is not clamped.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The history actions that change a dossier's status (the transitions of lifecycle.py at this revision).
STATUS_CHANGES = ("submit", "receive", "accept", "request_supplement", "refuse", "redirect", "transfer",
                  "processing_supplement", "supplement_received", "request_withdrawal", "withdraw", "process",
                  "return_result")


def upgrade() -> None:
    changes = ", ".join(f"'{action}'" for action in STATUS_CHANGES)
    last = (f"SELECT max(h.occurred_at) FROM dossier_history h "
            f"WHERE h.dossier_code = dossiers.code AND h.action IN ({changes})")
    op.execute(sa.text(f"UPDATE dossiers SET last_event_at = ({last}) WHERE ({last}) IS NOT NULL"))


def downgrade() -> None:
    pass  # the records' times are still in the history; nothing to restore
