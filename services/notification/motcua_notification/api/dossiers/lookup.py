"""The dossier as this service knows it, found only for an officer in scope (404 otherwise)."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua_shared.web.auth import current_principal
from motcua_shared.web.errors import NotFound

from ...models import recipients
from ..common import in_scope


def dossier_in_scope(session: Session, code: str):
    row = session.execute(select(recipients.c.dossier_code, recipients.c.receiving_unit_path)
                          .where(recipients.c.dossier_code == code)).first()
    # Unknown and out of scope look alike: the answer must not reveal that a dossier exists elsewhere.
    if row is None or not in_scope(current_principal(), row.receiving_unit_path):
        raise NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")
    return row
