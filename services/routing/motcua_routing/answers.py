"""The two ends of the step contract as this service sees them: a step arriving in the local work
inbox, and an answer arriving on this deployment's reply key (docs/contracts.md §4.1).

Who may answer. An answer counts only for a step that was dispatched to the province's plug-in (left
on routing.steps because its unit is outside ROUTING_LOCAL_UNITS) and only when it arrives on the
queue the step was dispatched through (the answers queue), as recorded on the step when it was
published (dispatch.py). A step held locally is answered by its officers through the API: an answer
to it on the queue, from a province that can write routing.step-results and may well see every step,
is refused, as is an answer arriving on any other queue. Refused answers are dead-lettered with the
reason (PermanentError) and change nothing; so is an answer to a step that is no longer open.

An officer's completion is applied at once, in the officer's own transaction (work.py), and then
published like any handler's answer; when it comes back here, its id is the one recorded on the step
and it is acknowledged as routing's own echo, changing nothing.

Times in an answer. `completed_at` is the moment the step ended:
- before the dossier was received: impossible for a true answer and no honest value can replace
  it, so the answer is dead-lettered with the reason (PermanentError) and the step stays open,
  visible to the deadline sweep, for a person to look at;
- later than its arrival here: the handler's clock runs ahead of ours; the step certainly ended by
  the time its answer arrived, so the arrival time is taken (and the skew logged);
- before the step was assigned (but after the receipt): a step cannot end before it began; the
  assignment time is taken, which keeps every later step after its predecessor.

An answer to a step handed over to a successor agency on 01/07/2025 (transition.py) is refused and
dead-lettered with the successor's step named: the old agency no longer exists to decide.
"""
from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from motcua_shared.messaging import PermanentError

from . import clock, dispatch, routes, transition
from .locality import is_local
from .models import STEP_OPEN

log = logging.getLogger("motcua.routing")


def refusal(step: dict, *, queue: str | None) -> str | None:
    """Why an answer arriving on `queue` may not touch `step` (None when it may): the step must have been
    dispatched to the province's plug-in, and the answer must come through the queue it was dispatched
    through."""
    where = f"step {step['step_id']} of {step['dossier_code']}"
    if step["answer_queue"] is None:
        if step["local_at"] is not None:
            return (f"answer for {where} refused: the step is held locally by {step['agency_name']} "
                    f"(ROUTING_LOCAL_UNITS) and is answered by its officers through the API, not on a queue")
        return f"answer for {where} refused: the step was never dispatched to the province's plug-in"
    if queue != step["answer_queue"]:
        return (f"answer for {where} refused: it arrived on {queue or 'no queue'}, but the step was dispatched "
                f"to the province's plug-in with its answers on {step['answer_queue']}")
    return None


def on_step_completed(session: Session, runtime, data: dict, *, event_id: str, queue: str | None) -> None:
    """An answer to a step, the event `event_id` delivered on `queue`."""
    found = routes.lock_step(session, data["step_id"])  # the route and the step, read under the route's lock
    if found is None:
        raise PermanentError(f"answer for unknown step {data['step_id']} (dossier {data['dossier_code']})")
    route, step = found
    if step["dossier_code"] != data["dossier_code"]:
        raise PermanentError(f"answer for step {step['step_id']} names dossier {data['dossier_code']}, "
                             f"but the step belongs to {step['dossier_code']}")
    if event_id == step["answer_event_id"]:
        # The answer that closed the step, seen again: routing's own echo of an officer's completion,
        # or the plug-in's answer delivered once more. Nothing to do, and nothing to refuse.
        log.debug("step_answer_ignored", extra={"step_id": step["step_id"], "dossier_code": step["dossier_code"],
                                                "reason": "the answer that closed the step"})
        return
    reason = refusal(step, queue=queue)
    if reason is not None:
        raise PermanentError(reason)
    if step["status"] == transition.HANDED_OVER:
        # Refused, not taken as the successor's: after 01/07/2025 the old agency no longer exists and
        # the successor decides under its own name (transition.py). The reason goes to the dead letters.
        successor = transition.successor_step(session, step)
        raise PermanentError(f"answer for step {step['step_id']} of {step['dossier_code']} refused: the step was "
                             f"handed over on 01/07/2025 from {step['agency_name']} to "
                             f"{successor['agency_name']} (step {successor['step_id']}), which answers it")
    if step["status"] not in STEP_OPEN:
        # docs/contracts.md §4.1: only an answer to a step still open is accepted. A second answer under a new
        # id (the same outcome again, or another), or one overtaken by events (the step cancelled by a
        # withdrawal or a stop), changes nothing and is dead-lettered with the reason, where an operator
        # and the province can see it. (The same answer redelivered never gets here: the inbox drops it.)
        raise PermanentError(f"answer for step {step['step_id']} of {step['dossier_code']} refused: the step is "
                             f"no longer open ({step['status']})")
    arrived_at = clock.now(runtime.settings)
    completed_at = data["completed_at"]
    if completed_at < route["received_at"]:
        raise PermanentError(f"answer for step {step['step_id']}: completed_at {completed_at.isoformat()} is before "
                             f"the dossier was received ({route['received_at'].isoformat()})")
    if completed_at > arrived_at:
        log.warning("step_completed_at_in_future", extra={
            "step_id": step["step_id"], "skew_s": round((completed_at - arrived_at).total_seconds(), 3)})
        completed_at = arrived_at
    completed_at = max(completed_at, step["assigned_at"])
    routes.complete_step(session, runtime, route, step, outcome=data["outcome"], completed_at=completed_at,
                         handled_by=data["handled_by"], note=data.get("note"), answered_at=arrived_at,
                         answer_event_id=event_id)


def on_step_assigned_locally(session: Session, runtime, data: dict) -> None:
    """A step reached the local queue: it enters the work inbox of its unit and agency."""
    found = routes.lock_step(session, data["step_id"])  # one round trip, under the route's lock
    if found is None:
        raise PermanentError(f"local step {data['step_id']} is not one of this service's steps")
    route, step = found
    if step["status"] not in STEP_OPEN or step["local_at"] is not None:
        return
    if not is_local(step["unit_path"], runtime.settings.routing_local_units):
        # Delivered by a binding the current ROUTING_LOCAL_UNITS no longer has (removed at start by
        # bindings.py, but steps routed before that are already here): hand it to its external handler.
        log.warning("step_not_local_redispatched", extra={"step_id": step["step_id"], "unit_path": step["unit_path"]})
        dispatch.publish_assigned(session, runtime, route, step, note=data.get("note"))
        return
    # Arrived here, it is the officers' to answer through the API: no answer on a queue counts for it (a step
    # recorded for the plug-in before its arrival, e.g. while the upgrade that added the record ran).
    routes.update_step(session, step["id"], {"local_at": clock.now(runtime.settings), "answer_queue": None})
