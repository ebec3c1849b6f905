"""A dossier's route: planned when the dossier is received, moved on by each step's answer, paused for
a supplement, stopped by a withdrawal, finished when the last step approves or any step rejects.

Every function runs inside the caller's transaction and writes the events its change causes into the
outbox in that same transaction. Changes to one route are serialised by locking its row first.

Step due times. A step's budget is its share of the route's total (plans.py). Its due time is its
budget of working time counted from the moment it is assigned (the first step from the start of
count of the receipt), never later than the dossier's appointment: an agency gets its full share
from when it actually receives the dossier, and the citizen's appointment bounds everyone.
"""
from __future__ import annotations

import logging
import uuid
from datetime import datetime
from fractions import Fraction

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.route import (APOLOGY_ISSUED, ROUTE_COMPLETED, ROUTE_STARTED,
                                                  ROUTE_SUPPLEMENT_REQUIRED)
from motcua_shared.messaging import PermanentError
from motcua_shared.reference import (RouteNotApplicable, UnknownAgency, UnknownProcedure, UnknownUnit,
                                     resolve_route)
from motcua_shared.workcal import WorkingCalendar

from . import clock, control_log, dispatch, reference
from .models import STEP_OPEN, dossier_routes, insert_once, route_steps, withdrawals

log = logging.getLogger("motcua.routing")

SOURCE = dispatch.SOURCE
# The role (and the plan variant) of the steps of a route imported from an old system (imported.py):
# they keep the units and agencies the old system recorded, and have no budget of their own.
IMPORTED = "imported"
RESUMED_NOTE = "Tiếp tục giải quyết sau khi công dân bổ sung hồ sơ."


def new_step_id() -> str:
    return f"S-{uuid.uuid4().hex}"


# -- the statements every event runs ---------------------------------------------------------------
# Built once, their values given at execution: a statement built per call, values inlined, cost
# SQLAlchemy a new statement and a new cache key every time (a tenth of the worker's CPU in the
# profiles of issue 18). An UPDATE without values() sets the columns its parameters name.
_ROUTE_BY_CODE = select(dossier_routes).where(dossier_routes.c.dossier_code == bindparam("code"))
_ROUTE_BY_CODE_LOCKED = _ROUTE_BY_CODE.with_for_update()
_ROUTE_LOCKED = select(dossier_routes).where(dossier_routes.c.id == bindparam("route_id")).with_for_update()
_WITHDRAWN = select(withdrawals.c.dossier_code).where(withdrawals.c.dossier_code == bindparam("code"))
_STEP = select(route_steps).where(route_steps.c.step_id == bindparam("step_id"))
_STEPS_OF_ROUTE = (select(route_steps).where(route_steps.c.route_id == bindparam("route_id"))
                   .order_by(route_steps.c.sequence, route_steps.c.attempt))
_LATEST_ATTEMPT = (select(route_steps).where(route_steps.c.route_id == bindparam("route_id"),
                                             route_steps.c.sequence == bindparam("sequence"))
                   .order_by(route_steps.c.attempt.desc()).limit(1))
_NEXT_SEQUENCE = select(func.min(route_steps.c.sequence)).where(route_steps.c.route_id == bindparam("route_id"),
                                                                route_steps.c.sequence > bindparam("after"))
# The latest attempt of the plan position after `after`: _NEXT_SEQUENCE and _LATEST_ATTEMPT in one round trip.
_NEXT_POSITION = (select(route_steps).where(route_steps.c.route_id == bindparam("route_id"),
                                            route_steps.c.sequence > bindparam("after"))
                  .order_by(route_steps.c.sequence, route_steps.c.attempt.desc()).limit(1))
# A step and its route, both locked, in one round trip (instead of reading the step, locking its route and
# reading the step again). The route's columns come labelled, their names clashing with the step's.
# Why both rows are locked, and in this order: under READ COMMITTED a statement that waited for a lock
# re-reads only the rows it locks (PostgreSQL's EvalPlanQual); an unlocked step would come back as it
# was before the transaction we waited for (another officer completing it), and could be completed twice.
# PostgreSQL takes the locks in the order FOR UPDATE OF names them: the route first, as every other
# change to a route does (its row first, then its steps), so no two transactions wait on each other.
_ROUTE_LABEL = "route__"  # no step column starts so (route_id does: "route_" would clash)
_STEP_AND_ROUTE_LOCKED = (
    select(route_steps, *(column.label(_ROUTE_LABEL + column.name) for column in dossier_routes.c))
    .join_from(route_steps, dossier_routes, dossier_routes.c.id == route_steps.c.route_id)
    .where(route_steps.c.step_id == bindparam("step_id"))
    .with_for_update(of=[dossier_routes, route_steps]))
