"""A three-level liên thông dossier: death registration with survivor and funeral allowances
(1.010915), lodged at Chiềng Khương commune. Received in 2019 it climbs commune → district →
province; received in 2026, after the district level closed, commune → province.

The time limit is 10 working days (derived in the catalogue: commune 2, district 6, province 2), split
by the plan's weights, which are whole working days here. Office hours are 07:00–11:30 and
13:30–17:00; no day off falls in either fortnight. Each step is answered exactly at its due time, so
the next one is counted from there. Hand-worked:

2019, received Friday 15/03/2019 08:30 (dossier due Friday 29/03 08:30, ten working days on):
  1. commune  14.126.04222.UBND  process   2 days → Tuesday 19/03 08:30
  2. district 14.126.BHXH        process   3 days → Friday 22/03 08:30
  3. district 14.126.PLDTBXH     appraise  2 days → Tuesday 26/03 08:30
  4. district 14.126.PLDTBXH     sign      1 day  → Wednesday 27/03 08:30
  5. province 14.SLDTBXH         approve   2 days → Friday 29/03 08:30, the appointment

2026, received Friday 13/03/2026 08:30 (due Friday 27/03 08:30):
  1. commune  14.04222.UBND      process   2 days → Tuesday 17/03 08:30
  2. commune  14.04222.PVHXH     appraise  3 days → Friday 20/03 08:30
  3. commune  14.04222.PVHXH     sign      1 day  → Monday 23/03 08:30
  4. province 14.SNV             approve   4 days → Friday 27/03 08:30

The dossiers are brought in as history (an administrator's import) so that no warning is sent for a
step answered at its due time; the worker's clock is set to the evening the route ends; every step is
left to an external handler (ROUTING_LOCAL_UNITS=99) and answered with its moment, as a province's
handler would.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from motcua_shared.events.catalogue.route import STEP_ASSIGNED

from routing.support import (answer, clock_offset_to, local, published, receive, received, steps, steps_queue,
                             wait_route)
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(120)

CASES = {
    "2019": ("H52.04222-190315-0101", local("2019-03-15T08:30"), local("2019-03-29T08:30"), [
        ("commune", "14.126.04222", "14.126.04222.UBND", "process", local("2019-03-19T08:30")),
        ("district", "14.126", "14.126.BHXH", "process", local("2019-03-22T08:30")),
        ("district", "14.126", "14.126.PLDTBXH", "appraise", local("2019-03-26T08:30")),
        ("district", "14.126", "14.126.PLDTBXH", "sign", local("2019-03-27T08:30")),
        ("province", "14", "14.SLDTBXH", "approve", local("2019-03-29T08:30")),
    ]),
    "2026": ("H52.04222-260313-0101", local("2026-03-13T08:30"), local("2026-03-27T08:30"), [
        ("commune", "14.04222", "14.04222.UBND", "process", local("2026-03-17T08:30")),
        ("commune", "14.04222", "14.04222.PVHXH", "appraise", local("2026-03-20T08:30")),
        ("commune", "14.04222", "14.04222.PVHXH", "sign", local("2026-03-23T08:30")),
        ("province", "14", "14.SNV", "approve", local("2026-03-27T08:30")),
    ]),
}


@pytest.mark.parametrize("year", CASES)
def test_a_death_group_dossier_climbs_the_levels_of_its_time(system, year):
    code, received_at, due_at, expected = CASES[year]
    steps_queue(system.amqp_url, "test.external-handler", "step.#")
    # The worker believes it is the evening the route ends: every answer lies in its past, and a 2019
    # dossier is not yet one left open across the reform of 01/07/2025.
    system.processes.start("routing-worker", "routing", "worker", {
        "ROUTING_LOCAL_UNITS": "99", "MOTCUA_CLOCK_OFFSET_SECONDS": clock_offset_to(due_at.replace(hour=18))})
    dossier = received(code, "1.010915", received_at)
    # The appointment intake would give, worked by hand above.
    assert datetime.fromisoformat(dossier["due_at"]) == due_at
    receive(system, {**dossier, "historical": True})
    wait_route(system, code, "in_progress")

    for number, (_, _, agency_id, _, step_due) in enumerate(expected, start=1):
        step = wait_for(lambda: next((s for s in steps(system, code)
                                      if s["sequence"] == number and s["status"] == "assigned"), None),
                        what=f"step {number} of {code}")
        assert step["agency_id"] == agency_id and step["due_at"] == step_due, (number, step)
        answer(system, step["step_id"], code, completed_at=step_due, handled_by=step["agency_name"])

    done = wait_route(system, code, "completed")
    assert done["outcome"] == "approved" and done["completed_at"] == due_at
    taken = steps(system, code)
    assert [(s["level"], s["unit_path"], s["agency_id"], s["action"], s["due_at"]) for s in taken] == expected
    # Each step went out to the unit that must handle it, at its own level.
    assigned = published(system, STEP_ASSIGNED, code)
    assert [e["routing_key"] for e in assigned] == [f"step.{path}" for _, path, _, _, _ in expected]
    assert [e["data"]["level"] for e in assigned] == [level for level, _, _, _, _ in expected]
