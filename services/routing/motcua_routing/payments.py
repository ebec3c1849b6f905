"""A financial obligation asked for (intake's `dossier.payment_requested`) pauses the route's deadline
sweep; paid (`dossier.paid`), the route's appointment and the due times of its open steps move by the
working time the citizen took to pay, as intake moved the dossier's.

The time spent waiting for a payment is not the agency's (docs/lifecycle.md): without this, the step
that asked for the payment would look late by exactly that wait. The appointment becomes intake's
(`due_at` of the event) or routing's own moved by the same pause if that is later (an apology's new
date, as after a supplement). Each `dossier.paid` is applied once (the inbox); a route that is no longer
in progress (stopped, completed) is left alone.
"""
from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.orm import Session

from . import reference, routes
from .models import STEP_OPEN, dossier_routes, route_steps

log = logging.getLogger("motcua.routing")


def pause_for_payment(session: Session, runtime, data: dict) -> None:
    """A financial obligation asked for: the route stays in progress (its step is still the agency's) but
    the deadline sweep leaves it alone until the payment is recorded (`paused_at`, deadlines.py)."""
    route = routes.find_route(session, data["code"], lock=True)
    if route is None or route["status"] != "in_progress" or route["paused_at"] is not None:
        return
    session.execute(update(dossier_routes).where(dossier_routes.c.id == route["id"])
                    .values(paused_at=data["occurred_at"]))


def resume_after_payment(session: Session, runtime, data: dict) -> None:
    route = routes.find_route(session, data["code"], lock=True)
    if route is None or route["status"] != "in_progress":
        log.info("payment_ignored", extra={"dossier_code": data["code"], "route_status": route and route["status"]})
        return
    calendar, paused_from, paid_at = reference.calendar(session), data["paused_from"], data["occurred_at"]
    due = max(data["due_at"], calendar.extend(route["due_at"], paused_from, paid_at))
    session.execute(update(dossier_routes).where(dossier_routes.c.id == route["id"]).values(due_at=due, paused_at=None))
    for step in routes.steps_of(session, route["id"]):
        if step["status"] in STEP_OPEN and step["due_at"] is not None:
            moved = min(calendar.extend(step["due_at"], paused_from, paid_at), due)
            session.execute(update(route_steps).where(route_steps.c.id == step["id"]).values(due_at=moved))