_STEP_COLUMNS = tuple(route_steps.c.keys())
_ROUTE_COLUMNS = tuple((_ROUTE_LABEL + name, name) for name in dossier_routes.c.keys())
_INSERT_ROUTE = insert(dossier_routes).returning(*dossier_routes.c)
_INSERT_STEPS = insert(route_steps).returning(route_steps.c.id, sort_by_parameter_order=True)
_UPDATE_STEP = update(route_steps).where(route_steps.c.id == bindparam("row_id"))
_UPDATE_ROUTE = update(dossier_routes).where(dossier_routes.c.id == bindparam("row_id"))
# (A bound name in an UPDATE must not be a column's: "of_route", not "route_id".)
_SKIP_PLANNED = (update(route_steps).where(route_steps.c.route_id == bindparam("of_route"),
                                           route_steps.c.status == "planned").values(status="skipped"))


# -- reading -------------------------------------------------------------------------------------
def find_route(session: Session, dossier_code: str, *, lock: bool = False) -> dict | None:
    row = session.execute(_ROUTE_BY_CODE_LOCKED if lock else _ROUTE_BY_CODE, {"code": dossier_code}).mappings().first()
    return dict(row) if row else None


def lock_route(session: Session, route_id: int) -> dict:
    return dict(session.execute(_ROUTE_LOCKED, {"route_id": route_id}).mappings().one())


def lock_step(session: Session, step_id: str) -> tuple[dict, dict] | None:
    """(route, step) of `step_id`, the route's row and the step's locked (in that order), or None when
    there is no such step."""
    row = session.execute(_STEP_AND_ROUTE_LOCKED, {"step_id": step_id}).mappings().first()
    if row is None:
        return None
    return {name: row[label] for label, name in _ROUTE_COLUMNS}, {name: row[name] for name in _STEP_COLUMNS}


def update_step(session: Session, row_id: int, values: dict) -> None:
    """Set `values` on the step row `row_id` (one compiled statement per set of columns)."""
    session.execute(_UPDATE_STEP, {"row_id": row_id, **values})


def find_step(session: Session, step_id: str) -> dict | None:
    row = session.execute(_STEP, {"step_id": step_id}).mappings().first()
    return dict(row) if row else None


def steps_of(session: Session, route_id: int) -> list[dict]:
    return [dict(row) for row in session.execute(_STEPS_OF_ROUTE, {"route_id": route_id}).mappings()]


def _latest_attempt(session: Session, route_id: int, sequence: int) -> dict | None:
    row = session.execute(_LATEST_ATTEMPT, {"route_id": route_id, "sequence": sequence}).mappings().first()
    return dict(row) if row else None


def _next_sequence(session: Session, route_id: int, sequence: int) -> int | None:
    """The plan position after `sequence`, if any (an imported route's positions may have gaps)."""
    return session.execute(_NEXT_SEQUENCE, {"route_id": route_id, "after": sequence}).scalar_one()


def _next_position(session: Session, route_id: int, sequence: int) -> dict | None:
    """The latest attempt of the plan position after `sequence`, if any."""
    row = session.execute(_NEXT_POSITION, {"route_id": route_id, "after": sequence}).mappings().first()
    return dict(row) if row else None


def total_minutes(route, calendar: WorkingCalendar) -> int:
    """The working time between the start of count and the appointment on the receipt."""
    return calendar.working_minutes_between(calendar.start_of_count(route["received_at"]), route["original_due_at"])


# -- starting -------------------------------------------------------------------------------------
def lodging_unit(receiving: str, competent: str, day) -> str:
    """The unit a route is resolved from: the receiving desk's own unit when it lies within the
    competent unit (a district procedure lodged at one of its communes climbs from that commune),
    else the competent unit itself (a dossier received outside its competent unit's area goes there)."""
    return receiving if reference.units().is_within(competent, receiving, day) else competent


def start_route(session: Session, runtime, data: dict) -> None:
    """Plan and start the route of a dossier from its `dossier.received` data (loaded)."""
    planned = plan_route(session, runtime, data)
    if planned is None:
        return
    route, steps = planned
    start = reference.calendar(session).start_of_count(route["received_at"])
    assign_position(session, runtime, route, steps[0]["sequence"], at=route["received_at"], clock_from=start,
                    from_party=control_log.desk_name(route), latest=steps[0])


