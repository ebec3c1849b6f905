"""The citizen's lookup by dossier code and identity number, without logging in (docs/contracts.md §5).

A wrong identity number must look exactly like an unknown code: the same answer, and about the same
work (one query by code, one HMAC, one constant-time comparison), so the lookup cannot be used to learn
which codes exist or to guess whose a dossier is. Only the status, the appointment and the history in
plain words are shown: no name, no address, no number.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from motcua_shared.statuses import DVCQG_CODE, VIETNAMESE

from . import lifecycle, trail, views
from .desk import Desk
from .forms import public_history
from .forms import vietnamese as vn


def find(session: Session, desk: Desk, code: str, id_number: str) -> dict | None:
    dossier = lifecycle.load(session, code)
    if not desk.identities.matches(dossier["applicant_id_hash"] if dossier else None, id_number):
        return None
    history = public_history.lines(desk, dossier, trail.rows(session, code))
    return {
        "code": dossier["code"], "procedure_name": views.procedure_name(desk, dossier["procedure_code"]),
        "status": dossier["status"], "status_label": VIETNAMESE[dossier["status"]],
        "dvcqg_status": DVCQG_CODE[dossier["status"]],
        # What the citizen was last promised: an apology's new date, else the appointment.
        "due_at": dossier["rescheduled_due_at"] or dossier["due_at"],
        "history": history,
    }


def as_page(found: dict) -> dict:
    """The same view with the times written out for the HTML page."""
    return {**found, "due_text": vn.clock(found["due_at"]),
            "history": [{**line, "at_text": vn.short(line["at"])} for line in found["history"]]}
