"""What routing tells the desk about a dossier in processing: started, apology with a new date,
finished with a result. (A supplement asked for by a step is in supplements.py.)

Times come from the events. A status change never goes back in time: an event dated before the
dossier's last recorded change of status (clocks of two services differ a little) is recorded at that
change. Only changes of status count: an apology the deadline sweep sent today does not move a
completion the province dated earlier, which is recorded (and published, and counted by reports) at
its own `completed_at`, so an on-time dossier stays on time and the apology stays in its history.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from motcua_shared.events import isoformat

from . import lifecycle, supplements
from .desk import Desk
from .lifecycle import TRANSITIONS
from .scope import ROUTING_ACTOR

OPEN = ("received", "in_progress", "supplement_required", "awaiting_payment", "withdrawal_requested")


def started(session: Session, desk: Desk, dossier: dict, *, started_at: datetime, unit: str | None,
            unit_path: str | None) -> dict:
    at = max(started_at, dossier["last_event_at"])
    return lifecycle.change(session, desk.outbox, dossier, TRANSITIONS["transfer"], at=at, actor=ROUTING_ACTOR,
                            unit=unit, event_data=lifecycle.change_data(dossier, at, ROUTING_ACTOR, unit=unit,
                                                                        unit_path=unit_path))


def apology_applies(dossier: dict) -> bool:
    """The new date may be set only once, and only while the dossier is still being processed."""
    return dossier["status"] in OPEN and dossier["rescheduled_due_at"] is None


def apologised(session: Session, dossier: dict, *, issued_at: datetime, new_due_at: datetime, reason: str,
               unit: str) -> None:
    """Mẫu 04: shown to the citizen as the new appointment; `due_at` stays the one reports judge by."""
    lifecycle.set_columns(session, dossier, rescheduled_due_at=new_due_at)
    lifecycle.record(session, dossier, action="apology", at=issued_at, actor=ROUTING_ACTOR, unit=unit, note=reason,
                     details={"original_due_at": isoformat(dossier["due_at"]), "new_due_at": isoformat(new_due_at)})


def completed(session: Session, desk: Desk, dossier: dict, *, outcome: str, completed_at: datetime,
              note: str | None) -> dict:
    at = max(completed_at, dossier["last_event_at"])
    changes = {"result": outcome, "processed_at": at}
    if dossier["paused_from"] is not None:
        # Finished while waiting for a supplement (e.g. rejected because it never came): the wait
        # still does not count against the agency.
        changes |= supplements.moved_by_pause(session, desk, dossier, at)
    due_at = changes.get("due_at", dossier["due_at"])
    return lifecycle.change(session, desk.outbox, dossier, TRANSITIONS["process"], at=at, actor=ROUTING_ACTOR,
                            note=note, changes=changes, details={"result": outcome},
                            event_data=lifecycle.change_data(dossier, at, ROUTING_ACTOR, result=outcome, note=note,
                                                             due_at=isoformat(due_at)))
