"""Routing's budgets for a "trong ngày" procedure: the total is the working time from the start of count
to the close of that day, split by the plan's weights, and the steps' due times end on the appointment.

1.001193 (khai sinh) at the commune: process 75, sign 25. Hand-worked on Thursday 14/03/2019, office
hours 07:00–11:30 and 13:30–17:00:
- received 09:00, due 17:00: 2 h 30 + 3 h 30 = 360 min → 270 + 90. Step 1 from 09:00 for 4 h 30:
  2 h 30 to 11:30, then 2 h from 13:30 → 15:30; step 2 from 15:30 for 1 h 30 → 17:00, the appointment.
- received 15:30 (after the cut-off), due Friday 15/03 17:00: counted from Friday 07:00, 480 min →
  360 + 120.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from motcua_shared.reference import Hierarchy, load_catalogue
from motcua_shared.workcal import WorkingCalendar

from motcua_routing.plans import RoutePlans, read_plan_rows
from motcua_routing.routes import step_due, total_minutes

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CATALOGUE = load_catalogue()


def vn(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2019, 3, day, hour, minute, tzinfo=VN)


def birth_plan():
    return RoutePlans.from_rows(read_plan_rows(), CATALOGUE).for_dossier(
        CATALOGUE.get("1.001193"), Hierarchy.THREE_LEVEL, "counter")


def test_a_morning_receipt_shares_the_rest_of_the_day():
    calendar = WorkingCalendar()
    route = {"received_at": vn(14, 9), "original_due_at": vn(14, 17), "due_at": vn(14, 17)}
    assert calendar.add(route["received_at"], 0, "same_day") == route["due_at"]
    total = total_minutes(route, calendar)
    assert total == 360
    first, second = birth_plan().budgets(total)
    assert (first, second) == (270, 90)
    processed = step_due(route, first, vn(14, 9), calendar)
    assert processed == vn(14, 15, 30)
    assert step_due(route, second, processed, calendar) == vn(14, 17)


def test_a_receipt_after_the_cutoff_shares_the_next_working_day():
    calendar = WorkingCalendar()
    route = {"received_at": vn(14, 15, 30), "original_due_at": vn(15, 17), "due_at": vn(15, 17)}
    assert calendar.add(route["received_at"], 0, "same_day") == route["due_at"]
    assert total_minutes(route, calendar) == 480
    assert birth_plan().budgets(480) == [360, 120]
