"""Events routing acts on. Each handler runs inside the consumer's transaction, after the inbox
check, so it is called at most once per event id on each queue; the route's state machine makes a
repeated or late event (a new id for the same fact) change nothing either.

Of intake's dossier events only seven concern a route: received (plan and start it), payment
requested (the sweep waits), supplement received and paid (the clock runs again), rescheduled (a
declared day off moved the appointment: the open steps move too), withdrawn and stopped by the agency
(stop it). The queue receives every dossier event;
the others are acknowledged and ignored. Intake's calendar changes keep routing's copy of the
province's days off and working days, which every deadline is computed with. A part of a bulk
import of past dossiers records their routes as they happened (imported.py).
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session

from motcua_shared.events import Event
from motcua_shared.messaging import current_queue
from motcua_shared.events.catalogue.calendar import CALENDAR_CHANGED
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED, DOSSIER_SUPPLEMENT_RECEIVED, DOSSIER_WITHDRAWN
from motcua_shared.events.catalogue.history import HISTORY_IMPORTED
from motcua_shared.events.catalogue.reference import REFERENCE_CHANGED
from motcua_shared.events.catalogue.reschedule import DOSSIER_RESCHEDULED
from motcua_shared.reference.store import announcement_handler
from motcua_shared.events.catalogue.payment import DOSSIER_PAID, DOSSIER_PAYMENT_REQUESTED
from motcua_shared.events.catalogue.stop import DOSSIER_STOPPED
from motcua_shared.events.catalogue.route import STEP_ASSIGNED, STEP_COMPLETED

from . import answers, imported, payments, reference, rescheduling, routes
from .models import reference_sets


def handlers(runtime) -> dict[str, Callable[[Session, Event], None]]:
    def taking(act: Callable) -> Callable[[Session, Event], None]:
        # The data as the consumer's parse loaded it when it validated the event (datetimes instead of
        # strings), not loaded a second time.
        return lambda session, event: act(session, runtime, event.loaded_data)

    return {
        DOSSIER_RECEIVED: taking(routes.start_route),
        DOSSIER_SUPPLEMENT_RECEIVED: taking(routes.resume_after_supplement),
        DOSSIER_WITHDRAWN: taking(routes.stop),
        # The competent agency stopped processing (issue 14): the open steps are called off as for a withdrawal.
        DOSSIER_STOPPED: taking(routes.stop),
        # A payment recorded: the route's due times move by the wait (payments.py).
        DOSSIER_PAYMENT_REQUESTED: taking(payments.pause_for_payment),
        DOSSIER_PAID: taking(payments.resume_after_payment),
        STEP_ASSIGNED: taking(answers.on_step_assigned_locally),  # from the local step queue only
        # Accepted only from the queue the step was dispatched through (answers.py): the handler is told the
        # answer's id and the queue it was delivered on.
        STEP_COMPLETED: lambda session, event: answers.on_step_completed(
            session, runtime, event.loaded_data, event_id=event.id, queue=current_queue()),
        CALENDAR_CHANGED: taking(reference.apply_calendar_change),  # the province's days off, for deadlines
        # A declared day off moved the appointment (issue 14): the route and its open steps follow.
        DOSSIER_RESCHEDULED: taking(rescheduling.on_rescheduled),
        # The consumer validated the whole part; imported.py loads each dossier's events and steps once
        # (loading the part again would read every inner event twice more: hundreds per part).
        HISTORY_IMPORTED: lambda session, event: imported.record_part(session, runtime, event.data),
        # The reference set in use (docs/reference-data.md): stored, then used for routes planned after it.
        REFERENCE_CHANGED: announcement_handler(reference_sets),
    }
