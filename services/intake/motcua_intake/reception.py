"""The desk's decision on a submitted dossier (Decree 61 Art. 15): the four outcomes of reception.

- valid: accepted, with the receipt and the appointment (Mẫu 01);
- incomplete: a supplement is asked for once, in writing (Mẫu 02); the dossier waits for it and is then
  accepted (or refused) like a submitted one;
- refused, with the reasons (Mẫu 03);
- not this desk's competence: the citizen is told where to go (recorded as not received, DVCQG 3).

A dossier received straight away at the counter skips this (receiving.py); one entered with
`status: submitted` (a postal arrival, a counter case the desk must check first) comes here.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from motcua_shared.events import isoformat
from motcua_shared.reference import UnknownUnit
from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import Invalid
from motcua_shared.workcal import VIETNAM_TZ

from . import actions, receiving, supplements
from .desk import Desk


def accept(session: Session, desk: Desk, principal: Principal, code: str, *, occurred_at: datetime | None) -> dict:
    step = actions.prepare(session, principal, code, "accept", occurred_at=occurred_at)
    stamped = receiving.stamp_received(session, desk, step.dossier, at=step.at, actor=step.actor,
                                       actor_name=step.actor_name)
    data = receiving.facts(desk, {**step.dossier, **stamped}) | {"received_at": isoformat(step.at),
                                                                 "due_at": isoformat(stamped["due_at"])}
    return step.apply(session, desk.outbox, changes=stamped, details={"due_at": data["due_at"]}, event_data=data)


def request_supplement(session: Session, desk: Desk, principal: Principal, code: str, *, note: str,
                       items: list[str], occurred_at: datetime | None, legal_ground: str | None = None) -> dict:
    """Mẫu 02, once for the whole list (supplements.py): a second request needs its legal ground."""
    step = actions.prepare(session, principal, code, "request_supplement", occurred_at=occurred_at)
    supplements.check_repeat(step.dossier, legal_ground)
    number = supplements.next_request_number(step.dossier)
    ground = legal_ground.strip() if number > 1 and legal_ground else None
    details = {"items": items, "stage": "reception", "request_number": number}
    return step.apply(session, desk.outbox, changes={"supplement_stage": "reception", "supplement_requests": number},
                      note=note, details=details | ({"legal_ground": ground} if ground else {}),
                      event_data=step.event_data(stage="reception", items=items, note=note, request_number=number,
                                                 legal_ground=ground))


def refuse(session: Session, desk: Desk, principal: Principal, code: str, *, reason: str,
           occurred_at: datetime | None) -> dict:
    step = actions.prepare(session, principal, code, "refuse", occurred_at=occurred_at)
    return step.apply(session, desk.outbox, note=reason, event_data=step.event_data(reason=reason))


def redirect(session: Session, desk: Desk, principal: Principal, code: str, *, competent_unit: str, reason: str,
             occurred_at: datetime | None) -> dict:
    step = actions.prepare(session, principal, code, "redirect", occurred_at=occurred_at)
    try:
        desk.units.get(competent_unit, step.at.astimezone(VIETNAM_TZ).date())
    except UnknownUnit as exc:
        raise Invalid("Đơn vị có thẩm quyền không tồn tại.", code="unknown_unit", invalid_params=[
            {"name": "competent_unit", "code": "unknown_unit", "reason": str(exc)}]) from None
    if competent_unit == step.dossier["receiving_unit"]:
        raise Invalid("Đơn vị có thẩm quyền phải khác đơn vị tiếp nhận.", code="redirect_to_self", invalid_params=[
            {"name": "competent_unit", "code": "redirect_to_self", "reason": "Trùng đơn vị tiếp nhận."}])
    return step.apply(session, desk.outbox, note=reason, unit=competent_unit, changes={"redirected_to": competent_unit},
                      event_data=step.event_data(competent_unit=competent_unit, reason=reason))
