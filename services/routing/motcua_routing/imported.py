"""The routes of past dossiers brought in by a bulk import (`vn.motcua.history.imported`, issue 17).

A part holds a few hundred dossiers, each with the dossier events intake recorded for it and the steps
the old system recorded. Routing records each dossier's route as it happened, in the consumer's one
transaction and with a handful of bulk statements for the whole part (the import brings tens of
thousands of dossiers; a statement per dossier would be most of its time):

- the route (historical: never warned about, escalated or apologised for), its status from the
  dossier's events: processed → completed with the result, withdrawn → stopped, an open supplement
  → awaiting_supplement, else in_progress; its appointment the latest its events give;
- its steps verbatim (role and plan variant `imported`, no budget: the old system kept none);
- the control log (Mẫu 05) the steps imply: the dossier handed to each step's agency when the step
  was assigned, back to the desk with the outcome when the route ended or a supplement was asked;
- the step still open is given to its unit live (routing.step.assigned, as any step), so it can
  be answered and the route moves on and ends as a live one does.

A dossier whose route exists is skipped: the same part again (redelivered, or re-applied by intake
after a crash) changes nothing, nor does a part that comes after a live dossier.received of the
same dossier. An unfinished dossier without steps is planned as a new one: started at once like a
received dossier (start_route), or, while its supplement is awaited, planned and started when the
supplement comes (routes.resume_after_supplement).
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua_shared.events import registry
from motcua_shared.events.catalogue.dossier import (DOSSIER_PROCESSED, DOSSIER_RECEIVED, DOSSIER_SUPPLEMENT_RECEIVED,
                                                    DOSSIER_SUPPLEMENT_REQUESTED, DOSSIER_WITHDRAWN)
from motcua_shared.messaging import PermanentError

from . import control_log, dispatch, reference, routes
from .models import ROUTE_OPEN, dossier_routes, handovers, route_steps

log = logging.getLogger("motcua.routing")

STOPPED_NOTE = "Công dân rút hồ sơ."
PERSON = 120  # handovers.from_person


@dataclass
class Past:
    """One dossier of the part: what its events and steps say its route was."""

    code: str
    received: dict  # the dossier.received data (JSON)
    received_at: datetime
    original_due_at: datetime  # the appointment on the receipt
    steps: list[dict]  # their times converted, in plan order
    status: str
    due_at: datetime  # the latest appointment its events give
    outcome: str | None = None
    completed_at: datetime | None = None
    stopped_at: datetime | None = None
    paused_at: datetime | None = None
    withdrawal_reason: str | None = None


def record_part(session: Session, runtime, data: dict) -> None:
    """Record the routes of one part (the event's data as validated by the consumer)."""
    dossiers = data["dossiers"]
    existing = set(session.execute(select(dossier_routes.c.dossier_code).where(
        dossier_routes.c.dossier_code.in_([dossier["code"] for dossier in dossiers]))).scalars())
    recorded, to_plan = [], []
    for dossier in dossiers:
        if dossier["code"] in existing:
            continue
        past = read(dossier)
        (to_plan if not past.steps and past.status in ROUTE_OPEN else recorded).append(past)

    route_rows = {past.code: _route_row(past) for past in recorded}
    ids = _insert_routes(session, list(route_rows.values()))
    step_rows, handover_rows, assignments, unassigned = [], [], [], []
    for past in recorded:
        route = route_rows[past.code] | {"id": ids[past.code]}
        rows = _step_rows(past, route)
        step_rows += rows
        handover_rows += _handover_rows(past, route)
        open_steps = [row for row in rows if row["status"] == "assigned"]
        if past.status == "in_progress":
            if open_steps:
                assignments.append((route, open_steps[0]))
            else:
                unassigned.append(route)
    if step_rows:
        session.execute(route_steps.insert(), step_rows)
    if handover_rows:
        session.execute(handovers.insert(), handover_rows)
    dispatch.publish_assigned_all(session, runtime, assignments)

    for route in unassigned:
        _assign_next(session, runtime, route)
    for past in to_plan:
        _plan(session, runtime, past)
    log.info("history_part_routed", extra={
        "import_id": data["import_id"], "part": data["part"], "dossiers": len(dossiers),
        "skipped": len(dossiers) - len(recorded) - len(to_plan), "recorded": len(recorded),
        "planned": len(to_plan), "assigned": len(assignments)})


# -- reading a dossier -----------------------------------------------------------------------------
# The consumer validated the part against its schema (every inner event against its type's). Here only
# the times a route needs are converted: loading each event again with marshmallow took more time
# than everything else done for a part (measured).
STEP_FIELDS = ("step_id", "sequence", "unit", "unit_path", "level", "agency_name", "action", "status", "outcome",
               "handled_by", "note")
STEP_TIMES = ("assigned_at", "due_at", "completed_at")


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def read(dossier: dict) -> Past:
    """The route a dossier's events and steps describe (the events are in the order things happened)."""
    received = dossier["events"][0]["data"]
    steps = [{**{name: step.get(name) for name in STEP_FIELDS},
              **{name: _moment(step.get(name)) for name in STEP_TIMES}} for step in dossier.get("steps") or ()]
    past = Past(code=dossier["code"], received=received, received_at=_moment(received["received_at"]),
                original_due_at=_moment(received["due_at"]), due_at=_moment(received["due_at"]), status="in_progress",
                steps=sorted(steps, key=lambda step: step["sequence"]))
    for event in dossier["events"][1:]:
        event_type, data = event["type"], event["data"]
        if event_type == DOSSIER_SUPPLEMENT_REQUESTED:
            past.paused_at = _moment(data["occurred_at"])
        elif event_type == DOSSIER_SUPPLEMENT_RECEIVED:
            past.paused_at, past.due_at = None, max(past.due_at, _moment(data["due_at"]))
        elif event_type == DOSSIER_PROCESSED:
            past.status, past.outcome, past.completed_at = "completed", data["result"], _moment(data["occurred_at"])
            past.due_at = max(past.due_at, _moment(data["due_at"]))
        elif event_type == DOSSIER_WITHDRAWN:
            past.status, past.stopped_at = "stopped", _moment(data["occurred_at"])
            past.withdrawal_reason = data.get("reason")
    if past.status != "in_progress":
        past.paused_at = None  # a pause ends with the dossier
    elif past.paused_at is not None:
        past.status = "awaiting_supplement"
    return past


# -- the route, its steps, its control log ---------------------------------------------------------
def _route_row(past: Past) -> dict:
    data = past.received
    return {
        "dossier_code": past.code, "procedure_code": data["procedure_code"],
        "hierarchy": str(reference.units().hierarchy_for(reference.local_day(past.received_at))),
        "variant": routes.IMPORTED, "channel": data["channel"], "receiving_unit": data["receiving_unit"],
        "receiving_unit_path": data["receiving_unit_path"], "competent_unit": data["competent_unit"],
        "received_at": past.received_at, "original_due_at": past.original_due_at, "due_at": past.due_at,
        "status": past.status, "outcome": past.outcome, "completed_at": past.completed_at,
        "stopped_at": past.stopped_at, "paused_at": past.paused_at, "historical": True,
    }


def _insert_routes(session: Session, rows: list[dict]) -> dict[str, int]:
    """Insert the routes, then read their ids back: code → id. Two statements, five times faster on
    psycopg than one INSERT ... RETURNING of hundreds of rows (measured). A route of one of these
    dossiers recorded meanwhile by another transaction fails this one: the part is retried, and
    that dossier is then skipped."""
    if not rows:
        return {}
    now = datetime.now(timezone.utc)
    session.execute(dossier_routes.insert(), [row | {"recorded_at": now} for row in rows])
    return dict(session.execute(select(dossier_routes.c.dossier_code, dossier_routes.c.id).where(
        dossier_routes.c.dossier_code.in_([row["dossier_code"] for row in rows]))).all())


def _step_status(past: Past, step: dict) -> str:
    """A step's status as recorded, except that an ended route has no open or planned step left."""
    if step["status"] == "completed" or past.status in ROUTE_OPEN:
        return step["status"]
    if past.status == "completed" and step["status"] == "planned":
        return "skipped"
    return "cancelled"


def _step_rows(past: Past, route: dict) -> list[dict]:
    attempts: Counter[int] = Counter()
    rows = []
    for step in past.steps:
        attempts[step["sequence"]] += 1  # a position the old system gave twice is its second attempt
        status = _step_status(past, step)
        rows.append({
            "step_id": step["step_id"], "route_id": route["id"], "dossier_code": past.code,
            "sequence": step["sequence"], "attempt": attempts[step["sequence"]], "level": step["level"],
            "unit": step["unit"], "unit_path": step["unit_path"], "role": routes.IMPORTED,
            "agency_id": f"{step['unit_path']}.{routes.IMPORTED}", "agency_name": step["agency_name"],
            "action": step["action"], "budget_minutes": 0, "status": status, "assigned_at": step["assigned_at"],
            # An open step without a due time of its own is bounded by the dossier's appointment.
            "due_at": step["due_at"] or (route["due_at"] if status == "assigned" else None),
            "completed_at": step["completed_at"], "answered_at": step["completed_at"], "outcome": step["outcome"],
            "handled_by": step["handled_by"], "note": step["note"],
        })
    return rows


def _handover_rows(past: Past, route: dict) -> list[dict]:
    """The control log the steps imply, in the rows live routing writes for the same moves."""
    desk = control_log.desk_name(route)
    rows: list[dict] = []

    def add(kind: str, step: dict, from_party: str, to_party: str, at: datetime, *, from_person: str | None = None,
            result: str | None = None, note: str | None = None) -> None:
        rows.append({"route_id": route["id"], "step_id": step["step_id"], "kind": kind, "from_party": from_party,
                     "to_party": to_party, "from_person": from_person and from_person[:PERSON], "to_person": None,
                     "occurred_at": at, "result": result, "note": note})

    started = [step for step in past.steps if step["assigned_at"] is not None]
    last_sequence = max((step["sequence"] for step in past.steps), default=0)
    giver, result, note = desk, None, None
    for position, step in enumerate(started):
        add("transferred", step, giver, step["agency_name"], step["assigned_at"], result=result, note=note)
        giver, result, note = step["agency_name"], None, None
        if step["completed_at"] is None:
            if past.status == "stopped":
                add("stopped", step, step["agency_name"], desk, past.stopped_at,
                    note=past.withdrawal_reason or STOPPED_NOTE)
            continue
        outcome = step["outcome"]
        ended_by = dict(from_person=step["handled_by"], result=outcome, note=step["note"])
        if outcome == "supplement_required":
            add("supplement_requested", step, step["agency_name"], desk, step["completed_at"], **ended_by)
            giver, note = desk, routes.RESUMED_NOTE
        elif outcome == "approved" and (position + 1 < len(started)
                                        or (past.status in ROUTE_OPEN and step["sequence"] < last_sequence)):
            result, note = outcome, step["note"]  # carried by the hand-over to the next step, as live
        else:
            add("returned", step, step["agency_name"], desk, step["completed_at"], **ended_by)
    return rows


# -- what is left to do live ---------------------------------------------------------------------
def _assign_next(session: Session, runtime, route: dict) -> None:
    """An unfinished route with no open step (its steps all answered, the next ones only planned):
    the next position is given now, as an answer would have given it."""
    steps = routes.steps_of(session, route["id"])
    done = [step for step in steps if step["status"] == "completed"]
    following = next((step for step in steps if step["status"] == "planned"
                      and (not done or step["sequence"] > done[-1]["sequence"])), None)
    if following is None or (done and done[-1]["outcome"] != "approved"):
        log.warning("imported_route_without_open_step", extra={"dossier_code": route["dossier_code"]})
        return
    last = done[-1] if done else None
    routes.assign_position(session, runtime, route, following["sequence"], latest=following,
                           at=last["completed_at"] if last else route["received_at"],
                           from_party=last["agency_name"] if last else control_log.desk_name(route),
                           result=last and last["outcome"], note=last and last["note"])


def _plan(session: Session, runtime, past: Past) -> None:
    """An unfinished dossier without steps: planned as a new one (its dossier.received, historical)."""
    received = registry.load_data(DOSSIER_RECEIVED, past.received)  # as live: loaded by its schema
    try:
        if past.status == "in_progress":
            routes.start_route(session, runtime, received)
            return
        planned = routes.plan_route(session, runtime, received)
    except PermanentError as exc:
        # One dossier no route can be found for must not hold back the part's hundreds of others.
        log.error("imported_route_not_planned", extra={"dossier_code": past.code, "reason": str(exc)})
        return
    if planned is not None:  # waiting for its supplement: the route starts when it comes
        route, _steps = planned
        session.execute(dossier_routes.update().where(dossier_routes.c.id == route["id"]).values(
            status="awaiting_supplement", paused_at=past.paused_at, due_at=max(route["due_at"], past.due_at)))
