"""Answers from an external step handler (docs/contracts.md §4.1): duplicates and late, contradicting
answers change nothing; an answer the service cannot place is dead-lettered with its reason.

Here no unit is local (ROUTING_LOCAL_UNITS=99): the test itself plays the province's handler,
reading the steps from a queue of its own and answering on routing.step-results.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from motcua_shared.events.catalogue.route import ROUTE_COMPLETED, STEP_ASSIGNED
from motcua_routing.locality import ANSWERS_QUEUE

from routing.support import (answer, dead_letters, local, published, receive, received, route, start_routing, steps,
                             steps_queue, take, wait_route)
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(90)
CODE = "H52.04222-190315-0001"
RECEIVED_AT = local("2019-03-15T08:30")


def start(system):
    steps_queue(system.amqp_url, "test.external-handler", "step.#")
    start_routing(system, ROUTING_LOCAL_UNITS="99")
    receive(system, received(CODE, "1.004873", RECEIVED_AT))


def next_assignment(system) -> dict:
    [(_, step)] = wait_for(lambda: take(system.amqp_url, "test.external-handler"), what="a step on routing.steps")
    return step["data"]


def outbox_size(system) -> int:
    return system.count("routing", "outbox")


def test_duplicate_and_out_of_order_answers_change_nothing_and_new_ones_are_dead_lettered(system):
    start(system)
    first = next_assignment(system)
    assert first["sequence"] == 1 and first["reply_to"] == "result.motcua"
    approved = answer(system, first["step_id"], CODE, completed_at=RECEIVED_AT + timedelta(hours=2))
    second = next_assignment(system)
    assert second["sequence"] == 2
    settled = wait_for(lambda: (lambda s: s if s[0]["answered_at"] else None)(steps(system, CODE)), what="step 1")
    before = (settled, route(system, CODE), outbox_size(system))

    # The same event again, the same answer under a new id, and a late contradicting answer.
    answer(system, first["step_id"], CODE, completed_at=RECEIVED_AT + timedelta(hours=2), event_id=approved.id)
    again = answer(system, first["step_id"], CODE, completed_at=RECEIVED_AT + timedelta(hours=2))
    late = answer(system, first["step_id"], CODE, "rejected", note="Không đủ điều kiện.",
                  completed_at=RECEIVED_AT + timedelta(hours=1))
    # The repeat of an event id never reaches the handler (the inbox drops it); the other two answer a
    # step no longer open: dead-lettered with the reason (docs/contracts.md §4.1), changing nothing.
    dead: list = []
    wait_for(lambda: dead.extend(dead_letters(system.amqp_url, ANSWERS_QUEUE)) or len(dead) == 2,
             what="the two answers to a closed step")
    assert {props.message_id: props.headers["x-motcua-reason"] for props, _ in dead} == {
        answer_id: f"answer for step {first['step_id']} of {CODE} refused: the step is no longer open (completed)"
        for answer_id in (again.id, late.id)}
    assert (steps(system, CODE), route(system, CODE), outbox_size(system)) == before
    assert take(system.amqp_url, "test.external-handler") == []  # no step was dispatched again

    answer(system, second["step_id"], CODE, completed_at=RECEIVED_AT + timedelta(days=1))
    done = wait_route(system, CODE, "completed")
    assert done["outcome"] == "approved"
    assert len(published(system, STEP_ASSIGNED, CODE)) == 2
    assert len(published(system, ROUTE_COMPLETED, CODE)) == 1
    # An answer to a step of a finished route changes nothing either.
    after_route = answer(system, second["step_id"], CODE, "rejected", note="Trễ.",
                         completed_at=RECEIVED_AT + timedelta(days=2))
    dead = wait_for(lambda: dead_letters(system.amqp_url, ANSWERS_QUEUE), what="the late answer dead-lettered")
    assert [props.message_id for props, _ in dead] == [after_route.id]
    assert route(system, CODE) == done and len(published(system, ROUTE_COMPLETED, CODE)) == 1


def test_answers_out_of_bounds_are_dead_lettered_with_their_reason_or_taken_at_their_arrival(system):
    start(system)
    step = next_assignment(system)
    unknown = answer(system, "S-no-such-step", CODE, completed_at=RECEIVED_AT + timedelta(hours=1))
    before_receipt = answer(system, step["step_id"], CODE, completed_at=RECEIVED_AT - timedelta(minutes=5))
    dead: list = []
    wait_for(lambda: dead.extend(dead_letters(system.amqp_url, ANSWERS_QUEUE)) or len(dead) == 2,
             what="two dead letters")
    reasons = {props.message_id: props.headers for props, _ in dead}
    assert reasons[unknown.id]["x-motcua-error-type"] == "PermanentError"
    assert "unknown step S-no-such-step" in reasons[unknown.id]["x-motcua-reason"]
    assert reasons[unknown.id]["x-motcua-attempts"] == 0
    assert "before the dossier was received" in reasons[before_receipt.id]["x-motcua-reason"]
    log = system.processes.log("routing-worker")
    assert '"event_dead_lettered"' in log and "unknown step S-no-such-step" in log
    assert steps(system, CODE)[0]["status"] == "assigned"  # still open, still watched by the deadline sweep

    # A completion time ahead of the answer's arrival (the handler's clock runs fast) is the arrival.
    answer(system, step["step_id"], CODE, completed_at=local("2099-01-01T08:00"))
    first = wait_for(lambda: (lambda s: s[0] if s[0]["answered_at"] else None)(steps(system, CODE)), what="the answer")
    assert first["completed_at"] == first["answered_at"]
    assert steps(system, CODE)[1]["assigned_at"] == first["completed_at"]


def test_an_answer_written_with_the_cloudevents_sdk_is_taken(system):
    """A province writes its answers with the official CloudEvents SDK, which adds what CloudEvents
    allows (`dataschema`, trace context): the answer is taken like any other."""
    import uuid

    import pika
    from cloudevents.conversion import to_structured
    from cloudevents.http import CloudEvent

    from motcua_shared.broker.catalogue import ROUTING_STEP_RESULTS
    from motcua_shared.events.catalogue.route import STEP_COMPLETED
    from routing.support import REPLY_TO

    start(system)
    step = next_assignment(system)
    attributes = {"type": STEP_COMPLETED, "source": "/province/14/routing", "id": str(uuid.uuid4()),
                  "subject": CODE, "datacontenttype": "application/json", "correlationid": f"p-{uuid.uuid4()}",
                  "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                  "dataschema": "https://motcua.example/docs/events/schemas/vn.motcua.routing.step.completed.json"}
    data = {"step_id": step["step_id"], "dossier_code": CODE, "outcome": "approved",
            "completed_at": (RECEIVED_AT + timedelta(hours=3)).isoformat(), "handled_by": "Sở Tư pháp tỉnh Sơn La",
            "note": None}
    headers, body = to_structured(CloudEvent(attributes, data))
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(ROUTING_STEP_RESULTS, REPLY_TO, body, mandatory=True, properties=pika.BasicProperties(
            content_type=headers["content-type"], delivery_mode=2, message_id=attributes["id"]))
    finally:
        connection.close()
    settled = wait_for(lambda: (lambda s: s if s[0]["answered_at"] else None)(steps(system, CODE)), what="the answer")
    assert (settled[0]["status"], settled[0]["outcome"]) == ("completed", "approved")
    assert dead_letters(system.amqp_url, ANSWERS_QUEUE) == []
