"""Deadline keeping with a test clock (MOTCUA_CLOCK_OFFSET_SECONDS): warnings before a step and a
dossier fall due, escalation of an overdue step, the apology with a new appointment (Mẫu 04); each
exactly once, with two workers sweeping side by side and across restarts.

Two dossiers of 1.004873 (3 working days; the commune's processing gets 18 working hours, the
chairman's signature 6), whose first step nobody completes (no unit is local and the test, playing
the external handler, never answers):

    LATE    received Friday 27/02/2026 08:00: step due Tuesday 03/03 10:00, dossier Wednesday 04/03 08:00
    ON_TIME received Monday 02/03/2026 08:00: step due Wednesday 04/03 10:00, dossier Thursday 05/03 08:00
"""
from __future__ import annotations

from datetime import datetime

import pytest

from motcua_shared.events.catalogue.route import APOLOGY_ISSUED, DEADLINE_ESCALATED, DEADLINE_WARNED

from routing.support import clock_offset_to, local, published, receive, received, route, steps_queue, wait_route
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(120)
LATE, ON_TIME = "H52.04222-260227-0001", "H52.04222-260302-0001"
WORKERS = ("routing-worker-0", "routing-worker-1")


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def run_workers(system, now: datetime, count: int) -> None:
    """`count` routing workers believing it is `now`, sweeping five times a second."""
    env = {"ROUTING_LOCAL_UNITS": "99", "ROUTING_SWEEP_SECONDS": "0.2", "LOG_LEVEL": "DEBUG",
           "MOTCUA_CLOCK_OFFSET_SECONDS": clock_offset_to(now)}
    for name in WORKERS[:count]:
        system.processes.start(name, "routing", "worker", env)


def stop_workers(system) -> None:
    system.processes.stop_all()
    system.processes.procs.clear()


def let_sweep(system, times: int = 5) -> None:
    """Wait until every running worker has finished `times` more sweeps (its DEBUG log says so)."""
    def sweeps(name: str) -> int:
        return system.processes.log(name).count('"deadline_sweep"')

    targets = {name: sweeps(name) + times for name in system.processes.procs}
    wait_for(lambda: all(sweeps(name) >= n for name, n in targets.items()), what="more sweeps")


def events(system, code: str) -> dict[str, list[dict]]:
    return {kind: [e["data"] for e in published(system, kind, code)]
            for kind in (DEADLINE_WARNED, DEADLINE_ESCALATED, APOLOGY_ISSUED)}


def test_warnings_escalations_and_apologies_come_once_each(system):
    steps_queue(system.amqp_url, "test.external-handler", "step.#")
    # Wednesday 04/03 09:00.
    run_workers(system, local("2026-03-04T09:00"), count=2)
    receive(system, received(LATE, "1.004873", local("2026-02-27T08:00")),
            received(ON_TIME, "1.004873", local("2026-03-02T08:00")))
    wait_route(system, ON_TIME, "in_progress")
    wait_for(lambda: events(system, LATE)[APOLOGY_ISSUED] and events(system, ON_TIME)[APOLOGY_ISSUED],
             what="the first deadline events")
    let_sweep(system)

    # LATE was pushed past its due time: one escalation of its step, one apology with a new date,
    # and no warning (first seen overdue, there is nothing left to warn about).
    late = events(system, LATE)
    assert late[DEADLINE_WARNED] == []
    [escalation] = late[DEADLINE_ESCALATED]
    assert escalation["escalated_to"] == "leader@04222" and moment(escalation["due_at"]) == local("2026-03-03T10:00")
    [apology] = late[APOLOGY_ISSUED]
    assert moment(apology["original_due_at"]) == local("2026-03-04T08:00")
    # The later of now and the appointment (now, Wednesday 09:00), plus the open step's 18 and the
    # next step's 6 working hours: Monday 09/03 09:00.
    assert moment(apology["new_due_at"]) == local("2026-03-09T09:00")
    assert apology["unit"] == "04222" and "xin lỗi" in apology["reason"]
    assert route(system, LATE)["due_at"] == local("2026-03-09T09:00")
    # ON_TIME: one working hour left for its step (warned); seven for the dossier (Wednesday 09:00–11:30,
    # 13:30–17:00, Thursday 07:00–08:00), which its two steps could still meet, but that is less than
    # one working day before the appointment: the law's last moment for the apology, so it comes now
    # (before issue 14 it came only at 14:00, once the signature's six hours no longer fit). Seven
    # hours are more than the dossier's warning window (a quarter of its 24): no dossier warning.
    on_time = events(system, ON_TIME)
    assert [(w["scope"], moment(w["due_at"])) for w in on_time[DEADLINE_WARNED]] == [
        ("step", local("2026-03-04T10:00"))]
    assert on_time[DEADLINE_ESCALATED] == []
    [apology] = on_time[APOLOGY_ISSUED]
    assert local("2026-03-04T09:00") <= moment(apology["issued_at"]) < local("2026-03-04T09:01")
    assert moment(apology["original_due_at"]) == local("2026-03-05T08:00")
    assert moment(apology["new_due_at"]) == local("2026-03-10T08:00")  # Thursday 08:00 + 24 working hours

    # Wednesday 14:00, after a restart: ON_TIME's step is overdue (escalated once). Its appointment is
    # now the new one, days away: no dossier warning, and no second apology. LATE gets nothing more.
    stop_workers(system)
    run_workers(system, local("2026-03-04T14:00"), count=2)
    wait_for(lambda: events(system, ON_TIME)[DEADLINE_ESCALATED], what="ON_TIME's escalation")
    let_sweep(system)
    on_time = events(system, ON_TIME)
    assert [w["scope"] for w in on_time[DEADLINE_WARNED]] == ["step"]
    assert len(on_time[DEADLINE_ESCALATED]) == 1
    assert on_time[APOLOGY_ISSUED] == [apology]
    assert events(system, LATE) == late
