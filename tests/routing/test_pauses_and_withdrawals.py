"""A supplement stops the clock and the step resumes with the time it had left; a withdrawal stops
the route and calls off its open steps on the step exchange, even when it overtakes the receipt."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from motcua_shared.events.catalogue.route import ROUTE_COMPLETED, ROUTE_SUPPLEMENT_REQUIRED, STEP_CANCELLED
from motcua_shared.workcal import WorkingCalendar

from motcua_routing.locality import ANSWERS_QUEUE

from routing.support import (answer, dead_letters, local, officer, published, receive, received, route, start_routing,
                             steps, steps_queue, supplement_received, take, wait_local, wait_route, withdraw)
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(120)


def test_a_supplement_pauses_the_clock_and_the_step_resumes_with_the_time_it_had_left(system):
    start_routing(system)
    code = "H52.04222-261127-0002"
    receive(system, received(code, "1.004873", datetime.now(timezone.utc) - timedelta(minutes=10)))
    asking = wait_local(system, code)
    client, headers = system.client("routing"), officer(system, "04222")
    assert client.post(f"/api/v1/steps/{asking['step_id']}/claim", headers=headers).status_code == 200
    done = client.post(f"/api/v1/steps/{asking['step_id']}/complete", headers=headers,
                       json={"outcome": "supplement_required", "note": "Thiếu bản sao Giấy khai sinh."})
    assert done.status_code == 200
    paused = wait_route(system, code, "awaiting_supplement")
    [requested] = published(system, ROUTE_SUPPLEMENT_REQUIRED, code)
    assert requested["data"]["note"] == "Thiếu bản sao Giấy khai sinh."
    paused_from = datetime.fromisoformat(requested["data"]["requested_at"])
    assert paused_from == paused["paused_at"]

    # Intake tells routing the supplement came in two days later, with the appointment it moved.
    calendar = WorkingCalendar()
    resumed_at = paused_from + timedelta(days=2)
    new_due = calendar.extend(paused["due_at"], paused_from, resumed_at)
    supplement_received(system, code, paused_from, resumed_at, new_due)
    resumed = wait_route(system, code, "in_progress")
    assert resumed["due_at"] == new_due and resumed["paused_at"] is None
    first, again = wait_for(lambda: (lambda s: s if len(s) == 3 and s[1]["local_at"] else None)(steps(system, code)),
                            what="the step given again")[:2]
    assert (again["sequence"], again["attempt"], again["status"]) == (1, 2, "assigned")
    assert again["assigned_at"] == resumed_at
    assert again["due_at"] == min(calendar.extend(first["due_at"], paused_from, resumed_at), new_due)

    # The same news again (a new event id) changes nothing.
    supplement_received(system, code, paused_from, resumed_at, new_due)
    # received, the step (local), its answer (the echo), the supplement, the step again, the repeat
    wait_for(lambda: system.count("routing", "inbox") == 6, what="the repeat to be consumed")
    assert len(steps(system, code)) == 3 and route(system, code) == resumed


def test_a_withdrawal_stops_the_route_and_calls_off_its_open_steps(system):
    steps_queue(system.amqp_url, "test.external-handler", "step.#")  # plays the province's handler
    start_routing(system, ROUTING_LOCAL_UNITS="99")
    code, early = "H52.04222-190315-0201", "H52.04222-190315-0202"
    receive(system, received(code, "1.004873", local("2019-03-15T08:30")))
    [(_, assigned)] = wait_for(lambda: take(system.amqp_url, "test.external-handler"), what="the step")
    withdraw(system, code, local("2019-03-16T09:00"))
    stopped = wait_route(system, code, "stopped")
    assert [s["status"] for s in steps(system, code)] == ["cancelled", "cancelled"]
    [(props, cancelled)] = wait_for(lambda: take(system.amqp_url, "test.external-handler"), what="the cancellation")
    assert cancelled["type"] == STEP_CANCELLED and cancelled["data"]["step_id"] == assigned["data"]["step_id"]
    [sent] = published(system, STEP_CANCELLED, code)
    assert (sent["exchange"], sent["routing_key"]) == ("routing.steps", "step.14.126.04222")
    # An answer that crosses the withdrawal changes nothing: the step is no longer open, so the answer
    # is dead-lettered with the reason (docs/contracts.md §4.1).
    late = answer(system, assigned["data"]["step_id"], code, completed_at=local("2019-03-16T10:00"))
    [(dead, _)] = wait_for(lambda: dead_letters(system.amqp_url, ANSWERS_QUEUE), what="the late answer dead-lettered")
    assert dead.message_id == late.id and dead.headers["x-motcua-reason"].endswith("is no longer open (cancelled)")
    assert route(system, code) == stopped and published(system, ROUTE_COMPLETED, code) == []

    # A withdrawal that overtakes its dossier's receipt: the route never starts.
    withdraw(system, early, local("2019-03-15T09:00"))
    wait_for(lambda: system.count("routing", "withdrawals") == 1, what="the early withdrawal")
    receive(system, received(early, "1.004873", local("2019-03-15T08:30")))
    # Four rows: the dead-lettered answer above left none.
    wait_for(lambda: system.count("routing", "inbox") == 4, what="the late receipt to be consumed")
    assert route(system, early) is None
