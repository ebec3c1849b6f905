"""A declared day off moved a dossier's appointment at intake (`vn.motcua.dossier.rescheduled`): routing
moves the route's appointment and its open step's due time by the same working day (docs/calendar.md).

Dates in March 2031, worked out by hand (01/03/2031 is a Saturday): Mon 10, Tue 11, Wed 12, Thu 13, Fri 14.
"""
from __future__ import annotations

import pytest

from motcua_shared.events import isoformat
from motcua_shared.events.catalogue.reschedule import DOSSIER_RESCHEDULED

from routing.support import as_intake, local, receive, received, route, start_routing, steps
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(120)


def test_a_rescheduled_dossier_moves_its_route_and_its_open_step(system):
    start_routing(system)
    code = "H52.04222-310310-0001"
    data = received(code, "1.004873", local("2031-03-10T09:00"))  # 3 working days
    assert data["due_at"] == isoformat(local("2031-03-13T09:00"))
    receive(system, data)
    step = wait_for(lambda: next((s for s in steps(system, code) if s["status"] == "assigned"), None),
                    what="the first step")
    # The first step's share of the 3 days (24 h) is 18 h, run from Mon 09:00: Mon 6 h (09:00–11:30,
    # 13:30–17:00), Tue 8 h, Wed 4 h (07:00–11:00).
    assert step["budget_minutes"] == 18 * 60 and step["due_at"] == local("2031-03-12T11:00")

    # Intake: Tue 11/03 declared off. Routing compares the day as working and as off from its own copy,
    # so the moved appointment may arrive before the calendar change (here it comes alone).
    as_intake(system, DOSSIER_RESCHEDULED, {
        "code": code, "occurred_at": isoformat(local("2031-03-07T10:00")), "day": "2031-03-11",
        "note": "Nghỉ theo Quyết định 12/QĐ-UBND tỉnh", "previous_due_at": isoformat(local("2031-03-13T09:00")),
        "due_at": isoformat(local("2031-03-14T09:00"))})
    moved = wait_for(lambda: (lambda r: r if r["due_at"] == local("2031-03-14T09:00") else None)(route(system, code)),
                     what="the route's appointment to move")
    assert moved["original_due_at"] == local("2031-03-13T09:00")
    # The step loses Tue's 8 h: Wed 12/03 11:00 → Thu 13/03 11:00 (within the appointment, Fri 09:00).
    [open_step] = [s for s in steps(system, code) if s["status"] == "assigned"]
    assert open_step["due_at"] == local("2031-03-13T11:00")
