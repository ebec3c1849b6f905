"""Deadline keeping: a sweep in every worker that warns, escalates and apologises, each exactly once.

"Now" is the service clock (clock.py); working time is the working-time calendar's. A route waiting
for a supplement has its clock stopped and no open step, so nothing here touches it.

- Warning (deadline.warned), once per step and once per dossier: when the working time left before
  the due time is at most ROUTING_WARNING_WORKING_HOURS and at most a quarter of the step's budget
  (the dossier's whole time limit for the dossier), and the due time has not passed. Something first
  seen already overdue is escalated or apologised for, not warned about.
- Escalation (deadline.escalated), once per step: an open step past its due time is reported to the
  leader of the step's unit.
- Apology with a new appointment (apology.issued, Mẫu 04), at most once per dossier. Decree 61 wants
  it in writing at the latest one day before the appointment (docs/domain.md §2.4, read here as one
  working day of the working-time calendar), so the sweep issues it at the first of two moments:
  * one working day before the appointment: the route is still in progress (a step is open) and the
    working time left before the appointment is at most one working day (the calendar's
    working_day_minutes). A route not finished by then is not known to finish in time, and after
    that moment the apology could no longer come in time: the law makes this the last moment to
    decide. Not for a dossier whose whole time limit (receipt to appointment, routes.total_minutes)
    is one working day or less: it had no working day to spare from the start, so it is apologised
    for only when lateness is certain;
  * as soon as lateness is certain, when that comes earlier: the open step's remaining time plus the
    budgets of the steps after it no longer fit in the working time left before the appointment
    (a step overran its share and the rest cannot catch up), or the appointment has passed.
  The new appointment is the later of now and the current appointment, plus the open step's and the
  later steps' full budgets. An agency that foresees lateness even sooner issues it itself: POST
  /api/v1/routes/{code}/apology (also once, and then the sweep issues none).

A historical route (opened from a dossier an administrator brought in from the past) is never
warned about, escalated or apologised for, nor are its steps: its deadlines passed long ago and its
answers, with their past `completed_at`, may still be queued.

Exactly once under restarts and concurrent workers: each mark (warned_at, escalated_at,
apology_issued_at) is set by a conditional UPDATE ... WHERE <mark> IS NULL in the same transaction as
the outbox row of its event; of two workers racing, the second updates nothing and sends nothing.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from fractions import Fraction

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import sessionmaker

from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.route import DEADLINE_ESCALATED, DEADLINE_WARNED
from motcua_shared.messaging import PeriodicJob

from . import clock, reference, routes, transition
from .models import STEP_OPEN, dossier_routes, route_steps

log = logging.getLogger("motcua.routing")

ACTION_NAMES = {"process": "xử lý", "appraise": "thẩm định", "approve": "phê duyệt", "sign": "ký"}
# Bounds the candidates of a warning: no working-time window spans more calendar time than this
# (a long Tết break plus weekends is under three weeks).
HORIZON = timedelta(days=21)
BATCH = 500


def warning_window(settings, budget_minutes: int) -> int:
    return min(round(settings.routing_warning_working_hours * 60), budget_minutes // 4)


def job(runtime) -> PeriodicJob:
    return PeriodicJob("deadlines", runtime.settings.routing_sweep_seconds, lambda sessions: sweep(runtime, sessions))


def sweep(runtime, sessions: sessionmaker) -> None:
    now = clock.now(runtime.settings)
    # First the 2025 transition (once per route, from 01/07/2025 00:00): a step whose agency ceased is
    # then warned about and escalated at its successor.
    transition.sweep(runtime, sessions, now)
    _warn_steps(runtime, sessions, now)
    _escalate_steps(runtime, sessions, now)
    _warn_dossiers(runtime, sessions, now)
    _apologise(runtime, sessions, now)
    log.debug("deadline_sweep", extra={"now": now.isoformat()})


# Only live routes and their steps are swept; a historical one is never acted on.
# A route waiting for the citizen to pay (paused_at set while in progress, payments.py) is not swept either:
# the wait is not the agency's, and the due times move by it when the payment is recorded.
LIVE_ROUTE = and_(dossier_routes.c.historical.is_(False), dossier_routes.c.paused_at.is_(None))
OF_LIVE_ROUTE = ~exists().where(dossier_routes.c.id == route_steps.c.route_id,
                                or_(dossier_routes.c.historical.is_(True), dossier_routes.c.paused_at.isnot(None)))


def _open_steps(sessions: sessionmaker, *conditions):
    """Every open step of a live route matching `conditions`, read batch after batch."""
    conditions = (*conditions, OF_LIVE_ROUTE)
    after_id = 0
    while True:
        with sessions() as session:
            batch = [dict(row) for row in session.execute(
                select(route_steps).where(route_steps.c.status.in_(STEP_OPEN), route_steps.c.id > after_id,
                                          *conditions).order_by(route_steps.c.id).limit(BATCH)).mappings()]
        if not batch:
            return
        yield from batch
        after_id = batch[-1]["id"]


def _mark_step(session, step, mark: str, now, *conditions) -> bool:
    column = route_steps.c[mark]
    return session.execute(update(route_steps).where(
        route_steps.c.id == step["id"], column.is_(None), route_steps.c.status.in_(STEP_OPEN), *conditions)
        .values({mark: now}).returning(route_steps.c.id)).first() is not None


def _calendar(sessions: sessionmaker):
    with sessions() as session:
        return reference.calendar(session)


def _warn_steps(runtime, sessions: sessionmaker, now) -> None:
    calendar = _calendar(sessions)
    for step in _open_steps(sessions, route_steps.c.warned_at.is_(None), route_steps.c.escalated_at.is_(None),
                            route_steps.c.due_at > now, route_steps.c.due_at <= now + HORIZON):
        left = calendar.working_minutes_between(now, step["due_at"])
        if not 0 < left <= warning_window(runtime.settings, step["budget_minutes"]):
            continue
        with sessions.begin() as session:
            if _mark_step(session, step, "warned_at", now, route_steps.c.due_at > now):
                runtime.outbox.add(session, new_event(DEADLINE_WARNED, source=routes.SOURCE,
                                                      subject=step["dossier_code"], data={
                    "dossier_code": step["dossier_code"], "step_id": step["step_id"], "scope": "step",
                    "unit": step["unit"], "due_at": isoformat(step["due_at"]), "warned_at": isoformat(now)}))


def _escalate_steps(runtime, sessions: sessionmaker, now) -> None:
    for step in _open_steps(sessions, route_steps.c.escalated_at.is_(None), route_steps.c.due_at < now):
        with sessions.begin() as session:
            if _mark_step(session, step, "escalated_at", now):
                runtime.outbox.add(session, new_event(DEADLINE_ESCALATED, source=routes.SOURCE,
                                                      subject=step["dossier_code"], data={
                    "dossier_code": step["dossier_code"], "step_id": step["step_id"], "unit": step["unit"],
                    "escalated_to": f"leader@{step['unit']}", "due_at": isoformat(step["due_at"]),
                    "escalated_at": isoformat(now)}))
                log.info("step_escalated", extra={"step_id": step["step_id"], "dossier_code": step["dossier_code"]})


def _open_routes(sessions: sessionmaker, *conditions, after_id: int = 0) -> list[tuple[dict, list[dict]]]:
    """A batch of live in-progress routes matching `conditions` (by id, from `after_id`), with their steps."""
    with sessions() as session:
        found = [dict(row) for row in session.execute(
            select(dossier_routes).where(dossier_routes.c.status == "in_progress", dossier_routes.c.id > after_id,
                                         LIVE_ROUTE, *conditions)
            .order_by(dossier_routes.c.id).limit(BATCH)).mappings()]
        steps: dict[int, list[dict]] = {route["id"]: [] for route in found}
        for row in session.execute(select(route_steps).where(route_steps.c.route_id.in_(steps))
                                   .order_by(route_steps.c.sequence, route_steps.c.attempt)).mappings():
            steps[row["route_id"]].append(dict(row))
        return [(route, steps[route["id"]]) for route in found]


def _all_open_routes(sessions: sessionmaker, *conditions):
    """Every in-progress route matching `conditions`, batch after batch."""
    after_id = 0
    while batch := _open_routes(sessions, *conditions, after_id=after_id):
        yield from batch
        after_id = batch[-1][0]["id"]


def _warn_dossiers(runtime, sessions: sessionmaker, now) -> None:
    calendar = _calendar(sessions)
    for route, steps in _all_open_routes(sessions, dossier_routes.c.warned_at.is_(None),
                                         dossier_routes.c.due_at > now, dossier_routes.c.due_at <= now + HORIZON):
        left = calendar.working_minutes_between(now, route["due_at"])
        if not 0 < left <= warning_window(runtime.settings, routes.total_minutes(route, calendar)):
            continue
        open_step = next((s for s in steps if s["status"] in STEP_OPEN), None)
        with sessions.begin() as session:
            won = session.execute(update(dossier_routes).where(
                dossier_routes.c.id == route["id"], dossier_routes.c.warned_at.is_(None),
                dossier_routes.c.status == "in_progress").values(warned_at=now)
                .returning(dossier_routes.c.id)).first()
            if won:
                runtime.outbox.add(session, new_event(DEADLINE_WARNED, source=routes.SOURCE,
                                                      subject=route["dossier_code"], data={
                    "dossier_code": route["dossier_code"], "step_id": open_step and open_step["step_id"],
                    "scope": "dossier", "unit": open_step["unit"] if open_step else route["receiving_unit"],
                    "due_at": isoformat(route["due_at"]), "warned_at": isoformat(now)}))


LATENESS_CERTAIN, LAST_WORKING_DAY = "lateness_certain", "last_working_day"


def apology_due(calendar, route: dict, open_step: dict, later_minutes: int, now) -> str | None:
    """Why the sweep apologises now for `route` (open step `open_step`, `later_minutes` of budgets after
    it), or None: lateness is certain, or one working day or less is left (module docstring)."""
    left = calendar.working_minutes_between(now, route["due_at"])
    still_needed = later_minutes + max(0, calendar.working_minutes_between(now, open_step["due_at"]))
    if left < still_needed:
        return LATENESS_CERTAIN
    day = calendar.working_day_minutes
    if left <= day and routes.total_minutes(route, calendar) > day:
        return LAST_WORKING_DAY
    return None


def apology_reason(open_step: dict, why: str) -> str:
    """The reason on the apology slip (Mẫu 04), in the citizen's language."""
    where = f"Bước {ACTION_NAMES[open_step['action']]} hồ sơ tại {open_step['agency_name']}"
    if why == LATENESS_CERTAIN:
        state = "không hoàn thành trong thời hạn nên hồ sơ không thể trả kết quả đúng hẹn"
    else:
        state = ("chưa hoàn thành khi chỉ còn không quá một ngày làm việc trước ngày hẹn trả kết quả nên hồ sơ "
                 "không bảo đảm trả kết quả đúng hẹn")
    return f"{where} {state}. Cơ quan giải quyết xin lỗi ông/bà và hẹn lại ngày trả kết quả."


def _apologise(runtime, sessions: sessionmaker, now) -> None:
    calendar = _calendar(sessions)
    for route, steps in _all_open_routes(sessions, dossier_routes.c.apology_issued_at.is_(None)):
        open_step = next((s for s in steps if s["status"] in STEP_OPEN), None)
        if open_step is None:
            continue
        later = {s["sequence"]: s["budget_minutes"] for s in steps if s["sequence"] > open_step["sequence"]}
        why = apology_due(calendar, route, open_step, sum(later.values()), now)
        if why is None:
            continue
        new_due = calendar.advance(max(now, route["due_at"]),
                                   Fraction(open_step["budget_minutes"] + sum(later.values()), 60), "working_hours")
        reason = apology_reason(open_step, why)
        with sessions.begin() as session:
            current = routes.lock_route(session, route["id"])
            unchanged = (current["due_at"] == route["due_at"]
                         and routes.find_step(session, open_step["step_id"])["status"] in STEP_OPEN)
            if unchanged:  # else the route moved on since it was read; the next sweep looks again
                routes.issue_apology(session, runtime, current, new_due_at=new_due, reason=reason,
                                     unit=open_step["unit"], issued_at=now)
