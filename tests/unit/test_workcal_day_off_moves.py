"""How a deadline moves when a working day is declared off after it was given (docs/calendar.md).
The dates are in March 2031, worked out by hand: 01/03/2031 is a Saturday, so Mon 10, Tue 11, Wed 12,
Thu 13, Fri 14, Sat 15, Sun 16, Mon 17."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from motcua_shared.workcal import CalendarOverride, OfficeHours, OverrideKind, WorkingCalendar
from motcua_shared.workcal.day_off_moves import moved_by_day_off

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY_OFF = date(2031, 3, 11)  # a Tuesday
BEFORE = WorkingCalendar()
AFTER = WorkingCalendar(overrides=[CalendarOverride(DAY_OFF, OverrideKind.DAY_OFF, "Nghỉ theo quyết định")])


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.mark.parametrize(("due", "moved"), [
    ("2031-03-13 09:00", "2031-03-14 09:00"),  # Thu → Fri: one working day added back
    ("2031-03-14 16:00", "2031-03-17 16:00"),  # Fri → Mon, over the weekend
    ("2031-03-11 10:00", "2031-03-12 10:00"),  # on the day: 3 h run that day (07:00–10:00), kept
    ("2031-03-11 17:00", "2031-03-12 17:00"),  # a same-day deadline of the day: the next day's closing
    # 13:30 on the day: 4 h 30 run (the whole morning); with 4 h 30 the calendar's due instant is the
    # earliest one, the morning's closing, as for any deadline that fills a period.
    ("2031-03-11 13:30", "2031-03-12 11:30"),
    ("2031-03-10 17:00", "2031-03-10 17:00"),  # before the day: unchanged
    # Minutes that are no whole fraction of an hour in decimals: 38 min = 19/30 h (was refused, issue 19).
    ("2031-03-11 07:38", "2031-03-12 07:38"),
    ("2031-03-11 09:07", "2031-03-12 09:07"),  # 127 min
])
def test_a_working_time_deadline_gets_the_days_working_time_back(due, moved):
    assert moved_by_day_off(vn(due), DAY_OFF, BEFORE, AFTER) == vn(moved)


def test_a_calendar_day_deadline_moves_only_when_it_falls_on_the_day():
    assert moved_by_day_off(vn("2031-03-13 17:00"), DAY_OFF, BEFORE, AFTER, calendar_days=True) == vn("2031-03-13 17:00")
    assert moved_by_day_off(vn("2031-03-11 17:00"), DAY_OFF, BEFORE, AFTER, calendar_days=True) == vn("2031-03-12 17:00")


def test_a_day_that_was_already_off_or_stays_working_moves_nothing():
    assert moved_by_day_off(vn("2031-03-13 09:00"), DAY_OFF, AFTER, AFTER) == vn("2031-03-13 09:00")
    assert moved_by_day_off(vn("2031-03-13 09:00"), DAY_OFF, BEFORE, BEFORE) == vn("2031-03-13 09:00")
    # A Saturday made a working day (làm bù) is the other direction: never earlier.
    worked = WorkingCalendar(overrides=[CalendarOverride(date(2031, 3, 15), OverrideKind.WORKING_DAY, "Làm bù")])
    assert moved_by_day_off(vn("2031-03-17 09:00"), date(2031, 3, 15), BEFORE, worked) == vn("2031-03-17 09:00")


def test_a_province_office_day_of_its_own_is_used():
    """07:30–11:30 and 13:00–16:30: 7 h 30 a day. Due Tue 11/03 15:00 had 6 h run that day
    (4 h in the morning, 2 h from 13:00), kept: Wed 12/03 15:00."""
    hours = OfficeHours.parse("07:30-11:30,13:00-16:30")
    before = WorkingCalendar(office_hours=hours)
    after = WorkingCalendar(office_hours=hours, overrides=[CalendarOverride(DAY_OFF, OverrideKind.DAY_OFF)])
    assert moved_by_day_off(vn("2031-03-11 15:00"), DAY_OFF, before, after) == vn("2031-03-12 15:00")
    assert moved_by_day_off(vn("2031-03-11 16:30"), DAY_OFF, before, after) == vn("2031-03-12 16:30")
