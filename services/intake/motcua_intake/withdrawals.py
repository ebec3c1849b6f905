"""Withdrawal (rút hồ sơ): the citizen asks (DVCQG 7), the desk confirms and hands the papers back,
and processing stops (DVCQG 8). Until the desk confirms, processing may still finish; the result then
wins and the request lapses (lifecycle: `process` is allowed from withdrawal_requested)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from motcua_shared.web.auth import Principal

from . import actions, trail
from .desk import Desk
from .scope import can_act_at_desk, can_read, is_officer


def request(session: Session, desk: Desk, principal: Principal, code: str, *, reason: str | None,
            occurred_at: datetime | None) -> dict:
    """Asked by the citizen (online, their own dossier) or recorded by the desk for them."""
    def may_ask(dossier: dict) -> bool:
        if is_officer(principal):
            return can_act_at_desk(principal, dossier)
        return can_read(principal, dossier, desk.identities)

    step = actions.prepare(session, principal, code, "request_withdrawal", occurred_at=occurred_at, may_act=may_ask)
    return step.apply(session, desk.outbox, note=reason, event_data=step.event_data(reason=reason))


def confirm(session: Session, desk: Desk, principal: Principal, code: str, *, note: str | None,
            occurred_at: datetime | None) -> dict:
    step = actions.prepare(session, principal, code, "withdraw", occurred_at=occurred_at)
    requested = trail.latest(session, code, "request_withdrawal")
    reason = note or (requested["note"] if requested else None)
    return step.apply(session, desk.outbox, note=note, changes={"paused_from": None},
                      event_data=step.event_data(reason=reason))
