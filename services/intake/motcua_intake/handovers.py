"""Routing's hand-over of a dossier's steps to the successor agencies (the 2025 transition:
`route.handed_over`), recorded in the dossier's history as a row that changes no status.

The history row says which agency gave the dossier to which, so the officer's view, the public
lookup and the control log (Mẫu 05) show the successor that now resolves it. A repeat of the same
hand-over (a redelivered event with a new id) finds its row and adds nothing.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from . import lifecycle, trail
from .scope import ROUTING_ACTOR

ACTION = "hand_over"


def handed_over(session: Session, dossier: dict, data: dict) -> bool:
    """Record the hand-over of `data` (route.handed_over, loaded); False when already recorded."""
    steps = sorted(data["steps"], key=lambda step: step["sequence"])
    ref = steps[0]["to_step_id"] or steps[0]["from_step_id"]
    if trail.has(session, dossier["code"], ACTION, ref):
        return False
    lifecycle.record(session, dossier, action=ACTION, at=data["handed_over_at"], actor=ROUTING_ACTOR,
                     unit=steps[0]["to_unit"], ref=ref, note=data["reason"], details={"steps": [
                         {"sequence": step["sequence"], "state": step["state"],
                          "from_agency_name": step["from_agency_name"], "to_agency_name": step["to_agency_name"],
                          "to_unit": step["to_unit"]} for step in steps]})
    return True
