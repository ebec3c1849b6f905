"""imports: a district's past dossiers brought in from a file, staged and applied in parts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 13:30:00.000000

`imports` is one file (unique by its sha256: the same file again is the same import) and its progress;
`import_records` holds its validated records until they are applied, part by part, each part in one
transaction with its dossiers, their history and one `vn.motcua.history.imported` event.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'imports',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('applied', sa.Integer(), nullable=False),
        sa.Column('already', sa.Integer(), nullable=False),
        sa.Column('parts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_by', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_imports')),
        sa.UniqueConstraint('sha256', name=op.f('uq_imports_sha256')),
    )
    op.create_index(op.f('ix_imports_status'), 'imports', ['status'], unique=False)
    op.create_table(
        'import_records',
        sa.Column('import_id', sa.String(length=36), nullable=False),
        sa.Column('line', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=60), nullable=False),
        sa.Column('record', sa.JSON(), nullable=False),
        sa.Column('applied', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint('import_id', 'line', name=op.f('pk_import_records')),
    )
    op.create_index(op.f('ix_import_records_code'), 'import_records', ['code'], unique=False)
    op.create_index('ix_import_records_pending', 'import_records', ['import_id', 'line'], unique=False,
                    postgresql_where=sa.text('NOT applied'), sqlite_where=sa.text('NOT applied'))


def downgrade() -> None:
    op.drop_index('ix_import_records_pending', table_name='import_records')
    op.drop_index(op.f('ix_import_records_code'), table_name='import_records')
    op.drop_table('import_records')
    op.drop_index(op.f('ix_imports_status'), table_name='imports')
    op.drop_table('imports')
