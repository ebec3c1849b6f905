"""The result reaches the citizen: handed over at the counter or online by the desk, or delivered by the
post (Decision 45/2016) as the postal service reports it.

Only a processed dossier can be returned (409 otherwise). Postal progress that changes no status is kept
as history, because the control log (Mẫu 05) shows each hand-over: desk to post, post to citizen, and
for a dossier sent by post, citizen to post and post to desk. A failed or returned delivery puts a flag
on the dossier so the desk sees it in its list and can call the citizen.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from motcua_shared.web.auth import Principal

from . import acceptance, actions, lifecycle, trail
from .desk import Desk
from .lifecycle import TRANSITIONS
from .scope import POSTAL_ACTOR

ISSUES = ("failed", "returned")
# Where the dossier stands when a postal problem still needs the desk: awaiting its papers, or its result.
AWAITING_PAPERS = ("submitted", "supplement_required")
HANDOVERS = ("picked_up", "delivered", "failed", "returned", "cancelled")


def returned_at_desk(session: Session, desk: Desk, principal: Principal, code: str, *, method: str,
                     note: str | None, occurred_at: datetime | None) -> dict:
    step = actions.prepare(session, principal, code, "return_result", occurred_at=occurred_at)
    return step.apply(session, desk.outbox, note=note, details={"method": method},
                      changes={"returned_at": step.at, "returned_by": method, "postal_issue": None},
                      event_data=step.event_data(method=method))


def shipment_progressed(session: Session, desk: Desk, dossier: dict, *, shipment_id: str, direction: str,
                        status: str, occurred_at: datetime, tracking_number: str | None) -> bool:
    """Apply one shipment report; returns whether it changed anything."""
    if direction == "result_to_citizen" and status == "delivered":
        return _delivered_to_citizen(session, desk, dossier, shipment_id, occurred_at)
    action = f"postal_{status}"
    if status not in HANDOVERS or trail.has(session, dossier["code"], action, shipment_id):
        return False
    lifecycle.record(session, dossier, action=action, at=occurred_at, actor=POSTAL_ACTOR, ref=shipment_id,
                     details={"direction": direction, "tracking_number": tracking_number})
    if direction == "dossier_to_office" and status == "delivered":
        acceptance.papers_arrived(session, desk, dossier, occurred_at)  # the desk's time limit starts now
    if status in ISSUES and _still_waiting(direction, dossier):
        lifecycle.set_columns(session, dossier, postal_issue=status, postal_issue_at=occurred_at)
    elif status == "delivered" and dossier["postal_issue"] and dossier["postal_issue_at"] <= occurred_at:
        lifecycle.set_columns(session, dossier, postal_issue=None, postal_issue_at=None)  # a later attempt worked
    return True


def _still_waiting(direction: str, dossier: dict) -> bool:
    """Whether the desk still waits for what the failed shipment carried."""
    if direction == "result_to_citizen":
        return dossier["status"] == "processed"
    return dossier["status"] in AWAITING_PAPERS


def _delivered_to_citizen(session: Session, desk: Desk, dossier: dict, shipment_id: str,
                          occurred_at: datetime) -> bool:
    transition = TRANSITIONS["return_result"]
    if not lifecycle.allows(transition, dossier):
        return False
    at = max(occurred_at, dossier["last_event_at"])
    lifecycle.change(session, desk.outbox, dossier, transition, at=at, actor=POSTAL_ACTOR, ref=shipment_id,
                     changes={"returned_at": at, "returned_by": "postal", "postal_issue": None},
                     details={"method": "postal"},
                     event_data=lifecycle.change_data(dossier, at, POSTAL_ACTOR, method="postal"))
    return True
