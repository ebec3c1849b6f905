"""Who may answer a step (docs/contracts.md §4.1, issue 15): only the province's plug-in, only for a step
dispatched to it, and only through the queue it was dispatched through. The province's broker user
can write routing.step-results and may bind routing.steps for every key, so it sees the steps a
commune officer holds locally too; its answer to one of them is dead-lettered with the reason and
changes nothing, while the echo of the officer's own completion passes quietly. An answer arriving
on any other queue than the answers queue is refused the same way.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from motcua_shared.broker.catalogue import ROUTING_STEP_RESULTS, ROUTING_STEPS
from motcua_shared.broker.permissions import PROVINCE_ROUTING_PERMISSION
from motcua_shared.broker.setup import create_users
from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.route import STEP_COMPLETED
from motcua_routing.answers import refusal
from motcua_routing.locality import ANSWERS_QUEUE, LOCAL_STEPS_QUEUE

from routing.support import (REPLY_TO, answer, clock_offset_to, dead_letters, local, officer, publish, receive,
                             received, route, start_routing, steps, steps_queue, take, wait_local)
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(120)
CODE = "H52.04222-190315-0001"
RECEIVED_AT = local("2019-03-15T08:30")


def two_hours_after_receipt() -> dict[str, str]:
    """The worker believes it is two hours after the receipt: no deadline is near, so the deadline sweep
    leaves the route alone and any change to it could only be an answer's doing."""
    return {"MOTCUA_CLOCK_OFFSET_SECONDS": clock_offset_to(RECEIVED_AT + timedelta(hours=2))}


def province_url(system) -> str:
    """The broker URL of the province's own user (its password is its name without PROVINCE_ROUTING_PASSWORD)."""
    create_users(system.broker.admin(), system.vhost, environ={}, permissions=[PROVINCE_ROUTING_PERMISSION])
    user = PROVINCE_ROUTING_PERMISSION.user
    return system.broker.url_for(system.vhost, user, user)


def province_answer(system, step_id: str, completed_at, outcome: str = "approved"):
    event = new_event(STEP_COMPLETED, source="/province/14/routing", subject=CODE, data={
        "step_id": step_id, "dossier_code": CODE, "outcome": outcome, "completed_at": isoformat(completed_at),
        "handled_by": "Sở Tư pháp tỉnh Sơn La", "note": None if outcome == "approved" else "Không đạt."})
    publish(province_url(system), ROUTING_STEP_RESULTS, REPLY_TO, event)
    return event


def state(system) -> tuple:
    return steps(system, CODE), route(system, CODE), system.count("routing", "outbox")


def answers_consumed(system) -> int:
    return sum(1 for row in system.rows("routing", "inbox") if row["queue"] == ANSWERS_QUEUE)


def test_a_province_answer_to_a_locally_held_step_is_dead_lettered_and_changes_nothing(system):
    start_routing(system, **two_hours_after_receipt())  # ROUTING_LOCAL_UNITS unset: every step is the officers'
    receive(system, received(CODE, "1.004873", RECEIVED_AT))
    step = wait_local(system, CODE)
    before = state(system)

    forged = province_answer(system, step["step_id"], RECEIVED_AT + timedelta(hours=1))
    rejected = province_answer(system, step["step_id"], RECEIVED_AT + timedelta(minutes=30), "rejected")
    dead: list = []
    wait_for(lambda: dead.extend(dead_letters(system.amqp_url, ANSWERS_QUEUE)) or len(dead) == 2,
             what="both answers in the answers queue's DLQ")
    reasons = {props.message_id: props.headers for props, _ in dead}
    assert set(reasons) == {forged.id, rejected.id}
    for headers in reasons.values():
        assert headers["x-motcua-error-type"] == "PermanentError" and headers["x-motcua-attempts"] == 0
        assert headers["x-motcua-reason"] == (
            f"answer for step {step['step_id']} of {CODE} refused: the step is held locally by "
            f"{step['agency_name']} (ROUTING_LOCAL_UNITS) and is answered by its officers through the API, "
            "not on a queue")
    assert state(system) == before  # the step still open, in the inbox, nothing published
    assert step["answer_queue"] is None  # recorded when dispatched: held locally, no queue may answer it
    assert answers_consumed(system) == 0  # refused answers leave no inbox row either

    # The officer completes it; the echo of that completion on the answers queue is routing's own.
    headers = officer(system, step["unit"], "leader" if step["action"] in ("approve", "sign") else "specialist")
    client = system.client("routing")
    assert client.post(f"/api/v1/steps/{step['step_id']}/claim", headers=headers).status_code == 200
    done = client.post(f"/api/v1/steps/{step['step_id']}/complete", headers=headers, json={"outcome": "approved"})
    assert done.status_code == 200, done.get_json()
    wait_for(lambda: answers_consumed(system) == 1, what="the echo of the officer's answer")
    closed = steps(system, CODE)[0]
    assert closed["status"] == "completed" and closed["answer_event_id"] is not None
    assert dead_letters(system.amqp_url, ANSWERS_QUEUE) == []  # the echo was not refused