def plan_route(session: Session, runtime, data: dict) -> tuple[dict, list[dict]] | None:
    """Record the route of a dossier from its `dossier.received` data (loaded), every step planned
    (route.started): (route, steps), or None when it exists already or the dossier was withdrawn."""
    code = data["code"]
    if find_route(session, code) is not None:
        log.info("route_exists", extra={"dossier_code": code})
        return None
    if session.execute(_WITHDRAWN, {"code": code}).first():
        log.info("route_not_started_withdrawn", extra={"dossier_code": code})
        return None
    received_at = data["received_at"]
    day = reference.local_day(received_at)
    hierarchy = reference.units().hierarchy_for(day)
    try:
        procedure = reference.catalogue().get(data["procedure_code"])
        base = lodging_unit(data["receiving_unit"], data["competent_unit"], day)
        resolved = {step.level: step for step in resolve_route(
            procedure, base, day, units=reference.units(), agencies=reference.agencies())}
        plan = reference.plans(runtime.settings.routing_plans_file).for_dossier(procedure, hierarchy, data["channel"])
        acting = [(resolved[s.level], reference.agencies().for_role(s.role, resolved[s.level].unit.code, day))
                  for s in plan.steps]
    except (UnknownProcedure, UnknownUnit, RouteNotApplicable, UnknownAgency) as exc:
        raise PermanentError(f"no route for dossier {code}: {exc}") from None

    calendar = reference.calendar(session)
    route = dict(session.execute(_INSERT_ROUTE, dict(
        dossier_code=code, procedure_code=procedure.code, hierarchy=str(hierarchy), variant=plan.variant,
        channel=data["channel"], receiving_unit=data["receiving_unit"],
        receiving_unit_path=data["receiving_unit_path"], competent_unit=data["competent_unit"],
        received_at=received_at, original_due_at=data["due_at"], due_at=data["due_at"], status="in_progress",
        historical=data.get("historical", False),
        # On the service clock (the wall clock in production): the 2025 transition's sweep hands over
        # the routes that were live here before 01/07/2025 by this clock (transition.py).
        recorded_at=clock.now(runtime.settings))).mappings().one())
    planned = [{
        "step_id": new_step_id(), "route_id": route["id"], "dossier_code": code, "sequence": plan_step.sequence,
        "attempt": 1, "level": str(plan_step.level), "unit": where.unit.code, "unit_path": where.unit_path,
        "role": plan_step.role, "agency_id": agency.id, "agency_name": agency.name, "action": plan_step.action,
        "budget_minutes": budget, "status": "planned",
    } for plan_step, (where, agency), budget in zip(plan.steps, acting, plan.budgets(total_minutes(route, calendar)))]
    ids = session.execute(_INSERT_STEPS, planned).scalars().all()
    planned = [{**step, "id": step_id} for step, step_id in zip(planned, ids)]
    runtime.outbox.add(session, new_event(ROUTE_STARTED, source=SOURCE, subject=code, data={
        "dossier_code": code, "started_at": isoformat(received_at), "due_at": isoformat(route["due_at"]),
        "steps": [{"step_id": s["step_id"], "sequence": s["sequence"], "unit": s["unit"], "unit_path": s["unit_path"],
                   "level": s["level"], "agency": s["agency_id"], "action": s["action"],
                   "budget_hours": s["budget_minutes"] / 60} for s in planned]}))
    log.info("route_started", extra={"dossier_code": code, "steps": len(planned), "hierarchy": str(hierarchy),
                                     "variant": plan.variant})
    return route, planned


# -- moving on ------------------------------------------------------------------------------------
def step_due(route, budget_minutes: int, clock_from: datetime, calendar: WorkingCalendar) -> datetime:
    due = calendar.advance(clock_from, Fraction(budget_minutes, 60), "working_hours")
    return min(due, route["due_at"])


