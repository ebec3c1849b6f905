"""ROUTING_LOCAL_UNITS decides, through the broker's bindings, which steps stay here: and a district
that first handled everything (`#`) and then plugs in its province's routing stops receiving the
province's steps, although the old binding outlived the process that made it."""
from __future__ import annotations

import pika
import pytest

from motcua_routing.locality import LOCAL_STEPS_QUEUE

from routing.support import local, receive, received, start_routing, steps, steps_queue, take, wait_local
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(90)


def queue_depth(amqp_url: str, queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        return connection.channel().queue_declare(queue, passive=True).method.message_count
    finally:
        connection.close()


def test_a_district_plugging_in_its_province_stops_receiving_the_province_steps(system):
    start_routing(system)  # ROUTING_LOCAL_UNITS unset: every step is local
    wait_for(lambda: [r["pattern"] for r in system.rows("routing", "local_bindings")] == ["#"],
             what="the binding to be recorded")
    system.processes.stop_all()

    steps_queue(system.amqp_url, "test.province", "step.14")  # the province's handler, not answering
    start_routing(system, "routing-worker-2", ROUTING_LOCAL_UNITS="14.126,14.126.*")
    wait_for(lambda: sorted(r["pattern"] for r in system.rows("routing", "local_bindings")) == ["14.126", "14.126.*"],
             what="the stale binding to be removed")
    province, commune = "H52.04222-190315-0301", "H52.04222-190315-0302"
    receive(system, received(province, "2.001583", local("2019-03-15T08:30")),
            received(commune, "1.004873", local("2019-03-15T08:30")))
    # The commune's step (published after the province's by the same relay) reached the local inbox;
    # by then the province's had been routed: to the province only.
    wait_local(system, commune)
    [(_, step)] = wait_for(lambda: take(system.amqp_url, "test.province"), what="the province's step")
    assert step["data"]["dossier_code"] == province and step["data"]["unit_path"] == "14"
    assert steps(system, province)[0]["local_at"] is None
    assert queue_depth(system.amqp_url, LOCAL_STEPS_QUEUE) == 0
    log = system.processes.log("routing-worker-2")
    assert '"local_binding_removed"' in log and '"step_not_local_redispatched"' not in log
