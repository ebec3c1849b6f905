"""jobs: re-keying the identity numbers runs as a background job in resumable chunks

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 20:40:00.000000

`jobs` (motcua_shared.jobs) holds each job's state, progress, checkpoint and lease (rehash.py). Empty.
"""
from typing import Sequence, Union

from motcua_shared.jobs import create_table_migration, drop_table_migration

revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    create_table_migration()


def downgrade() -> None:
    drop_table_migration()