def assign_position(session: Session, runtime, route, sequence: int, *, at: datetime, from_party: str,
                    clock_from: datetime | None = None, due_at: datetime | None = None,
                    result: str | None = None, note: str | None = None, kind: str = "transferred",
                    from_person: str | None = None, latest: dict | None = None) -> dict:
    """Give plan position `sequence` to its agency: its planned row the first time, a new attempt after.

    `latest` is the position's latest row when the caller already holds it. An imported step has no
    budget (the old system kept none): it is due at the dossier's appointment."""
    latest = latest or _latest_attempt(session, route["id"], sequence)
    # From 01/07/2025 a position of a three-level route goes to the successor of an agency that ceased
    # (the 2025 transition); imported here, not at the top: transition.py builds on this module.
    from .transition import holder_for_new_attempt
    latest = holder_for_new_attempt(runtime, route, latest, at)
    if due_at is None and latest["role"] == IMPORTED:
        due_at = route["due_at"]
    due = due_at or step_due(route, latest["budget_minutes"], clock_from or at, reference.calendar(session))
    # Who may answer it (dispatch.answer_queue) is written with the assignment: no UPDATE of its own.
    values = {"status": "assigned", "assigned_at": at, "due_at": due,
              "answer_queue": dispatch.answer_queue(runtime, latest)}
    if latest["status"] == "planned":
        session.execute(_UPDATE_STEP, {"row_id": latest["id"], **values})
        step = {**latest, **values}
    else:
        fresh = {key: latest[key] for key in ("route_id", "dossier_code", "sequence", "level", "unit", "unit_path",
                                              "role", "agency_id", "agency_name", "action", "budget_minutes")}
        step = {**fresh, **values, "step_id": new_step_id(), "attempt": latest["attempt"] + 1}
        step["id"] = session.execute(_INSERT_STEPS, step).scalar_one()
    dispatch.announce_assigned(session, runtime, route, step, note=note)
    control_log.record(session, route, kind, step_id=step["step_id"], from_party=from_party,
                       from_person=from_person, to_party=step["agency_name"], at=at, result=result, note=note)
    return step


def complete_step(session: Session, runtime, route, step, *, outcome: str, completed_at: datetime,
                  handled_by: str, note: str | None, answered_at: datetime, answer_event_id: str | None = None) -> dict:
    """Apply a step's answer (local or external, already checked) and move the route on: the step as it is
    now. `answer_event_id` is the plug-in's answer that closed the step (a local completion records the
    one it publishes)."""
    values = dict(status="completed", outcome=outcome, completed_at=completed_at, handled_by=handled_by,
                  note=note, answered_at=answered_at)
    if answer_event_id:
        values["answer_event_id"] = answer_event_id
    session.execute(_UPDATE_STEP, {"row_id": step["id"], **values})
    completed = {**step, **values}  # what follows changes other rows only
    code = route["dossier_code"]
    if outcome == "supplement_required":
        session.execute(_UPDATE_ROUTE, {"row_id": route["id"], "status": "awaiting_supplement",
                                        "paused_at": completed_at})
        control_log.record(session, route, "supplement_requested", step_id=step["step_id"],
                           from_party=step["agency_name"], to_party=control_log.desk_name(route), at=completed_at,
                           from_person=handled_by, result=outcome, note=note)
        runtime.outbox.add(session, new_event(ROUTE_SUPPLEMENT_REQUIRED, source=SOURCE, subject=code, data={
            "dossier_code": code, "step_id": step["step_id"], "requested_at": isoformat(completed_at), "note": note}))
        return completed
    following = _next_position(session, route["id"], step["sequence"]) if outcome == "approved" else None
    if following is not None:
        assign_position(session, runtime, route, following["sequence"], at=completed_at,
                        from_party=step["agency_name"], result=outcome, note=note, latest=following)
        return completed
    finish(session, runtime, route, step, outcome=outcome, at=completed_at, handled_by=handled_by, note=note)
    return completed


def finish(session: Session, runtime, route, last_step, *, outcome: str, at: datetime, handled_by: str,
           note: str | None) -> None:
    code = route["dossier_code"]
    session.execute(_UPDATE_ROUTE, {"row_id": route["id"], "status": "completed", "outcome": outcome,
                                    "completed_at": at})
    session.execute(_SKIP_PLANNED, {"of_route": route["id"]})
    control_log.record(session, route, "returned", step_id=last_step["step_id"], from_party=last_step["agency_name"],
                       to_party=control_log.desk_name(route), at=at, from_person=handled_by, result=outcome, note=note)
    runtime.outbox.add(session, new_event(ROUTE_COMPLETED, source=SOURCE, subject=code, data={
        "dossier_code": code, "outcome": outcome, "completed_at": isoformat(at), "note": note}))
    log.info("route_completed", extra={"dossier_code": code, "outcome": outcome})


