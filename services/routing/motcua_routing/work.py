"""The officer's side of local steps: claim, complete, forward, send back.

A step is in an officer's work inbox when it reached this deployment's local queue (ROUTING_LOCAL_UNITS)
and its unit lies within the officer's scope; any other step answers 404, as an unknown one would.
Approving and signing are a leader's acts; a leader may also hand any step of the scope to someone.

Completing applies the answer at once in the officer's transaction: the inbox, the route and the
next agency's step change together, two officers cannot both complete one step (the route row is
locked and the step's status checked under the lock), and the officer is told at once if the step
was closed meanwhile. The same answer is then published on routing.step-results exactly as a
province's handler would publish it, its id kept on the step; coming back on the answers queue, it is
known as routing's own echo and changes nothing (any other answer to a local step is refused there).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import Conflict, Forbidden, Invalid, NotFound
from motcua_shared.web.scope import found_in_scope

from . import clock, control_log, dispatch, reference, routes, supplement_once, transition
from .models import STEP_OPEN
from .plans import LEADER_ACTIONS


def _step_in_inbox(session: Session, principal: Principal, step_id: str) -> tuple[dict, dict]:
    """(route, step) with the route locked, or 404 when the step is not in the officer's inbox.

    One statement locks and reads both (routes.lock_step); a step outside the scope is thereby locked
    until the 404 ends the transaction, which costs nothing and saves two round trips on every act."""
    found = routes.lock_step(session, step_id)
    route, step = found if found is not None else (None, None)
    local = step if step is not None and step["local_at"] is not None else None  # else in nobody's inbox
    found_in_scope(principal, local, "unit_path",
                   NotFound("Không có bước xử lý này trong hộp công việc của bạn.", code="step_not_found"))
    return route, step


def _officer(principal: Principal, step) -> str:
    return f"{principal.name or principal.sub} – {step['agency_name']}"[:200]


def _require_open(step) -> None:
    if step["status"] == transition.HANDED_OVER:
        # The agency ceased on 01/07/2025; its successor has the step now (transition.py).
        raise Conflict(transition.HANDED_OVER_MESSAGE, code="step_handed_over")
    if step["status"] not in STEP_OPEN:
        raise Conflict("Bước xử lý đã kết thúc.", code="step_closed")


def _require_leader_for(principal: Principal, step) -> None:
    if step["action"] in LEADER_ACTIONS and not principal.has("leader"):
        raise Forbidden("Bước phê duyệt, ký do lãnh đạo thực hiện.", code="leader_required")


def _require_handler(principal: Principal, step, *, leader_may: bool = False) -> None:
    """The caller holds the step (or, where allowed, is a leader of the scope)."""
    _require_open(step)
    if step["claimed_by"] == principal.sub or (leader_may and principal.has("leader")):
        return
    if step["status"] == "assigned":
        raise Conflict("Cần nhận xử lý bước này trước.", code="step_not_claimed")
    raise Conflict("Bước xử lý đang do cán bộ khác thực hiện.", code="step_claimed_by_other")


def claim(session: Session, runtime, principal: Principal, step_id: str) -> tuple[dict, dict]:
    route, step = _step_in_inbox(session, principal, step_id)
    _require_open(step)
    if step["claimed_by"] == principal.sub:
        return route, step
    if step["status"] == "claimed":
        raise Conflict("Bước xử lý đang do cán bộ khác thực hiện.", code="step_claimed_by_other")
    _require_leader_for(principal, step)
    now = clock.now(runtime.settings)
    values = {"status": "claimed", "claimed_by": principal.sub, "claimed_at": now}
    routes.update_step(session, step["id"], values)
    control_log.record(session, route, "claimed", step_id=step_id, from_party=step["agency_name"],
                       to_party=step["agency_name"], to_person=_officer(principal, step), at=now)
    return route, {**step, **values}


def complete(session: Session, runtime, principal: Principal, step_id: str, *, outcome: str,
             note: str | None, legal_ground: str | None = None) -> tuple[dict, dict]:
    route, step = _step_in_inbox(session, principal, step_id)
    _require_handler(principal, step)
    _require_leader_for(principal, step)
    # A second supplement request needs its legal ground (issue 14, supplement_once.py).
    note = supplement_once.checked_note(session, route, outcome=outcome, note=note, legal_ground=legal_ground)
    now = clock.now(runtime.settings)
    handled_by = _officer(principal, step)
    # The answer to publish is made first, so that its id is written with the completion (one UPDATE);
    # it goes into the outbox after the events of the route's move, as before.
    answer = dispatch.local_answer(route, step, outcome=outcome, completed_at=now, handled_by=handled_by, note=note)
    completed = routes.complete_step(session, runtime, route, step, outcome=outcome, completed_at=now,
                                     handled_by=handled_by, note=note, answered_at=now, answer_event_id=answer.id)
    dispatch.publish_local_answer(session, runtime, answer)
    return route, completed


def forward(session: Session, runtime, principal: Principal, step_id: str, *, to_officer: str | None,
            to_agency: str | None, note: str | None) -> tuple[dict, dict]:
    """Hand the step to another officer, or to another agency of the same unit (its inbox)."""
    route, step = _step_in_inbox(session, principal, step_id)
    _require_handler(principal, step, leader_may=True)
    now = clock.now(runtime.settings)
    if to_agency is not None:
        day = reference.local_day(step["assigned_at"])
        agency = next((a for a in reference.agencies().at_unit(step["unit"], day) if a.id == to_agency), None)
        if agency is None or agency.id == step["agency_id"]:
            raise Invalid("Cơ quan nhận phải là một cơ quan khác của cùng đơn vị.", code="invalid_agency",
                          invalid_params=[{"name": "to_agency", "code": "invalid_agency",
                                           "reason": "Không phải cơ quan khác của đơn vị này."}])
        values = {"agency_id": agency.id, "agency_name": agency.name, "status": "assigned", "claimed_by": None,
                  "claimed_at": None}
        to_party, to_person = agency.name, None
    else:
        values = {"status": "claimed", "claimed_by": to_officer, "claimed_at": now}
        to_party, to_person = step["agency_name"], to_officer
    routes.update_step(session, step["id"], values)
    control_log.record(session, route, "forwarded", step_id=step_id, from_party=step["agency_name"],
                       from_person=_officer(principal, step), to_party=to_party, to_person=to_person, at=now,
                       note=note)
    return route, {**step, **values}


def send_back(session: Session, runtime, principal: Principal, step_id: str, *, note: str) -> tuple[dict, dict]:
    """Return the dossier to the previous step of the plan, which is given again."""
    route, step = _step_in_inbox(session, principal, step_id)
    _require_handler(principal, step, leader_may=True)
    if step["sequence"] == 1:
        raise Conflict("Đây là bước đầu tiên, không có bước trước để trả lại.", code="no_previous_step")
    now = clock.now(runtime.settings)
    officer = _officer(principal, step)
    values = {"status": "sent_back", "completed_at": now, "handled_by": officer, "note": note}
    routes.update_step(session, step["id"], values)
    routes.assign_position(session, runtime, route, step["sequence"] - 1, at=now, kind="sent_back",
                           from_party=step["agency_name"], from_person=officer, note=note)
    return route, {**step, **values}  # assign_position writes another row (the earlier position)
