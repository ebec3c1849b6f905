"""A declared day off moved a dossier's appointment at intake (`vn.motcua.dossier.rescheduled`): the route
follows, and so do its open steps.

The route's appointment becomes intake's new one, or routing's own moved by the same day if that is
later (an apology's new date was promised to the citizen). Each open step's due time loses the working
time the day had, like the appointment (motcua_shared.workcal.day_off_moves), and stays within the
appointment. Planned steps get their due times when assigned, from the calendar that then holds the day
off. A route completed, stopped or historical is left as it is.
"""
from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from motcua_shared.reference import UnknownProcedure
from motcua_shared.reference.procedures import ProcessingTimeUnit
from motcua_shared.workcal.day_off_moves import moved_by_day_off

from . import reference
from .models import STEP_OPEN, dossier_routes, route_steps
from .routes import find_route

log = logging.getLogger("motcua.routing.rescheduling")
RUNNING = ("in_progress", "awaiting_supplement")


def on_rescheduled(session: Session, _runtime, data: dict) -> None:
    route = find_route(session, data["code"], lock=True)
    if route is None or route["status"] not in RUNNING or route["historical"]:
        log.info("reschedule_ignored", extra={"dossier_code": data["code"], "route_status": route and route["status"]})
        return
    day = data["day"]
    before, after = reference.calendars_around_day_off(session, day)
    due = max(data["due_at"], moved_by_day_off(route["due_at"], day, before, after,
                                               calendar_days=_counts_calendar_days(route["procedure_code"])))
    session.execute(update(dossier_routes).where(dossier_routes.c.id == route["id"]).values(due_at=due))
    steps = session.execute(select(route_steps.c.id, route_steps.c.due_at).where(
        route_steps.c.route_id == route["id"], route_steps.c.status.in_(STEP_OPEN),
        route_steps.c.due_at.is_not(None))).all()
    for step_id, step_due in steps:
        moved = min(moved_by_day_off(step_due, day, before, after), due)
        if moved != step_due:
            session.execute(update(route_steps).where(route_steps.c.id == step_id).values(due_at=moved))
    log.info("route_rescheduled", extra={"dossier_code": data["code"], "due_at": due.isoformat()})


def _counts_calendar_days(procedure_code: str) -> bool:
    try:
        unit = reference.catalogue().get(procedure_code).processing_time.unit
    except UnknownProcedure:
        return False
    return unit is ProcessingTimeUnit.CALENDAR_DAYS
