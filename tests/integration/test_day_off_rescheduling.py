"""A day off declared at intake moves an open dossier's appointment, and the move travels on the real
broker: routing's route and open step and reporting's copy follow (`vn.motcua.dossier.rescheduled`).

The exact arithmetic is tested with dates worked out by hand in tests/unit/test_workcal_day_off_moves.py,
tests/intake/test_calendar_rescheduling.py and tests/routing/test_rescheduling.py; this test is about the
wiring, so it uses today's dates: the day declared off is the last working day before the appointment.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua_shared.workcal import WorkingCalendar

from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(240)


def test_a_declared_day_off_moves_the_appointment_everywhere(system):
    system.start_workers("intake", "routing", "reporting")
    received = system.client("intake").post("/api/v1/dossiers", headers=system.auth("receptionist", unit="04222"),
                                            json={"procedure_code": "1.004873", "channel": "counter",
                                                  "receiving_unit": "04222", "return_method": "counter",
                                                  "applicant": {"full_name": "Lò Thị Mai", "id_number": "014090001235"}})
    assert received.status_code == 201, received.get_json()
    code = received.get_json()["code"]
    due = datetime.fromisoformat(received.get_json()["due_at"])
    step = wait_for(lambda: next((s for s in system.rows("routing", "route_steps")
                                  if s["dossier_code"] == code and s["status"] == "assigned"), None),
                    timeout=60, what="routing to assign the first step")
    wait_for(lambda: any(r["code"] == code for r in system.rows("reporting", "dossiers")), timeout=60,
             what="reporting to project the dossier")

    calendar = WorkingCalendar()
    local_due = due.astimezone(calendar.tz)
    # The appointment's own day when time has run on it (due after the opening), else the working day before.
    day = local_due.date()
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    answer = system.client("intake").put(f"/api/v1/calendar/overrides/{day.isoformat()}",
                                         headers=system.auth("admin", unit="14", sub="province-admin"),
                                         json={"kind": "day_off", "note": "Nghỉ theo Quyết định 99/QĐ-UBND tỉnh"})
    assert answer.status_code in (200, 201), answer.get_json()
    moved = datetime.fromisoformat(system.client("intake").get(
        f"/api/v1/dossiers/{code}", headers=system.auth("receptionist", unit="04222")).get_json()["due_at"])
    assert moved > due and moved.astimezone(calendar.tz).date() != day

    route = wait_for(lambda: next((r for r in system.rows("routing", "dossier_routes")
                                   if r["dossier_code"] == code and r["due_at"] == moved), None),
                     timeout=60, what="routing to move the route's appointment")
    assert route["original_due_at"] == due
    [open_step] = [s for s in system.rows("routing", "route_steps") if s["step_id"] == step["step_id"]]
    assert open_step["due_at"] >= step["due_at"] and open_step["due_at"] <= moved
    wait_for(lambda: any(r["code"] == code and r["due_at"] == moved for r in system.rows("reporting", "dossiers")),
             timeout=60, what="reporting's copy of the appointment to follow")
