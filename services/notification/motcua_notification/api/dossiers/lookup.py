"""The dossier as this service knows it, found only for an officer in scope (404 otherwise)."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua_shared.web.auth import current_principal
from motcua_shared.web.errors import NotFound
from motcua_shared.web.scope import found_in_scope

from ...models import recipients


def dossier_in_scope(session: Session, code: str):
    """The recipient row of dossier `code`, received within the officer's scope (the lineage on the day it
    was received, as intake decides it); unknown and out of scope answer the same 404."""
    row = session.execute(select(recipients.c.dossier_code, recipients.c.receiving_unit_path)
                          .where(recipients.c.dossier_code == code)).mappings().first()
    return found_in_scope(current_principal(), row, "receiving_unit_path",
                          NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found"))
