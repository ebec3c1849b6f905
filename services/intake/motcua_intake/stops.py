"""The competent agency stops processing a dossier (dừng xử lý, DVCQG 8), with its reason.

Why an agency stops (Decree 61 practice; the notice is item 5 of the forms of Circular 03/2025): the
case turns out not to be within its competence, the citizen did not supplement as asked, a court is
already dealing with the matter, or the case does not qualify. The reason is required: it is what the
citizen reads on the notice of the stop (Thông báo dừng giải quyết hồ sơ), which is the result handed
back in place of a decision. Any clock pause ends with the stop (nothing is waited for any more), the
routing service calls off the open steps (as for a withdrawal), notification tells the citizen, and
reporting counts the dossier as ended (docs/lifecycle.md says how).

The step-results contract pins its outcomes (`approved`, `rejected`, `supplement_required`), so a stop
is recorded here, by the desk for the agency or by the agency's own officer (scope.can_act_for_agency),
never guessed from a step's answer.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from motcua_shared.events.catalogue.stop import GROUND_LABELS
from motcua_shared.web.auth import Principal

from . import actions
from .desk import Desk
from .scope import can_act_for_agency


def stop(session: Session, desk: Desk, principal: Principal, code: str, *, ground: str, reason: str,
         occurred_at: datetime | None) -> dict:
    step = actions.prepare(session, principal, code, "stop", occurred_at=occurred_at,
                           may_act=lambda dossier: can_act_for_agency(principal, dossier))
    unit = step.dossier["competent_unit"]  # the agency whose decision it is, whoever records it
    return step.apply(session, desk.outbox, note=reason, unit=unit,
                      changes={"stop_ground": ground, "stop_reason": reason, "stopped_at": step.at,
                               "paused_from": None},
                      details={"ground": ground, "ground_label": GROUND_LABELS[ground]},
                      event_data=step.event_data(ground=ground, reason=reason, unit=unit))
