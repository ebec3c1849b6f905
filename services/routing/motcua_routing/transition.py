"""The 2025 transition: dossiers in progress on 01/07/2025 go on at the successor agencies.

From 01/07/2025 local government has two levels (hierarchy.py): the districts and their offices were
abolished, communes were merged, and the communes' offices were re-formed under new ids. A route
planned before that keeps its steps at the agencies of the day of receipt; at 01/07/2025 00:00
(Asia/Ho_Chi_Minh) each of its steps still to do whose agency or unit ceased is handed over:

- the successor holds the same role: the step's unit itself if it survived (a commune keeping its
  code), else the unit it merged into (units.csv `successors`); and when that unit has no agency of
  the role, or the unit was a district (no successor unit), the agency the procedure's two-level
  route plan gives that role for this dossier (its receiving commune's successor): district social
  affairs work goes to the commune's Phòng Văn hóa - Xã hội, a district step whose role the
  two-level plan gives the province goes to the province's agency; a role the two-level plan does
  not name goes to the province's agency of that role, if there is one. A step imported from an old
  system has no role: the role is read from the old agency's name in agencies.csv, or else the
  step goes to the deciding (last) agency of the two-level plan. A provincial agency that lost the
  role that day (criminal records: Sở Tư pháp → Công an tỉnh) hands it to the new holder;
- an open step (assigned or claimed) ends as `handed_over` and a new attempt of the same position
  is assigned to the successor (a new step id: routing.step.cancelled to the old unit, .assigned to
  the new one), with a control-log line (Mẫu 05) naming both agencies; a planned step is re-pointed
  in place (nobody holds it yet);
- time: the law's texts at hand (Decree 118/2025, the unit resolutions) give no rule for the time
  left of a dossier in progress, so the step keeps its due time and the dossier its appointment;
- one `route.handed_over` per dossier tells intake, which records it in the dossier's history;
- a position given again later (after a supplement, or sent back to a step whose agency ceased)
  goes to the successor too (routes.assign_position asks holder_for_new_attempt).

A late answer to the old step is refused (answers.py, work.py): after 01/07/2025 the old agency no
longer exists, and the successor decides under its own name.

Once per route. From 01/07/2025 00:00 on the service clock, the deadline sweep hands over the live
routes that were here before that moment (`recorded_at`) and are not checked yet
(`transition_checked_at`); an answer that reaches a route before the sweep does (it comes every
ROUTING_SWEEP_SECONDS) is applied as the old agency's. The others are the administrator's:
`python -m motcua_routing transition` checks every open route received before the date. That covers
a historical (imported) dossier still open, which no sweep acts on since its answers may still be
on their way with their past times (its event carries `historical`, so nobody is notified), and a
receipt that reached routing only after the date (routing down at midnight, a delayed message): the
command is run once on 01/07/2025 and after each import. Both are idempotent: a step handed over is
at an agency in force, so a second run finds nothing.
A step no successor can be found for (e.g. a district-received dossier of a procedure that goes to
a commune: which commune is not known) stays where it is and is reported; the sweep's escalation
then brings it to a person.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Callable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.handover import ROUTE_HANDED_OVER
from motcua_shared.reference import (Hierarchy, RouteNotApplicable, UnknownAgency, UnknownProcedure, UnknownUnit,
                                     resolve_route)
from motcua_shared.reference.hierarchy import TWO_LEVEL_FROM
from motcua_shared.reference.units import AmbiguousSuccession

from . import control_log, dispatch, reference, routes
from .models import ROUTE_OPEN, STEP_OPEN, dossier_routes, route_steps

log = logging.getLogger("motcua.routing")

TRANSITION_DAY = TWO_LEVEL_FROM
TRANSITION_AT = datetime.combine(TRANSITION_DAY, time(0, 0), tzinfo=reference.VIETNAM_TZ)
HANDED_OVER = "handed_over"
REASON = ("Từ ngày 01/07/2025 chính quyền địa phương tổ chức theo hai cấp, không còn cấp huyện; cơ quan giải "
          "quyết trước đây không còn. Hồ sơ được chuyển giao cho cơ quan kế nhiệm, giữ nguyên thời hạn giải quyết.")
HANDED_OVER_MESSAGE = ("Bước xử lý đã được chuyển giao cho cơ quan kế nhiệm từ ngày 01/07/2025 (chính quyền địa "
                       "phương hai cấp); cơ quan kế nhiệm giải quyết tiếp.")
BATCH = 200
_UNRESOLVED = (UnknownProcedure, UnknownUnit, RouteNotApplicable, UnknownAgency, AmbiguousSuccession)


@dataclass(frozen=True)
class Holder:
    """Who holds a step: its unit, level, role and agency."""

    unit: str
    unit_path: str
    level: str
    role: str
    agency_id: str
    agency_name: str

    def columns(self) -> dict:
        return {"unit": self.unit, "unit_path": self.unit_path, "level": self.level, "role": self.role,
                "agency_id": self.agency_id, "agency_name": self.agency_name}


class NoSuccessor(LookupError):
    """No agency in force holds the step's role for this dossier."""


