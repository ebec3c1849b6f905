"""The reference province handler (examples/province_routing) on its own: logged in as
`province_routing`, it answers each step once, whatever the broker redelivers, never answers a
cancelled step, and dead-letters what is not a step. Its answers pass the contract's validation."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pika
import pytest
from pika.exceptions import UnroutableError

from motcua_shared.broker.catalogue import ROUTING_STEP_RESULTS, ROUTING_STEPS
from motcua_shared.events import new_event, parse, registry
from motcua_shared.events.catalogue.route import STEP_ASSIGNED, STEP_CANCELLED

from routing.support import REPLY_TO, publish, start_province, stop_process
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(90)
ANSWERS = "test.answers"


class District:
    """The district's side of the plug-in as the province sees it: its two exchanges and a reply key."""

    def __init__(self, broker, vhost, tmp_path):
        self.broker, self.vhost, self.var_dir = broker, vhost, tmp_path
        self.amqp_url = broker.url_for(vhost)
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_url))
        channel = connection.channel()
        channel.exchange_declare(ROUTING_STEPS, "topic", durable=True)
        channel.exchange_declare(ROUTING_STEP_RESULTS, "topic", durable=True)
        channel.queue_declare(ANSWERS, durable=True)
        channel.queue_bind(ANSWERS, ROUTING_STEP_RESULTS, routing_key=REPLY_TO)
        connection.close()

    def raw(self, queue: str) -> list[bytes]:
        connection = pika.BlockingConnection(pika.URLParameters(self.amqp_url))
        try:
            channel, bodies = connection.channel(), []
            while (message := channel.basic_get(queue, auto_ack=True))[0] is not None:
                bodies.append(message[2])
            return bodies
        finally:
            connection.close()


def step(step_id: str, unit_path: str = "14"):
    now = datetime.now(timezone.utc)
    data = {**registry.get(STEP_ASSIGNED).example, "step_id": step_id, "unit_path": unit_path,
            "unit": unit_path.rsplit(".", 1)[-1], "reply_to": REPLY_TO, "assigned_at": now.isoformat(),
            "due_at": (now + timedelta(days=2)).isoformat()}
    return new_event(STEP_ASSIGNED, source="/motcua/routing", subject=data["dossier_code"], data=data)


def test_the_reference_province_handler_answers_each_step_once(broker, vhost, tmp_path):
    district = District(broker, vhost, tmp_path)
    province = start_province(district)
    try:
        first = step("S-p1")
        publish(district.amqp_url, ROUTING_STEPS, "step.14", first, first, step("S-p1"))  # redelivered, re-sent
        with pytest.raises(UnroutableError):  # the province binds its own units' keys, not the district's
            publish(district.amqp_url, ROUTING_STEPS, "step.14.126.04222", step("S-district", "14.126.04222"))
        cancelled = new_event(STEP_CANCELLED, source="/motcua/routing", subject="H52.04222-190315-0001",
                              data={**registry.get(STEP_CANCELLED).example, "step_id": "S-p2"})
        publish(district.amqp_url, ROUTING_STEPS, "step.14", cancelled, step("S-p2"))  # called off first
        connection = pika.BlockingConnection(pika.URLParameters(district.amqp_url))
        connection.channel().basic_publish(ROUTING_STEPS, "step.14", b"not a step")
        connection.close()
        publish(district.amqp_url, ROUTING_STEPS, "step.14", step("S-p3"))

        got: list[dict] = []
        wait_for(lambda: got.extend(json.loads(b) for b in district.raw(ANSWERS)) or any(
            a["data"]["step_id"] == "S-p3" for a in got), what="the last step's answer")
        assert sorted(a["data"]["step_id"] for a in got) == ["S-p1", "S-p3"]
        for body in got:
            answer = parse(json.dumps(body).encode())  # the contract's own validation
            assert answer.type == "vn.motcua.routing.step.completed" and answer.data["outcome"] == "approved"
            assert answer.data["handled_by"] == "Sở Tư pháp tỉnh Sơn La"
        assert district.raw("province-routing.steps.dlq") == [b"not a step"]
    finally:
        assert stop_process(province) == 0
