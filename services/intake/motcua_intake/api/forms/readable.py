"""The dossier a form is printed from, if the caller may read it (404 otherwise, as for any dossier)."""
from sqlalchemy.orm import Session

from motcua_shared.web.auth import current_principal

from ... import actions, lifecycle, scope
from ...app import desk


def readable_dossier(session: Session, code: str) -> dict:
    dossier = lifecycle.load(session, code)
    if dossier is None or not scope.can_read(current_principal(), dossier, desk().identities):
        raise actions.not_found()
    return dossier
