"""A dossier an administrator brought in from the past (issue 17): its dossier.received carries
`historical`, its route is recorded as historical, and the deadline sweep never warns, escalates or
apologises for it, however long past its deadlines are by the wall clock. Its steps are answered as
usual, each ending at its past `completed_at`. The same dossier received live is escalated and
apologised for (the proof that the test can fail).

Both are 1.004873 (3 working days), received Friday 27/02/2026 08:00: first step due Tuesday 03/03
10:00, dossier Wednesday 04/03 08:00; the workers believe it is Wednesday 04/03 09:00.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from motcua_shared.events.catalogue.route import APOLOGY_ISSUED, DEADLINE_ESCALATED, DEADLINE_WARNED

from routing.support import (answer, clock_offset_to, local, published, receive, received, route, steps,
                             steps_queue, wait_route)
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(120)
HISTORICAL, LIVE = "H52.04222-260227-0007", "H52.04222-260227-0008"
RECEIVED_AT = local("2026-02-27T08:00")


def deadline_events(system, code: str) -> dict[str, list[dict]]:
    return {kind: [e["data"] for e in published(system, kind, code)]
            for kind in (DEADLINE_WARNED, DEADLINE_ESCALATED, APOLOGY_ISSUED)}


def sweeps(system) -> int:
    return system.processes.log("routing-worker").count('"deadline_sweep"')


def test_a_historical_route_is_never_swept_and_its_steps_end_at_their_past_moments(system):
    steps_queue(system.amqp_url, "test.external-handler", "step.#")
    system.processes.start("routing-worker", "routing", "worker", {
        "ROUTING_LOCAL_UNITS": "99", "ROUTING_SWEEP_SECONDS": "0.2", "LOG_LEVEL": "DEBUG",
        "MOTCUA_CLOCK_OFFSET_SECONDS": clock_offset_to(local("2026-03-04T09:00"))})
    receive(system, {**received(HISTORICAL, "1.004873", RECEIVED_AT), "historical": True},
            received(LIVE, "1.004873", RECEIVED_AT))
    wait_route(system, HISTORICAL, "in_progress")
    wait_route(system, LIVE, "in_progress")
    wait_for(lambda: deadline_events(system, LIVE)[APOLOGY_ISSUED], what="the live dossier's apology")
    after = sweeps(system) + 5
    wait_for(lambda: sweeps(system) >= after, what="more sweeps")

    assert route(system, HISTORICAL)["historical"] is True and route(system, LIVE)["historical"] is False
    live = deadline_events(system, LIVE)
    assert len(live[DEADLINE_ESCALATED]) == 1 and len(live[APOLOGY_ISSUED]) == 1
    assert deadline_events(system, HISTORICAL) == {DEADLINE_WARNED: [], DEADLINE_ESCALATED: [], APOLOGY_ISSUED: []}
    historical = route(system, HISTORICAL)
    assert historical["due_at"] == historical["original_due_at"] and historical["apology_issued_at"] is None
    assert all(s["escalated_at"] is None and s["warned_at"] is None for s in steps(system, HISTORICAL))

    # Answered as a province handler does, with the past moments: each step ends when it did.
    first = steps(system, HISTORICAL)[0]
    answer(system, first["step_id"], HISTORICAL, completed_at=RECEIVED_AT + timedelta(hours=3))
    second = wait_for(lambda: (lambda s: s[1] if len(s) > 1 and s[1]["status"] == "assigned" else None)(
        steps(system, HISTORICAL)), what="the second step")
    answer(system, second["step_id"], HISTORICAL, completed_at=RECEIVED_AT + timedelta(hours=5))
    done = wait_route(system, HISTORICAL, "completed")
    assert done["completed_at"] == RECEIVED_AT + timedelta(hours=5) and done["outcome"] == "approved"
    first, second = steps(system, HISTORICAL)
    assert first["completed_at"] == RECEIVED_AT + timedelta(hours=3)
    assert second["assigned_at"] == first["completed_at"]
    assert second["completed_at"] == RECEIVED_AT + timedelta(hours=5)
    after = sweeps(system) + 3
    wait_for(lambda: sweeps(system) >= after, what="more sweeps")
    assert deadline_events(system, HISTORICAL) == {DEADLINE_WARNED: [], DEADLINE_ESCALATED: [], APOLOGY_ISSUED: []}
