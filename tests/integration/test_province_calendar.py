"""The province's declared days reach every service that computes with the calendar.

A province administrator declares a day off at intake; routing's step deadlines and reporting's
handling times are computed with the same calendar as intake's appointments, through the
`vn.motcua.calendar.changed` events on the real broker. Removing the declaration travels the same way.
"""
from __future__ import annotations

from datetime import datetime, timezone
from fractions import Fraction

from motcua_shared.workcal import CalendarOverride, OverrideKind, WorkingCalendar

from motcua_testing.waiting import wait_for

STATUTORY = WorkingCalendar()


def kept(system, service: str) -> dict:
    return {row["day"]: row["kind"] for row in system.rows(service, "calendar_overrides")}


def test_a_declared_day_off_moves_routings_deadlines_and_its_removal_travels_too(system):
    system.start_workers("intake", "routing", "reporting")
    admin = system.auth("admin", unit="14", sub="province-admin")  # the province's administrator
    now = datetime.now(timezone.utc)
    # The first working day the count of a dossier received now would use: declared off, the count
    # (and every deadline) starts a working day later.
    day_off = STATUTORY.start_of_count(now).astimezone(STATUTORY.tz).date()
    answer = system.client("intake").put(f"/api/v1/calendar/overrides/{day_off.isoformat()}", headers=admin,
                                         json={"kind": "day_off", "note": "Nghỉ theo Quyết định 99/QĐ-UBND tỉnh"})
    assert answer.status_code in (200, 201), answer.get_json()
    wait_for(lambda: kept(system, "routing").get(day_off) == "day_off"
             and kept(system, "reporting").get(day_off) == "day_off", timeout=60,
             what="routing and reporting to keep the declared day off")

    province = WorkingCalendar(overrides=[CalendarOverride(day_off, OverrideKind.DAY_OFF)])
    received = system.client("intake").post("/api/v1/dossiers", headers=system.auth("receptionist", unit="04222"),
                                            json={"procedure_code": "1.004873", "channel": "counter",
                                                  "receiving_unit": "04222", "return_method": "counter",
                                                  "applicant": {"full_name": "Lò Thị Mai", "id_number": "014090001235"}})
    assert received.status_code == 201, received.get_json()
    code = received.get_json()["code"]
    step = wait_for(lambda: next((s for s in system.rows("routing", "route_steps")
                                  if s["dossier_code"] == code and s["status"] == "assigned"), None),
                    timeout=60, what="routing to assign the first step")
    route = next(r for r in system.rows("routing", "dossier_routes") if r["dossier_code"] == code)
    received_at = route["received_at"]

    def first_due(calendar: WorkingCalendar) -> datetime:
        due = calendar.advance(calendar.start_of_count(received_at), Fraction(step["budget_minutes"], 60),
                               "working_hours")
        return min(due, route["due_at"])

    assert step["due_at"] == first_due(province)
    assert step["due_at"] != first_due(STATUTORY)  # the declaration made the difference
    assert step["due_at"].astimezone(STATUTORY.tz).date() != day_off

    removed = system.client("intake").delete(f"/api/v1/calendar/overrides/{day_off.isoformat()}", headers=admin)
    assert removed.status_code == 204
    wait_for(lambda: day_off in kept(system, "routing") and kept(system, "routing")[day_off] is None
             and kept(system, "reporting").get(day_off, "gone") is None, timeout=60,
             what="routing and reporting to drop the declaration")
    announced = [row for row in system.rows("intake", "outbox") if row["event_type"] == "vn.motcua.calendar.changed"]
    assert len(announced) == 2  # one per change, written with the change itself
