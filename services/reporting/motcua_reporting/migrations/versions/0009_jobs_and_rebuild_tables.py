"""jobs and rebuild tables: the projection rebuild runs as a background job in resumable chunks

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 20:30:00.000000

`jobs` (motcua_shared.jobs) holds each job's state, progress, checkpoint and lease; the rebuild writes
into `rebuild_timeline` and `rebuild_dossiers`, with `rebuild_seen` the events it took in, and copies
them over the live projections at its end (projection.rebuild). All start empty. The event store gets
an index in the order the rebuild reads it.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from motcua_shared.jobs import create_table_migration, drop_table_migration

revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    create_table_migration()
    op.create_index('ix_event_store_stored_at_event_id', 'event_store', ['stored_at', 'event_id'], unique=False)
    op.create_table(
        'rebuild_timeline',
        sa.Column('event_id', sa.String(length=36), nullable=False),
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('occurred_at', TZ, nullable=False),
        sa.Column('due_at', TZ, nullable=True),
        sa.Column('paused_from', TZ, nullable=True),
        sa.Column('original_due_at', TZ, nullable=True),
        sa.Column('facts', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_rebuild_timeline')),
    )
    op.create_index(op.f('ix_rebuild_timeline_code'), 'rebuild_timeline', ['code'], unique=False)
    op.create_table(
        'rebuild_dossiers',
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('procedure_code', sa.String(length=40), nullable=True),
        sa.Column('procedure_level', sa.String(length=10), nullable=True),
        sa.Column('sector', sa.String(length=200), nullable=True),
        sa.Column('inter_agency', sa.Boolean(), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=True),
        sa.Column('receiving_unit', sa.String(length=5), nullable=True),
        sa.Column('receiving_unit_path', sa.String(length=20), nullable=True),
        sa.Column('province_code', sa.String(length=2), nullable=True),
        sa.Column('district_code', sa.String(length=3), nullable=True),
        sa.Column('commune_code', sa.String(length=5), nullable=True),
        sa.Column('competent_unit', sa.String(length=5), nullable=True),
        sa.Column('competent_unit_path', sa.String(length=20), nullable=True),
        sa.Column('competent_province_code', sa.String(length=2), nullable=True),
        sa.Column('competent_district_code', sa.String(length=3), nullable=True),
        sa.Column('competent_commune_code', sa.String(length=5), nullable=True),
        sa.Column('submitted_at', TZ, nullable=True),
        sa.Column('received_at', TZ, nullable=True),
        sa.Column('due_at', TZ, nullable=True),
        sa.Column('ended_at', TZ, nullable=True),
        sa.Column('end_kind', sa.String(length=20), nullable=True),
        sa.Column('end_class', sa.String(length=10), nullable=True),
        sa.Column('end_due_at', TZ, nullable=True),
        sa.Column('handling_minutes', sa.Integer(), nullable=True),
        sa.Column('supplement_requests', sa.Integer(), nullable=False),
        sa.Column('apologised', sa.Boolean(), nullable=False),
        sa.Column('paid_online', sa.Boolean(), nullable=True),
        sa.Column('clock', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_rebuild_dossiers')),
    )
    op.create_table(
        'rebuild_seen',
        sa.Column('event_id', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('event_id', name=op.f('pk_rebuild_seen')),
    )


def downgrade() -> None:
    op.drop_table('rebuild_seen')
    op.drop_table('rebuild_dossiers')
    op.drop_index(op.f('ix_rebuild_timeline_code'), table_name='rebuild_timeline')
    op.drop_table('rebuild_timeline')
    drop_table_migration()
    op.drop_index('ix_event_store_stored_at_event_id', table_name='event_store')
