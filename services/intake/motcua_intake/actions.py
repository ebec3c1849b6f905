"""What every desk action on an existing dossier checks before it changes anything.

1. the dossier exists and the caller may act on it: otherwise 404, the same answer as for a code that
   does not exist (an officer learns nothing about other units' dossiers);
2. the change is allowed from the dossier's status: otherwise 409 `invalid_transition`;
3. the moment of the change: now, or for an administrator importing history the `occurred_at` given,
   which may not be in the future nor before the dossier's last recorded change of status, and may
   lie in the past only for a dossier brought in from the past (422 `occurred_at_not_historical`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy.orm import Session

from motcua_shared.statuses import VIETNAMESE
from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import Conflict, Forbidden, Invalid, NotFound

from . import lifecycle
from .lifecycle import TRANSITIONS, Transition
from .scope import actor_of, can_act_at_desk

# Clocks of the desk's PC and the server differ a little; an import is history, never the future.
FUTURE_TOLERANCE = timedelta(minutes=2)


def not_found() -> NotFound:
    return NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")


def locked(session: Session, code: str, may_act) -> dict:
    dossier = lifecycle.load(session, code, for_update=True)
    if dossier is None or not may_act(dossier):
        raise not_found()
    return dossier


def ensure_allowed(transition: Transition, dossier: dict) -> None:
    if not lifecycle.allows(transition, dossier):
        raise Conflict(f"Không thể thực hiện khi hồ sơ đang ở trạng thái \u201c{VIETNAMESE[dossier['status']]}\u201d.",
                       code="invalid_transition")


def moment(principal: Principal, requested: datetime | None, dossier: dict) -> datetime:
    now = datetime.now(timezone.utc)
    if requested is None:
        return max(now, dossier["last_event_at"])
    if not principal.has("admin"):
        raise Forbidden("Chỉ quản trị viên được nhập thời điểm (nhập hồ sơ lịch sử).", code="import_requires_admin")
    requested = requested.astimezone(timezone.utc)
    if requested > now + FUTURE_TOLERANCE:
        raise _bad_moment("occurred_at_in_future", "Thời điểm không được ở tương lai.")
    if requested < now - FUTURE_TOLERANCE and not brought_in_from_the_past(dossier):
        # A live dossier's facts happen now: a past moment would rewrite its history (an on-time
        # return, a supplement that "came" before the deadline), which only an import may do.
        raise _bad_moment("occurred_at_not_historical",
                          "Chỉ hồ sơ lịch sử (nhập lại với thời điểm tiếp nhận) mới được ghi thời điểm trong quá khứ.")
    if requested < dossier["last_event_at"]:
        raise _bad_moment("occurred_at_out_of_order", "Thời điểm trước lần chuyển trạng thái gần nhất của hồ sơ.")
    return requested


def brought_in_from_the_past(dossier: dict) -> bool:
    """Imported history, or a dossier an administrator entered late with its own, earlier reception
    time (`received_at` given, `historical: false`): the only ones whose later facts may be dated."""
    if dossier["historical"]:
        return True
    received_at = dossier["received_at"]
    return received_at is not None and received_at < dossier["created_at"] - FUTURE_TOLERANCE


def _bad_moment(code: str, reason: str) -> Invalid:
    return Invalid(reason, code=code, invalid_params=[{"name": "occurred_at", "code": code, "reason": reason}])


@dataclass
class Step:
    """A desk action about to change a dossier: the locked dossier, the change, when and by whom."""

    dossier: dict
    transition: Transition
    at: datetime
    actor: str
    actor_name: str | None

    def event_data(self, **data) -> dict:
        """The StatusChange part of the event (code, when, who) with `data`."""
        return lifecycle.change_data(self.dossier, self.at, self.actor, **data)

    def apply(self, session: Session, outbox, **changes) -> dict:
        return lifecycle.change(session, outbox, self.dossier, self.transition, at=self.at, actor=self.actor,
                                actor_name=self.actor_name, **changes)


def prepare(session: Session, principal: Principal, code: str, transition: str, *, occurred_at: datetime | None,
            may_act: Callable[[dict], bool] | None = None) -> Step:
    """Checks 1 to 3 above; `may_act` defaults to "works at the desk that received the dossier"."""
    dossier = locked(session, code, may_act or (lambda d: can_act_at_desk(principal, d)))
    change = TRANSITIONS[transition]
    ensure_allowed(change, dossier)
    actor, actor_name = actor_of(principal)
    return Step(dossier, change, moment(principal, occurred_at, dossier), actor, actor_name)
