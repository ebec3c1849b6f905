"""Poison and malformed messages: bounded retries, then the dead-letter queue with the reason,
while the events behind them keep flowing."""
from __future__ import annotations

import json
import threading

import pika

from motcua_shared.broker.topology import dead_letter_queue
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
from motcua_shared.messaging import ConsumerRunner
from motcua_shared.messaging.consumer import PermanentError

from motcua_testing.pipeline import enqueue
from motcua_testing.system import RETRY_DELAYS
from motcua_testing.waiting import wait_for


def take_dead_letters(amqp_url: str, queue: str) -> list[tuple[pika.BasicProperties, bytes]]:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        taken = []
        while True:
            method, props, body = channel.basic_get(dead_letter_queue(queue), auto_ack=True)
            if method is None:
                return taken
            taken.append((props, body))
    finally:
        connection.close()


def run_consumer(system, handler) -> tuple[ConsumerRunner, threading.Thread]:
    rt = system.runtime("reporting")
    runner = ConsumerRunner(consumer="reporting", service="reporting", amqp_url=system.amqp_url,
                            sessions=rt.sessions, inbox=rt.spec.inbox_table, queues=rt.queues,
                            handlers={DOSSIER_RECEIVED: handler}, topology=rt.topology,
                            retry_delays=RETRY_DELAYS, prefetch=20, max_backoff=1)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    return runner, thread


def test_poison_event_is_retried_then_dead_lettered_and_the_rest_flows(system):
    handled, attempts = [], []

    def handler(session, event):
        if event.data["code"].endswith("P000"):
            attempts.append(event.id)
            raise RuntimeError("cannot handle this dossier")
        handled.append(event.data["code"])

    system.start_workers("intake")  # its relay publishes what we put in its outbox
    runner, thread = run_consumer(system, handler)
    try:
        poison, *rest = enqueue(system, ["H52.04222-190315-P000"] + [f"H52.04222-190315-N{i:03d}" for i in range(30)])
        wait_for(lambda: len(handled) == 30, what="the events behind the poison")
        dead = wait_for(lambda: take_dead_letters(system.amqp_url, "reporting.inbox"), what="the poison in the DLQ")
    finally:
        runner.stop()
        thread.join(timeout=10)
    assert len(dead) == 1
    props, body = dead[0]
    assert props.message_id == poison.id
    assert props.headers["x-motcua-attempts"] == len(RETRY_DELAYS)
    assert props.headers["x-motcua-reason"].startswith("RuntimeError: cannot handle this dossier")
    assert props.headers["x-motcua-original-routing-key"] == DOSSIER_RECEIVED
    assert attempts == [poison.id] * (1 + len(RETRY_DELAYS))  # first try + each bounded retry
    assert system.count("reporting", "inbox") == 30  # the failed attempts were rolled back with the handler


def test_permanent_error_is_dead_lettered_at_once(system):
    def handler(session, event):
        raise PermanentError("step S-42 does not exist")

    system.start_workers("intake")
    runner, thread = run_consumer(system, handler)
    try:
        enqueue(system, ["H52.04222-190315-Q000"])
        dead = wait_for(lambda: take_dead_letters(system.amqp_url, "reporting.inbox"), what="a dead letter")
    finally:
        runner.stop()
        thread.join(timeout=10)
    assert dead[0][0].headers["x-motcua-attempts"] == 0
    assert dead[0][0].headers["x-motcua-error-type"] == "PermanentError"
    assert "S-42" in dead[0][0].headers["x-motcua-reason"]


def test_malformed_and_hostile_messages_go_to_the_dlq_with_the_reason_and_the_worker_goes_on(system):
    """Bodies a broken or hostile publisher writes: each is dead-lettered with its reason, unread by any
    handler, and the event behind them is still handled. The deep, long-number, NaN and NUL bodies
    used to raise RecursionError or ValueError in the parser (or fail at the database), which killed
    the worker and had the message redelivered again and again."""
    from motcua_shared.events import new_event, registry

    system.start_workers("routing")
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    good = new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=dict(registry.get(DOSSIER_RECEIVED).example))
    envelope = good.to_dict()
    bad = {
        "not-json": b"\xff\xfe not json",
        "no-envelope": b'{"hello": "world"}',
        "bad-data": b'{"specversion":"1.0","id":"6f1c1d3e-8a0e-4a43-9c1e-0d6f6c2b7a10","source":"/x",'
                    b'"type":"vn.motcua.dossier.received","time":"2019-03-15T08:30:00+07:00","subject":null,'
                    b'"datacontenttype":"application/json","data":{"code":1},"correlationid":"c-123456"}',
        "deep": b"[" * 200_000 + b"]" * 200_000,
        "long-number": json.dumps({**envelope, "data": "X"}).replace('"X"', "9" * 5_000).encode(),
        "nan": json.dumps({**envelope, "data": {**envelope["data"], "fee_vnd": float("nan")}}).encode(),
        "nul": json.dumps({**envelope, "data": {**envelope["data"], "applicant": {
            **envelope["data"]["applicant"], "full_name": "A\u0000"}}}).encode(),
    }
    for name, body in bad.items():
        channel.basic_publish("intake.events", DOSSIER_RECEIVED, body,
                              pika.BasicProperties(message_id=name, delivery_mode=2))
    channel.basic_publish("intake.events", DOSSIER_RECEIVED, good.to_json(),
                          pika.BasicProperties(message_id=good.id, delivery_mode=2))
    connection.close()
    dead: list = []  # taking a dead letter removes it: gather them as they arrive
    wait_for(lambda: dead.extend(take_dead_letters(system.amqp_url, "routing.inbox")) or len(dead) >= len(bad),
             what="the dead letters")
    reasons = {props.message_id: props.headers["x-motcua-reason"] for props, _ in dead}
    assert reasons == {
        "not-json": "body refused: not_utf8",
        "no-envelope": reasons["no-envelope"], "bad-data": reasons["bad-data"],
        "deep": "body refused: json_too_deep",
        "long-number": "body refused: number_too_long",
        "nan": "body refused: malformed_json",
        "nul": "body refused: invalid_character",
    }
    assert reasons["no-envelope"].startswith("envelope invalid")
    assert reasons["bad-data"].startswith(f"data of {DOSSIER_RECEIVED} invalid")
    wait_for(lambda: system.count("routing", "dossier_routes") == 1, what="the good event behind the poison")


