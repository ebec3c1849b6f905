"""identity numbers encrypted: no citizen's identity number is stored in clear, nor used as `created_by`

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 17:05:00.000000

Each dossier's number is encrypted under INTAKE_ID_ENCRYPTION_KEY into `applicant_id_encrypted` and its
keyed hash recomputed under INTAKE_ID_HASH_KEY (the settings the service runs with: run the upgrade with
them); the clear column is dropped. A citizen's dossier recorded their identity number as `created_by`:
it becomes `citizen:<keyed hash>`, what intake now writes (identity.py). History rows written before
citizens were recorded anonymously get `citizen` as their actor. An import record already applied keeps
only its code and fingerprint.

The downgrade decrypts the numbers back into the clear column; `created_by` stays hashed (the number a
citizen's token carried cannot be recovered from it, and a citizen still finds the dossiers where they
are the applicant).
"""
import re
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# A citizen's identity number (CCCD, 12 digits; the old CMND, 9): no officer's id looks like one.
IDENTITY_NUMBER = re.compile(r"\d{12}|\d{9}")
BATCH = 1000

dossiers = sa.table('dossiers', sa.column('id', sa.BigInteger), sa.column('applicant_id_number', sa.String),
                    sa.column('applicant_id_encrypted', sa.String), sa.column('applicant_id_hash', sa.String),
                    sa.column('created_by', sa.String))
history = sa.table('dossier_history', sa.column('actor', sa.String))
import_records = sa.table('import_records', sa.column('import_id', sa.String), sa.column('line', sa.Integer),
                          sa.column('record', sa.JSON), sa.column('applied', sa.Boolean))


def _keys():
    from motcua_shared.settings import load

    from motcua_intake.config import SETTINGS
    from motcua_intake.identity import IdentityCipher, IdentityHasher

    settings = load("intake", SETTINGS)
    return (IdentityHasher(settings.intake_id_hash_key),
            IdentityCipher(settings.intake_id_encryption_key, settings.intake_id_previous_encryption_keys))


def upgrade() -> None:
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applicant_id_encrypted', sa.String(length=200), nullable=True))
    bind = op.get_bind()
    hasher, cipher = _keys()
    last = 0
    while True:
        rows = bind.execute(sa.select(dossiers.c.id, dossiers.c.applicant_id_number, dossiers.c.created_by)
                            .where(dossiers.c.id > last).order_by(dossiers.c.id).limit(BATCH)).all()
        if not rows:
            break
        for row_id, id_number, created_by in rows:
            values = {"applicant_id_encrypted": cipher.encrypt(id_number),
                      "applicant_id_hash": hasher.digest(id_number)}
            if IDENTITY_NUMBER.fullmatch(created_by or ""):
                values["created_by"] = hasher.creator(created_by)
            bind.execute(dossiers.update().where(dossiers.c.id == row_id).values(**values))
        last = rows[-1][0]
    numbers = [actor for (actor,) in bind.execute(sa.select(history.c.actor).distinct())
               if IDENTITY_NUMBER.fullmatch(actor or "")]
    for first in range(0, len(numbers), BATCH):
        bind.execute(history.update().where(history.c.actor.in_(numbers[first:first + BATCH]))
                     .values(actor="citizen"))
    _forget_applied_import_records(bind)
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.alter_column('applicant_id_encrypted', existing_type=sa.String(length=200), nullable=False)
        batch_op.drop_column('applicant_id_number')


def _forget_applied_import_records(bind) -> None:
    """An applied import record keeps only its code and fingerprint (what tells the same record imported
    again), as imports/applying.py now leaves it: the applicant is in `dossiers`, the number encrypted."""
    last = ('', 0)
    while True:
        rows = bind.execute(sa.select(import_records.c.import_id, import_records.c.line, import_records.c.record)
                            .where(import_records.c.applied.is_(True),
                                   sa.tuple_(import_records.c.import_id, import_records.c.line) > sa.tuple_(*last))
                            .order_by(import_records.c.import_id, import_records.c.line).limit(BATCH)).all()
        if not rows:
            return
        for import_id, line, record in rows:
            if set(record) - {'code', 'fingerprint'}:
                bind.execute(import_records.update()
                             .where(import_records.c.import_id == import_id, import_records.c.line == line)
                             .values(record={'code': record.get('code'), 'fingerprint': record.get('fingerprint')}))
        last = (rows[-1][0], rows[-1][1])


def downgrade() -> None:
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applicant_id_number', sa.String(length=12), nullable=True))
    bind = op.get_bind()
    _hasher, cipher = _keys()
    for row_id, encrypted in bind.execute(sa.select(dossiers.c.id, dossiers.c.applicant_id_encrypted)).all():
        bind.execute(dossiers.update().where(dossiers.c.id == row_id)
                     .values(applicant_id_number=cipher.decrypt(encrypted)))
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.alter_column('applicant_id_number', existing_type=sa.String(length=12), nullable=False)
        batch_op.drop_column('applicant_id_encrypted')
