"""Supplements asked for during processing: the clock stops when the agency asks, and runs again when
the desk records that the citizen brought what was missing.

The appointment moves by exactly the working time of the pause (`WorkingCalendar.extend`), the rule
the Decision 766 indicators use (processing time excludes supplement time). A supplement asked for at
reception is a different thing: the dossier was never received, so no clock ran (see reception.py).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from motcua_shared.events import isoformat
from motcua_shared.web.auth import Principal

from . import actions, lifecycle
from .desk import Desk
from .lifecycle import TRANSITIONS
from .scope import ROUTING_ACTOR


def requested_by_processing(session: Session, desk: Desk, dossier: dict, *, requested_at: datetime, note: str,
                            step_id: str | None) -> dict:
    """A processing step needs more from the citizen (route.supplement_required)."""
    at = max(requested_at, dossier["last_event_at"])
    return lifecycle.change(
        session, desk.outbox, dossier, TRANSITIONS["processing_supplement"], at=at, actor=ROUTING_ACTOR,
        changes={"supplement_stage": "processing", "paused_from": at}, note=note, ref=step_id,
        details={"items": [], "stage": "processing"},
        event_data=lifecycle.change_data(dossier, at, ROUTING_ACTOR, stage="processing", items=[], note=note))


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