@dataclass
class Summary:
    """What a run did, for the command's report and the log."""

    checked: int = 0
    routes_handed_over: int = 0
    steps_handed_over: int = 0
    unresolved: list[tuple[str, int, str]] = field(default_factory=list)  # (dossier, sequence, why)


# -- who holds a step after the reform ------------------------------------------------------------
def in_force(step: dict, day=TRANSITION_DAY) -> bool:
    """Whether the step's unit (at the same path) and agency still exist on `day`, the agency not
    having lost the step's role that day (Sở Tư pháp lost criminal records to the provincial police)."""
    unit = reference.units().find(step["unit"], day)
    if unit is None or reference.units().path(unit.code, day) != step["unit_path"]:
        return False
    if step["role"] == routes.IMPORTED:
        return True  # an imported agency is named by the old system only: its unit decides
    agencies = reference.agencies()
    try:
        if step["role"] in agencies.get(step["agency_id"], day).roles:
            return True
        # An agency that never held the role holds the step because an officer forwarded it there
        # (work.py): that choice stands.
        return step["role"] not in agencies.get(step["agency_id"], day - timedelta(days=1)).roles
    except UnknownAgency:
        return False


def _same_name(a: str, b: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return norm(a) == norm(b)


def _roles(step: dict, day) -> list[str]:
    """The roles the step was given for; an imported step's from its agency's name the day before."""
    if step["role"] != routes.IMPORTED:
        return [step["role"]]
    before = day - timedelta(days=1)
    for agency in reference.agencies().at_unit(step["unit"], before):
        if _same_name(agency.name, step["agency_name"]):
            return sorted(agency.roles)
    return []


def _holder(unit_code: str, level: str, role: str, agency, day) -> Holder:
    return Holder(unit_code, reference.units().path(unit_code, day), level, role, agency.id, agency.name)


def _province(route: dict) -> str:
    """The province of the dossier's receiving unit (provinces never ceased in this reform)."""
    lineage = reference.units().lineage(route["receiving_unit"], reference.local_day(route["received_at"]))
    return next(unit.code for unit in lineage if unit.parent is None)


def _two_level_roles(route: dict) -> set[str]:
    try:
        procedure = reference.catalogue().get(route["procedure_code"])
    except UnknownProcedure:
        return set()
    return {role for roles in dict(procedure.handlers_two_level).values() for role in roles}


def two_level_holders(runtime, route: dict, day=TRANSITION_DAY) -> list[Holder]:
    """The steps the dossier's two-level route plan gives, from its receiving desk's successor (or,
    for a desk that ceased without one, the province): [] when the data cannot say."""
    units, agencies = reference.units(), reference.agencies()
    received_day = reference.local_day(route["received_at"])
    try:
        procedure = reference.catalogue().get(route["procedure_code"])
    except UnknownProcedure:
        return []
    base_old = routes.lodging_unit(route["receiving_unit"], route["competent_unit"], received_day)
    bases = []
    for code in (base_old, route["receiving_unit"]):
        try:
            bases.append(units.current_successor(code, day).code)
        except (UnknownUnit, AmbiguousSuccession):
            continue
    bases.append(_province(route))  # for a route of provincial steps only, from a desk that ceased
    plan = reference.plans(runtime.settings.routing_plans_file).for_dossier(procedure, Hierarchy.TWO_LEVEL,
                                                                              route["channel"])
    for base in dict.fromkeys(bases):
        try:
            resolved = {step.level: step for step in resolve_route(procedure, base, day, units=units,
                                                                   agencies=agencies)}
            return [_holder(resolved[s.level].unit.code, str(s.level), s.role,
                            agencies.for_role(s.role, resolved[s.level].unit.code, day), day) for s in plan.steps]
        except _UNRESOLVED:
            continue
    return []


def successor(runtime, route: dict, step: dict, day=TRANSITION_DAY, plan: list[Holder] | None = None) -> Holder:
    """Who holds `step` from `day` (module docstring); NoSuccessor when nobody does."""
    units, agencies = reference.units(), reference.agencies()
    roles = _roles(step, day)
    try:
        unit = units.current_successor(step["unit"], day)
    except (UnknownUnit, AmbiguousSuccession):
        unit = None
    if unit is not None:
        for role in roles:
            try:
                return _holder(unit.code, str(unit.level), role, agencies.for_role(role, unit.code, day), day)
            except UnknownAgency:
                continue
    plan = two_level_holders(runtime, route, day) if plan is None else plan
    for role in roles:
        # The highest level of the plan holding the role: routes climb, and the work of an abolished
        # district went either down to the commune or up to the province, never both for one role.
        matches = [holder for holder in plan if holder.role == role]
        if matches:
            return matches[-1]
    if step["role"] == routes.IMPORTED and not roles and plan:
        return plan[-1]
    # A role the two-level route does not name (a vertical office of the abolished district, such as
    # social insurance): the province's agency of that role, if the data gives one. A role it names
    # but for a unit this dossier cannot be placed in (no commune known) is not guessed.
    province = _province(route)
    for role in roles:
        if role in _two_level_roles(route):
            continue
        try:
            return _holder(province, "province", role, agencies.for_role(role, province, day), day)
        except UnknownAgency:
            continue
    raise NoSuccessor(f"no agency in force on {day.isoformat()} holds {roles or 'the role'} of step "
                      f"{step['sequence']} ({step['agency_name']}) of {route['dossier_code']}")


# -- handing a route over ------------------------------------------------------------------------
def hand_over(session: Session, runtime, route: dict, *, checked_at: datetime,
              summary: Summary | None = None) -> int:
    """Hand over the steps of a locked route whose agencies ceased; mark it checked. The number of
    steps handed over."""
    summary = summary if summary is not None else Summary()
    summary.checked += 1
    moved: list[dict] = []
    if route["status"] in ROUTE_OPEN and route["received_at"] < TRANSITION_AT:
        pending = [step for step in routes.steps_of(session, route["id"])
                   if step["status"] in ("planned", *STEP_OPEN) and not in_force(step)]
        plan = two_level_holders(runtime, route) if pending else []
        for step in pending:
            try:
                holder = successor(runtime, route, step, plan=plan)
            except NoSuccessor as exc:
                summary.unresolved.append((route["dossier_code"], step["sequence"], str(exc)))
                log.error("transition_no_successor", extra={"dossier_code": route["dossier_code"],
                                                            "step_id": step["step_id"], "reason": str(exc)})
                continue
            moved.append(_move(session, runtime, route, step, holder))
    session.execute(update(dossier_routes).where(dossier_routes.c.id == route["id"])
                    .values(transition_checked_at=checked_at))
    route["transition_checked_at"] = checked_at
    if moved:
        code = route["dossier_code"]
        runtime.outbox.add(session, new_event(ROUTE_HANDED_OVER, source=routes.SOURCE, subject=code, data={
            "dossier_code": code, "handed_over_at": isoformat(TRANSITION_AT), "reason": REASON,
            "historical": bool(route.get("historical")), "steps": moved}))
        summary.routes_handed_over += 1
        summary.steps_handed_over += len(moved)
        log.info("route_handed_over", extra={"dossier_code": code, "steps": len(moved)})
    return len(moved)


def _move(session: Session, runtime, route: dict, step: dict, holder: Holder) -> dict:
    """Give one step to `holder`: a planned one in place, an open one as a new attempt."""
    entry = {"sequence": step["sequence"], "from_step_id": step["step_id"], "from_unit": step["unit"],
             "from_agency": step["agency_id"], "from_agency_name": step["agency_name"], "to_unit": holder.unit,
             "to_unit_path": holder.unit_path, "to_level": holder.level, "to_agency": holder.agency_id,
             "to_agency_name": holder.agency_name}
    if step["status"] == "planned":
        session.execute(update(route_steps).where(route_steps.c.id == step["id"]).values(**holder.columns()))
        return {**entry, "state": "planned", "to_step_id": step["step_id"], "due_at": None}
    # A step the old system handed to its agency after the date (imported) is handed over from then.
    at = max(TRANSITION_AT, step["assigned_at"] or TRANSITION_AT)
    session.execute(update(route_steps).where(route_steps.c.id == step["id"]).values(status=HANDED_OVER))
    attempt = session.execute(select(func.max(route_steps.c.attempt)).where(
        route_steps.c.route_id == route["id"], route_steps.c.sequence == step["sequence"])).scalar_one()
    kept = {key: step[key] for key in ("route_id", "dossier_code", "sequence", "action", "budget_minutes")}
    fresh = {**kept, **holder.columns(), "step_id": routes.new_step_id(), "attempt": attempt + 1,
             "status": "assigned", "assigned_at": at, "due_at": step["due_at"]}
    fresh["id"] = session.execute(route_steps.insert().values(**fresh).returning(route_steps.c.id)).scalar_one()
    note = f"Tiếp nhận từ {step['agency_name']}. {REASON}"
    dispatch.publish_cancelled(session, runtime, route, step, cancelled_at=at, reason=REASON)
    dispatch.publish_assigned(session, runtime, route, fresh, note=note)
    control_log.record(session, route, HANDED_OVER, step_id=fresh["step_id"], from_party=step["agency_name"],
                       from_person=step["claimed_by"], to_party=holder.agency_name, at=at, note=REASON)
    return {**entry, "state": "open", "to_step_id": fresh["step_id"],
            "due_at": step["due_at"] and isoformat(step["due_at"])}


def holder_for_new_attempt(runtime, route: dict, latest: dict, at: datetime) -> dict:
    """A position of a handed-over route given again from 01/07/2025 (after a supplement, or sent back
    to an earlier step): the new attempt copied from a row at an agency that ceased goes to the
    successor. The row to copy (or assign) is returned. A route not handed over yet is left as it is:
    the sweep or the command decides when it is handed over (an imported route's answers may still
    come with times before the date, and are then the old agencies' to give)."""
    if at < TRANSITION_AT or route.get("transition_checked_at") is None:
        return latest
    if latest["status"] == "planned" or in_force(latest):
        return latest
    try:
        return {**latest, **successor(runtime, route, latest).columns()}
    except NoSuccessor as exc:
        log.error("transition_no_successor", extra={"dossier_code": route["dossier_code"],
                                                    "step_id": latest["step_id"], "reason": str(exc)})
        return latest


def successor_step(session: Session, step: dict) -> dict | None:
    """The attempt that took over a handed-over step: the latest of its position."""
    return routes._latest_attempt(session, step["route_id"], step["sequence"])


# -- when it runs ---------------------------------------------------------------------------------
def _conditions(*, everything: bool, after_id: int = 0) -> list:
    conditions = [dossier_routes.c.status.in_(ROUTE_OPEN), dossier_routes.c.id > after_id,
                  dossier_routes.c.received_at < TRANSITION_AT]
    if not everything:
        # The sweep: the live routes that were here before the date and are not checked yet. A historical
        # one, or one whose receipt reached routing only after the date, is the administrator's (the
        # command): its answers may still be on their way with their past times.
        conditions += [dossier_routes.c.transition_checked_at.is_(None), dossier_routes.c.historical.is_(False),
                       dossier_routes.c.recorded_at < TRANSITION_AT]
    return conditions


def _candidates(sessions: sessionmaker, *, everything: bool, after_id: int) -> list[int]:
    with sessions() as session:
        return list(session.execute(select(dossier_routes.c.id).where(*_conditions(everything=everything,
                                                                                    after_id=after_id))
                                    .order_by(dossier_routes.c.id).limit(BATCH)).scalars())


def count_candidates(sessions: sessionmaker, *, everything: bool = True) -> int:
    """How many routes `run` will check (the command's progress bar)."""
    with sessions() as session:
        return session.execute(select(func.count()).select_from(dossier_routes)
                               .where(*_conditions(everything=everything))).scalar_one()


def run(runtime, sessions: sessionmaker, now: datetime, *, everything: bool = False,
        on_route: Callable[[int], None] | None = None) -> Summary:
    """Hand over every route received before 01/07/2025 still open, historical ones included
    (`everything`: the command), or the live ones the sweep has not checked yet; nothing before
    01/07/2025 00:00. One transaction per route; `on_route(routes done so far)` after each."""
    summary = Summary()
    if now < TRANSITION_AT:
        return summary
    after_id = 0
    done = 0
    while ids := _candidates(sessions, everything=everything, after_id=after_id):
        for route_id in ids:
            try:
                with sessions.begin() as session:
                    route = routes.lock_route(session, route_id)
                    if everything or route["transition_checked_at"] is None:
                        hand_over(session, runtime, route, checked_at=now, summary=summary)
            except Exception as exc:  # one route the data cannot place must not hold back the others
                log.exception("transition_route_failed", extra={"route_id": route_id})
                summary.unresolved.append((f"route {route_id}", 0, f"{type(exc).__name__}: {exc}"))
            done += 1
            if on_route is not None:
                on_route(done)
        after_id = ids[-1]
    if summary.steps_handed_over or summary.unresolved:
        log.info("transition_run", extra={"checked": summary.checked, "routes": summary.routes_handed_over,
                                          "steps": summary.steps_handed_over,
                                          "unresolved": len(summary.unresolved)})
    return summary


def sweep(runtime, sessions: sessionmaker, now: datetime) -> None:
    """The deadline sweep's part: the routes not yet checked, once the clock reached the date."""
    run(runtime, sessions, now)
