"""`python -m motcua_intake rehash`: bring every stored identity number under the current keys.

Run once after rotating INTAKE_ID_HASH_KEY or INTAKE_ID_ENCRYPTION_KEY (the old encryption key listed in
INTAKE_ID_PREVIOUS_ENCRYPTION_KEYS meanwhile), with the API stopped or accepting that lookups fail until
it ends. Each number is decrypted, hashed under the current hash key and, when it was encrypted under a
previous key, encrypted again under the current one.

A citizen's `created_by` is the hash of their token's subject, which is not stored anywhere else: it is
recomputed when the citizen submitted for themself (the same hash as the applicant's, the usual case);
a dossier a citizen submitted for someone else stays visible to its applicant, and to its submitter
again only if the hash key is put back (docs/personal-data.md).
"""
from __future__ import annotations

import logging

from sqlalchemy import select, update

from motcua_shared import logs
from motcua_shared.service import Runtime

from .desk import Desk
from .identity import CITIZEN_CREATOR
from .models import dossiers
from .service import SPEC

log = logging.getLogger("motcua.intake.rehash")
BATCH = 1000


def main() -> None:
    runtime = Runtime(SPEC)
    logs.configure(SPEC.name, "rehash", runtime.settings.log_level)
    counts = rehash(runtime, Desk.from_settings(runtime.settings))
    log.info("identity_hashes_recomputed", extra=counts)
    runtime.close()


def rehash(runtime: Runtime, desk: Desk) -> dict[str, int]:
    hasher, cipher = desk.identities, desk.identity_numbers
    counts = {"dossiers": 0, "reencrypted": 0, "creators": 0}
    last_id = 0
    while True:
        with runtime.sessions.begin() as session:
            batch = session.execute(select(dossiers.c.id, dossiers.c.applicant_id_encrypted,
                                           dossiers.c.applicant_id_hash, dossiers.c.created_by)
                                    .where(dossiers.c.id > last_id).order_by(dossiers.c.id).limit(BATCH)).all()
            for row_id, encrypted, old_hash, created_by in batch:
                id_number = cipher.decrypt(encrypted)
                values = {"applicant_id_hash": hasher.digest(id_number)}
                if not cipher.is_current(encrypted):
                    values["applicant_id_encrypted"] = cipher.encrypt(id_number)
                    counts["reencrypted"] += 1
                if created_by == CITIZEN_CREATOR + old_hash:
                    values["created_by"] = hasher.creator(id_number)
                    counts["creators"] += 1
                session.execute(update(dossiers).where(dossiers.c.id == row_id).values(**values))
        if not batch:
            return counts
        counts["dossiers"] += len(batch)
        last_id = batch[-1][0]
