"""`python -m motcua_intake rehash`: recompute every identity hash under the current INTAKE_ID_HASH_KEY.

Run once after rotating the key (with the API stopped or accepting that lookups fail until it ends);
the plain numbers are kept for the printed forms, so nothing else is needed.
"""
from __future__ import annotations

import logging

from sqlalchemy import select, update

from motcua_shared import logs
from motcua_shared.service import Runtime

from .identity import IdentityHasher
from .models import dossiers
from .service import SPEC

log = logging.getLogger("motcua.intake.rehash")
BATCH = 1000


def main() -> None:
    runtime = Runtime(SPEC)
    logs.configure(SPEC.name, "rehash", runtime.settings.log_level)
    hasher = IdentityHasher(runtime.settings.intake_id_hash_key)
    done, last_id = 0, 0
    while True:
        with runtime.sessions.begin() as session:
            batch = session.execute(select(dossiers.c.id, dossiers.c.applicant_id_number)
                                    .where(dossiers.c.id > last_id).order_by(dossiers.c.id).limit(BATCH)).all()
            for row_id, id_number in batch:
                session.execute(update(dossiers).where(dossiers.c.id == row_id)
                                .values(applicant_id_hash=hasher.digest(id_number)))
        if not batch:
            break
        done, last_id = done + len(batch), batch[-1][0]
    log.info("identity_hashes_recomputed", extra={"dossiers": done})
    runtime.close()