def test_a_partner_queue_takes_small_messages_only(system):
    """postal.partner is writable by the postal partner: a body over 256 KiB is dead-lettered unread,
    and a CloudEvents extension its SDK adds (trace context) does not stop a report at the envelope."""
    from motcua_shared.events import new_event, registry
    from motcua_shared.events.catalogue.shipment import STATUS_REPORTED

    system.start_workers("postal")
    report = new_event(STATUS_REPORTED, source="/vnpost",
                       data=dict(registry.get(STATUS_REPORTED).example)).to_dict()
    padded = {**report, "id": "7d3b9c1e-0000-4000-8000-000000000001",
              "data": {**report["data"], "note": "x" * 300_000}}
    traced = {**report, "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    for body in (padded, traced):
        channel.basic_publish("postal.partner", "status", json.dumps(body).encode(),
                              pika.BasicProperties(message_id=body["id"], delivery_mode=2))
    connection.close()
    dead: list = []
    wait_for(lambda: dead.extend(take_dead_letters(system.amqp_url, "postal.partner-reports")) or len(dead) >= 2,
             what="both reports")
    reasons = {props.message_id: props.headers["x-motcua-reason"] for props, _ in dead}
    assert reasons[padded["id"]] == "body refused: too_large"
    # The traced report passed the envelope and reached the handler, which knows no such shipment here.
    assert reasons[traced["id"]] == f"unknown shipment_id {report['data']['shipment_id']!r}"


def test_an_operator_can_list_and_replay_dead_letters_once_the_cause_is_fixed(system):
    from motcua_shared.broker import dlq

    broken = {"yes": True}
    handled = []

    def handler(session, event):
        if broken["yes"]:
            raise PermanentError("reference data missing for this procedure")
        handled.append(event.id)

    system.start_workers("intake")
    runner, thread = run_consumer(system, handler)
    try:
        events = enqueue(system, [f"H52.04222-190315-D{i:03d}" for i in range(3)])
        letters = wait_for(lambda: (lambda d: d if len(d) == 3 else None)(dlq.inspect(system.amqp_url, "reporting.inbox")),
                           what="three dead letters")
        assert {letter.event_id for letter in letters} == {e.id for e in events}
        assert all("reference data missing" in letter.reason for letter in letters)
        broken["yes"] = False  # the operator fixed the cause
        assert dlq.replay(system.amqp_url, "reporting.inbox") == 3
        wait_for(lambda: sorted(handled) == sorted(e.id for e in events), what="the replayed events to be handled")
        assert dlq.inspect(system.amqp_url, "reporting.inbox") == []
    finally:
        runner.stop()
        thread.join(timeout=10)


def test_a_partner_cannot_forge_another_services_event_on_its_queue(system):
    """postal.partner-reports accepts only the partner's status reports: a dossier event written to
    postal.partner (which the partner may write to) is dead-lettered unread, never acted on."""
    from motcua_shared.events import new_event, registry
    from motcua_shared.events.catalogue.dossier import DOSSIER_WITHDRAWN

    system.start_workers("postal")
    forged = new_event(DOSSIER_WITHDRAWN, source="/motcua/intake", data=dict(registry.get(DOSSIER_WITHDRAWN).example))
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    channel.basic_publish("postal.partner", "status", forged.to_json(),
                          pika.BasicProperties(message_id=forged.id, delivery_mode=2))
    connection.close()
    dead = wait_for(lambda: take_dead_letters(system.amqp_url, "postal.partner-reports"), what="the forged event")
    assert dead[0][0].headers["x-motcua-error-type"] == "UnexpectedEventType"
    assert system.count("postal", "inbox") == 0