def resume_after_supplement(session: Session, runtime, data: dict) -> None:
    """The citizen supplemented: the clock runs again, and the step that asked is given again with
    the time it had left (its due time moved by the working time of the pause).

    The dossier's appointment becomes the one intake moved by the pause (`due_at` of the event), or
    routing's own appointment moved by the same pause if that is later: an apology's new date was
    promised to the citizen, even if intake had not applied it when it moved the appointment."""
    route = find_route(session, data["code"], lock=True)
    if route is None or route["status"] != "awaiting_supplement":
        # A supplement at reception (no route yet), or a repeat of one already applied.
        log.info("supplement_received_ignored", extra={"dossier_code": data["code"],
                                                       "route_status": route and route["status"]})
        return
    asked = session.execute(select(route_steps).where(route_steps.c.route_id == route["id"],
                                                      route_steps.c.outcome == "supplement_required")
                            .order_by(route_steps.c.id.desc()).limit(1)).mappings().first()
    calendar, paused_from, resumed_at = reference.calendar(session), data["paused_from"], data["occurred_at"]
    due = max(data["due_at"], calendar.extend(route["due_at"], paused_from, resumed_at))
    session.execute(update(dossier_routes).where(dossier_routes.c.id == route["id"]).values(
        status="in_progress", paused_at=None, due_at=due))
    route = {**route, "status": "in_progress", "paused_at": None, "due_at": due}
    if asked is None:
        # An imported dossier whose supplement was asked for before any step (imported.py): its
        # route begins now, at its first position, as a received dossier's does.
        first = _next_sequence(session, route["id"], 0)
        assign_position(session, runtime, route, first, at=resumed_at, from_party=control_log.desk_name(route),
                        note=RESUMED_NOTE)
        return
    # An imported step may have no due time of its own: the appointment it was under bounds it.
    extended = calendar.extend(asked["due_at"] or route["due_at"], paused_from, resumed_at)
    assign_position(session, runtime, route, asked["sequence"], at=resumed_at, due_at=min(extended, route["due_at"]),
                    from_party=control_log.desk_name(route), note=RESUMED_NOTE)


def stop(session: Session, runtime, data: dict) -> None:
    """The citizen withdrew the dossier: every open step is called off, nothing more is assigned."""
    code, stopped_at = data["code"], data["occurred_at"]
    route = find_route(session, code, lock=True)
    if route is None:
        # Withdrawn before its receipt reached routing (or an online dossier never received).
        insert_once(session, withdrawals, dossier_code=code, withdrawn_at=stopped_at)
        return
    if route["status"] not in ("in_progress", "awaiting_supplement"):
        log.info("withdrawal_ignored", extra={"dossier_code": code, "route_status": route["status"]})
        return
    session.execute(update(dossier_routes).where(dossier_routes.c.id == route["id"]).values(
        status="stopped", stopped_at=stopped_at, paused_at=None))
    reason = data.get("reason") or "Công dân rút hồ sơ."
    for step in steps_of(session, route["id"]):
        if step["status"] in STEP_OPEN:
            dispatch.publish_cancelled(session, runtime, route, step, cancelled_at=stopped_at, reason=reason)
            control_log.record(session, route, "stopped", step_id=step["step_id"], from_party=step["agency_name"],
                               to_party=control_log.desk_name(route), at=stopped_at, note=reason)
    session.execute(update(route_steps).where(route_steps.c.route_id == route["id"],
                                              route_steps.c.status.in_(("planned", *STEP_OPEN)))
                    .values(status="cancelled"))
    log.info("route_stopped", extra={"dossier_code": code})


# -- the apology (Mẫu 04) -------------------------------------------------------------------------
def issue_apology(session: Session, runtime, route, *, new_due_at: datetime, reason: str, unit: str,
                  issued_at: datetime) -> bool:
    """Re-set the appointment once (Decree 61: "không quá một lần"); False if already done."""
    won = session.execute(update(dossier_routes).where(
        dossier_routes.c.id == route["id"], dossier_routes.c.apology_issued_at.is_(None),
        dossier_routes.c.status == "in_progress").values(apology_issued_at=issued_at, due_at=new_due_at)
        .returning(dossier_routes.c.id)).first()
    if won is None:
        return False
    code = route["dossier_code"]
    runtime.outbox.add(session, new_event(APOLOGY_ISSUED, source=SOURCE, subject=code, data={
        "dossier_code": code, "original_due_at": isoformat(route["due_at"]), "new_due_at": isoformat(new_due_at),
        "reason": reason, "issued_at": isoformat(issued_at), "unit": unit}))
    log.info("apology_issued", extra={"dossier_code": code})
    return True