def test_an_answer_arriving_on_another_queue_than_its_steps_is_dead_lettered(system):
    steps_queue(system.amqp_url, "test.external-handler", "step.#")
    # No unit is local: every step goes to the plug-in.
    start_routing(system, ROUTING_LOCAL_UNITS="99", **two_hours_after_receipt())
    receive(system, received(CODE, "1.004873", RECEIVED_AT))
    [(_, assigned)] = wait_for(lambda: take(system.amqp_url, "test.external-handler"), what="the first step")
    step_id = assigned["data"]["step_id"]
    before = state(system)

    # The answer delivered through routing.steps to the local step queue (bound with step.99 here).
    misrouted = new_event(STEP_COMPLETED, source="/province/14/routing", subject=CODE, data={
        "step_id": step_id, "dossier_code": CODE, "outcome": "approved",
        "completed_at": isoformat(RECEIVED_AT + timedelta(hours=1)), "handled_by": "Sở Tư pháp tỉnh Sơn La",
        "note": None})
    publish(system.amqp_url, ROUTING_STEPS, "step.99", misrouted)
    [(props, _)] = wait_for(lambda: dead_letters(system.amqp_url, LOCAL_STEPS_QUEUE), what="the misrouted answer")
    assert props.message_id == misrouted.id
    assert props.headers["x-motcua-error-type"] == "PermanentError"
    assert props.headers["x-motcua-reason"] == (
        f"answer for step {step_id} of {CODE} refused: it arrived on {LOCAL_STEPS_QUEUE}, but the step was "
        f"dispatched to the province's plug-in with its answers on {ANSWERS_QUEUE}")
    assert state(system) == before
    assert before[0][0]["answer_queue"] == ANSWERS_QUEUE  # recorded when dispatched to the plug-in

    # The same answer through the queue the step was dispatched through is taken.
    answer(system, step_id, CODE, completed_at=RECEIVED_AT + timedelta(hours=1))
    first = wait_for(lambda: (lambda s: s[0] if s[0]["status"] == "completed" else None)(steps(system, CODE)),
                     what="the step answered through the answers queue")
    assert first["completed_at"] == RECEIVED_AT + timedelta(hours=1) and first["answer_event_id"] != misrouted.id


def test_an_answer_to_a_step_never_dispatched_is_refused_and_one_to_a_plug_in_step_on_its_queue_is_not():
    """A planned step, or a closed one brought in from the old system, was never sent to anyone."""
    planned = {"step_id": "S-2", "dossier_code": CODE, "agency_name": "UBND xã Chiềng Khương", "answer_queue": None,
               "local_at": None}
    assert refusal(planned, queue=ANSWERS_QUEUE) == (
        f"answer for step S-2 of {CODE} refused: the step was never dispatched to the province's plug-in")
    plugin = {**planned, "answer_queue": ANSWERS_QUEUE}
    assert refusal(plugin, queue=ANSWERS_QUEUE) is None
    assert refusal(plugin, queue=None) == (  # a handler called outside any consumer
        f"answer for step S-2 of {CODE} refused: it arrived on no queue, but the step was dispatched to the "
        f"province's plug-in with its answers on {ANSWERS_QUEUE}")
