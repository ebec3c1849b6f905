"""Supplements asked for during processing: the clock stops when the agency asks, and runs again when
the desk records that the citizen brought what was missing.

Once, for the whole list. Decree 61/2018 asks for a supplement (at reception, Art. 15, and in
processing) once, in writing, listing everything missing; Decree 63/2010 Art. 20(4) forbids making a
person come back to supplement more than twice for one case; Decision 766 counts a dossier with more
than one supplement request as late. So every request is counted on the dossier (`supplement_requests`,
reception and processing together, as the national portal sees them: each is a status 5) and carried
in the event (`request_number`). A second request made at the desk is refused (409
`supplement_already_requested`) unless the officer records its legal ground (`legal_ground`), which is
kept in the history and the event. In processing, routing refuses an officer's second request the same
way (its supplement_once.py); what reaches intake as routing's event cannot be answered with a 409, so
it is recorded and counted (reporting's Decision 766 figures count the requests made
after reception: two of those make the dossier late).

The appointment moves by exactly the working time of the pause (`WorkingCalendar.extend`), the rule
the Decision 766 indicators use (processing time excludes supplement time). A supplement asked for at
reception is a different thing: the dossier was never received, so no clock ran (see reception.py).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from motcua_shared.events import isoformat
from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import Conflict

from . import actions, lifecycle
from .desk import Desk
from .lifecycle import TRANSITIONS
from .scope import ROUTING_ACTOR


def requested_by_processing(session: Session, desk: Desk, dossier: dict, *, requested_at: datetime, note: str,
                            step_id: str | None) -> dict:
    """A processing step needs more from the citizen (route.supplement_required)."""
    at = max(requested_at, dossier["last_event_at"])
    number = next_request_number(dossier)
    return lifecycle.change(
        session, desk.outbox, dossier, TRANSITIONS["processing_supplement"], at=at, actor=ROUTING_ACTOR,
        changes={"supplement_stage": "processing", "paused_from": at, "supplement_requests": number}, note=note,
        ref=step_id, details={"items": [], "stage": "processing", "request_number": number},
        event_data=lifecycle.change_data(dossier, at, ROUTING_ACTOR, stage="processing", items=[], note=note,
                                         request_number=number))


def next_request_number(dossier: dict) -> int:
    return (dossier.get("supplement_requests") or 0) + 1


def check_repeat(dossier: dict, legal_ground: str | None) -> None:
    """A request after the first needs the legal ground that allows it, or it is refused (409)."""
    if dossier.get("supplement_requests") and not (legal_ground or "").strip():
        raise Conflict("Hồ sơ đã được yêu cầu bổ sung một lần; chỉ được yêu cầu bổ sung lần nữa khi ghi rõ căn "
                       "cứ pháp lý (legal_ground).", code="supplement_already_requested")


def moved_by_pause(session: Session, desk: Desk, dossier: dict, resumed_at: datetime) -> dict:
    """The appointment (and an apology's new date) pushed by the working time paused until `resumed_at`."""
    calendar = desk.calendars.calendar(session)
    paused_from = dossier["paused_from"]
    moved = {"due_at": calendar.extend(dossier["due_at"], paused_from, resumed_at), "paused_from": None}
    if dossier["rescheduled_due_at"] is not None:
        moved["rescheduled_due_at"] = calendar.extend(dossier["rescheduled_due_at"], paused_from, resumed_at)
    return moved


def received_at_desk(session: Session, desk: Desk, principal: Principal, code: str, *, note: str | None,
                     occurred_at: datetime | None) -> dict:
    step = actions.prepare(session, principal, code, "supplement_received", occurred_at=occurred_at)
    paused_from = isoformat(step.dossier["paused_from"])
    moved = moved_by_pause(session, desk, step.dossier, step.at)
    return step.apply(session, desk.outbox, note=note, changes=moved,
                      details={"paused_from": paused_from, "due_at": isoformat(moved["due_at"])},
                      event_data=step.event_data(paused_from=paused_from, due_at=isoformat(moved["due_at"])))
