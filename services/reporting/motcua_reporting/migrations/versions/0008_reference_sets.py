"""reference sets: the reference data sets imported at intake, as this service keeps them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 20:00:00.000000

One row per import (motcua_shared.reference.store): intake writes it when an administrator imports a set,
the other services when the `vn.motcua.reference.changed` announcement reaches them. Empty at first: the
shipped files and MOTCUA_REFERENCE_DIR apply until a set is imported.
"""
from typing import Sequence, Union

from motcua_shared.reference import sets_migration

revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    sets_migration.upgrade()


def downgrade() -> None:
    sets_migration.downgrade()
