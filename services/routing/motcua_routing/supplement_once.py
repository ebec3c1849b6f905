"""A supplement is asked for once (Decree 61/2018; Decision 766 counts a second request as late): an
officer completing a step with `supplement_required` on a route that already asked once is refused
(409 `supplement_already_requested`) unless they record the legal ground that allows it.

The ground travels in the step's note ("Căn cứ pháp lý: …"), so the desk, the citizen's Mẫu 02 and the
dossier's history carry it with no change to the step-results contract. Answers from a province's own
handler are not refused here: a message cannot be answered with a 409. Intake counts every request
either way (`supplement_requests`, docs/lifecycle.md).
"""
from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from motcua_shared.web.errors import Conflict, Invalid

from .models import route_steps

GROUND_PREFIX = "Căn cứ pháp lý yêu cầu bổ sung lần nữa: "
NOTE_LIMIT = 2000
# Built once, the route given at execution (routes.py says why).
_ASKED = select(func.count()).select_from(route_steps).where(
    route_steps.c.route_id == bindparam("route_id"), route_steps.c.outcome == "supplement_required")


def checked_note(session: Session, route: dict, *, outcome: str, note: str | None,
                 legal_ground: str | None) -> str | None:
    """The note to record, or 409 when a second supplement request has no legal ground."""
    if outcome != "supplement_required":
        return note
    asked = session.execute(_ASKED, {"route_id": route["id"]}).scalar_one()
    if not asked:
        return note
    ground = (legal_ground or "").strip()
    if not ground:
        raise Conflict("Hồ sơ đã được yêu cầu bổ sung một lần; chỉ được yêu cầu bổ sung lần nữa khi ghi rõ căn cứ "
                       "pháp lý (legal_ground).", code="supplement_already_requested")
    combined = f"{note}\n{GROUND_PREFIX}{ground}"
    if len(combined) > NOTE_LIMIT:  # the step's answer carries at most 2000 characters of note
        reason = f"Ý kiến và căn cứ pháp lý cộng lại dài quá {NOTE_LIMIT} ký tự."
        raise Invalid(reason, code="validation_failed",
                      invalid_params=[{"name": "legal_ground", "code": "invalid_length", "reason": reason}])
    return combined
