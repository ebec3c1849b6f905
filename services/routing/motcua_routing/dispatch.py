"""Steps on the wire (docs/contracts.md §4.1): `routing.step.assigned` and `routing.step.cancelled` on the
exchange `routing.steps` with routing key `step.<unit path>`, and the answer a local officer gives,
`routing.step.completed` on `routing.step-results` with the step's `reply_to`: the same messages a
province's own routing service reads and writes. All of them through the outbox, in the transaction
of the change they announce.

Dispatching a step records on it who may answer (answers.py): a step of a unit outside
ROUTING_LOCAL_UNITS is left on the exchange for the province's plug-in, whose answers are accepted on
the answers queue only; a local one is answered by its officers through the API, never on a queue.
The broker routes by the same patterns (locality.py), so the record says where the step went.
"""
from __future__ import annotations

from motcua_shared.broker.catalogue import ROUTING_STEP_RESULTS, ROUTING_STEPS
from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.route import STEP_ASSIGNED, STEP_CANCELLED, STEP_COMPLETED
from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from . import reference
from .locality import ANSWERS_QUEUE, is_local, step_routing_key
from .models import route_steps

SOURCE = "/motcua/routing"

# Built once, values given at execution (a statement built per call costs SQLAlchemy a new cache key each time).
_SET_ANSWER_QUEUE = (update(route_steps).where(route_steps.c.id == bindparam("row_id"))
                     .values(answer_queue=bindparam("answer_queue")))


def step_assigned_data(route, step, *, reply_to: str, note: str | None) -> dict:
    procedure = reference.catalogue().get(route["procedure_code"])
    return {
        "step_id": step["step_id"], "dossier_code": route["dossier_code"], "procedure_code": procedure.code,
        "procedure_name": procedure.name, "unit": step["unit"], "unit_path": step["unit_path"],
        "level": step["level"], "agency": step["agency_id"], "agency_name": step["agency_name"],
        "action": step["action"], "sequence": step["sequence"], "attempt": step["attempt"],
        "assigned_at": isoformat(step["assigned_at"]), "due_at": isoformat(step["due_at"]),
        "dossier_due_at": isoformat(route["due_at"]), "receiving_unit": route["receiving_unit"],
        "reply_to": reply_to, "documents": [], "note": note,
    }


def answer_queue(runtime, step) -> str | None:
    """The queue on which an answer to `step`, dispatched now, is accepted: None for a local step."""
    return None if is_local(step["unit_path"], runtime.settings.routing_local_units) else ANSWERS_QUEUE


def publish_assigned(session: Session, runtime, route, step, *, note: str | None = None) -> None:
    """Announce `step` and record on its row who may answer it."""
    announce_assigned(session, runtime, route, step, note=note)
    session.execute(_SET_ANSWER_QUEUE, {"row_id": step["id"], "answer_queue": answer_queue(runtime, step)})


def announce_assigned(session: Session, runtime, route, step, *, note: str | None = None) -> None:
    """publish_assigned for a step whose row the caller wrote with its answer_queue already
    (routes.assign_position): the event only, no UPDATE."""
    data = step_assigned_data(route, step, reply_to=runtime.settings.routing_reply_to, note=note)
    runtime.outbox.add(session, new_event(STEP_ASSIGNED, source=SOURCE, subject=route["dossier_code"], data=data),
                       exchange=ROUTING_STEPS, routing_key=step_routing_key(step["unit_path"]))


def publish_assigned_all(session: Session, runtime, assignments: list[tuple[dict, dict]]) -> None:
    """publish_assigned for many (route, step) at once, in one multi-row INSERT into the outbox: the open
    steps of a part of a bulk import. Their rows are marked in one UPDATE (the local ones keep NULL)."""
    runtime.outbox.add_all(session, [
        (new_event(STEP_ASSIGNED, source=SOURCE, subject=route["dossier_code"], data=step_assigned_data(
            route, step, reply_to=runtime.settings.routing_reply_to, note=None)),
         ROUTING_STEPS, step_routing_key(step["unit_path"])) for route, step in assignments])
    to_plugin = [step["step_id"] for _, step in assignments if answer_queue(runtime, step) is not None]
    if to_plugin:
        session.execute(update(route_steps).where(route_steps.c.step_id.in_(to_plugin))
                        .values(answer_queue=ANSWERS_QUEUE))


def publish_cancelled(session: Session, runtime, route, step, *, cancelled_at, reason: str | None) -> None:
    data = {"step_id": step["step_id"], "dossier_code": route["dossier_code"], "unit": step["unit"],
            "unit_path": step["unit_path"], "cancelled_at": isoformat(cancelled_at), "reason": reason}
    runtime.outbox.add(session, new_event(STEP_CANCELLED, source=SOURCE, subject=route["dossier_code"], data=data),
                       exchange=ROUTING_STEPS, routing_key=step_routing_key(step["unit_path"]))


def local_answer(route, step, *, outcome: str, completed_at, handled_by: str, note: str | None):
    """What an external handler would send: the step's answer. Its id is to be kept on the step (the
    caller writes it with the completion, routes.complete_step): when it comes back on the answers queue
    it is known as routing's own echo, not an outsider's answer to a local step."""
    data = {"step_id": step["step_id"], "dossier_code": route["dossier_code"], "outcome": outcome,
            "completed_at": isoformat(completed_at), "handled_by": handled_by, "note": note}
    return new_event(STEP_COMPLETED, source=SOURCE, subject=route["dossier_code"], data=data)


def publish_local_answer(session: Session, runtime, event) -> None:
    """The local_answer `event`, to this deployment's reply key."""
    runtime.outbox.add(session, event, exchange=ROUTING_STEP_RESULTS, routing_key=runtime.settings.routing_reply_to)
