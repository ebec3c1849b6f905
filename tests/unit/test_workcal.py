"""Working-time calendar: known dates, reception rules, overrides, units, pauses, validation.

Dates are checked by hand against the 2019 and 2026 Vietnamese holiday calendars
(docs/domain.md §6); times follow the rules in motcua_shared.workcal.calendar.
"""

from __future__ import annotations

import time as clock
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from motcua_shared.workcal import (
    DEFAULT_OFFICE_HOURS,
    MAX_DURATION_DAYS,
    CalendarOverride,
    OfficeHours,
    OverrideKind,
    Unit,
    WorkingCalendar,
    vietnam_year,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(y: int, m: int, d: int, hh: int = 9, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=VN)


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def day_off(d: date, note: str = "") -> CalendarOverride:
    return CalendarOverride(d, OverrideKind.DAY_OFF, note)


def working_day(d: date, note: str = "") -> CalendarOverride:
    return CalendarOverride(d, OverrideKind.WORKING_DAY, note)


# Known dates (docs/domain.md §6.2) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Thu; Mon 27/4 (Hùng Kings nghỉ bù), 30/4, 1/5 and the weekend are off.
        (vn(2026, 4, 23), 5, vn(2026, 5, 5)),
        # Fri before Tết 2026 (16–20/2 off).
        (vn(2026, 2, 13), 3, vn(2026, 2, 25)),
        # Mon 29/4/2019 swapped for Sat 4/5/2019, a make-up working Saturday (làm bù).
        (vn(2019, 4, 26), 3, vn(2019, 5, 4)),
        # From the opening, N days fill N office days and end at a closing instant.
        (vn(2026, 4, 23, 7), 5, vn(2026, 5, 4, 17)),
        (vn(2026, 4, 23, 7), 1, vn(2026, 4, 23, 17)),
    ],
)
def test_known_working_day_deadlines(cal, received, days, due):
    assert cal.add(received, days, "working_days") == due


def test_due_instant_is_in_the_calendar_zone(cal):
    due = cal.add(vn(2026, 4, 23), 5, Unit.WORKING_DAYS)
    assert due.tzinfo == VN
    assert due.utcoffset() == timedelta(hours=7)


# Reception rules: cut-off, lunch, opening, days off ----------------------------------------


@pytest.mark.parametrize(
    ("received", "counts_from"),
    [
        (vn(2026, 4, 23, 9), vn(2026, 4, 23, 9)),
        (vn(2026, 4, 23, 6, 15), vn(2026, 4, 23, 7)),  # before opening
        (vn(2026, 4, 23, 7), vn(2026, 4, 23, 7)),
        (vn(2026, 4, 23, 11, 29), vn(2026, 4, 23, 11, 29)),
        (vn(2026, 4, 23, 11, 30), vn(2026, 4, 23, 13, 30)),  # lunch break (nghỉ trưa)
        (vn(2026, 4, 23, 12, 15), vn(2026, 4, 23, 13, 30)),
        (vn(2026, 4, 23, 14, 59, 59), vn(2026, 4, 23, 14, 59)),  # seconds dropped
        (vn(2026, 4, 23, 15), vn(2026, 4, 24, 7)),  # at the cut-off → next working day
        (vn(2026, 4, 23, 16, 30), vn(2026, 4, 24, 7)),
        (vn(2026, 4, 23, 19), vn(2026, 4, 24, 7)),  # after closing
        (vn(2026, 4, 24, 16), vn(2026, 4, 28, 7)),  # Fri after cut-off; Mon 27/4 is nghỉ bù
        (vn(2026, 4, 25, 10), vn(2026, 4, 28, 7)),  # Saturday
        (vn(2026, 4, 30, 10), vn(2026, 5, 4, 7)),  # 30/4 holiday, then 1/5 and a weekend
        (vn(2026, 2, 16, 8), vn(2026, 2, 23, 7)),  # Tết
        (vn(2019, 5, 4, 9), vn(2019, 5, 4, 9)),  # make-up Saturday is a working day
        (vn(2019, 5, 4, 16), vn(2019, 5, 6, 7)),
    ],
)
def test_start_of_count(cal, received, counts_from):
    assert cal.start_of_count(received) == counts_from


def test_cut_off_moves_the_appointment_by_a_day(cal):
    assert cal.add(vn(2026, 3, 5, 14, 59), 1, "working_days") == vn(2026, 3, 6, 14, 59)
    assert cal.add(vn(2026, 3, 5, 15, 0), 1, "working_days") == vn(2026, 3, 6, 17)


def test_without_cut_off_the_afternoon_counts_until_closing():
    cal = WorkingCalendar(cutoff=None)
    assert cal.start_of_count(vn(2026, 4, 23, 16, 30)) == vn(2026, 4, 23, 16, 30)
    assert cal.start_of_count(vn(2026, 4, 23, 17)) == vn(2026, 4, 24, 7)
    assert cal.add(vn(2026, 4, 23, 16), 2, "working_hours") == vn(2026, 4, 24, 8)


def test_custom_cut_off():
    cal = WorkingCalendar(cutoff=time(16, 0))
    assert cal.start_of_count(vn(2026, 4, 23, 15, 30)) == vn(2026, 4, 23, 15, 30)
    assert cal.start_of_count(vn(2026, 4, 23, 16)) == vn(2026, 4, 24, 7)


def test_cut_off_at_the_end_of_the_morning():
    cal = WorkingCalendar(cutoff=time(11, 30))
    assert cal.start_of_count(vn(2026, 4, 23, 11, 29)) == vn(2026, 4, 23, 11, 29)
    assert cal.start_of_count(vn(2026, 4, 23, 12)) == vn(2026, 4, 24, 7)


def test_receipt_in_another_zone_is_converted(cal):
    received = datetime(2026, 4, 23, 2, 0, tzinfo=timezone.utc)  # 09:00 in Hà Nội
    assert cal.start_of_count(received) == vn(2026, 4, 23, 9)
    assert cal.add(received, 5, "working_days") == vn(2026, 5, 5, 9)


def test_calendar_in_another_zone():
    tokyo = ZoneInfo("Asia/Tokyo")
    cal = WorkingCalendar(tz=tokyo)
    assert cal.tz is tokyo
    received = datetime(2026, 4, 23, 9, tzinfo=VN)  # 11:00 in Tokyo
    assert cal.start_of_count(received) == datetime(2026, 4, 23, 11, tzinfo=tokyo)


# Working days (ngày làm việc) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 4, 23), True),
        (date(2026, 4, 25), False),  # Saturday
        (date(2026, 4, 27), False),  # Hùng Kings (Sun 26/4) nghỉ bù
        (date(2026, 8, 22), True),  # Saturday worked for Mon 31/8 (làm bù)
        (date(2026, 8, 31), False),
        (date(2026, 11, 24), False),  # Ngày Văn hóa Việt Nam, from 2026
        (date(2025, 11, 24), True),  # a plain Monday before the new holiday
        (date(2019, 5, 4), True),
        (date(2019, 4, 29), False),
        (date(2019, 1, 5), True),  # worked for Mon 31/12/2018: a swap across years
        (date(2018, 12, 31), False),
        (date(2014, 12, 27), True),  # worked for Fri 2/1/2015
    ],
)
def test_is_working_day(cal, day, working):
    assert cal.is_working_day(day) is working


def test_next_working_day_is_strictly_after(cal):
    assert cal.next_working_day(date(2026, 4, 23)) == date(2026, 4, 24)
    assert cal.next_working_day(date(2026, 4, 24)) == date(2026, 4, 28)
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_vietnam_cultural_day_delays_a_deadline(cal):
    assert vietnam_year(2026).days_off[date(2026, 11, 24)] == "Ngày Văn hóa Việt Nam"
    assert cal.add(vn(2026, 11, 23), 1, "working_days") == vn(2026, 11, 25)


def test_package_year_is_cached_and_immutable():
    year = vietnam_year(2026)
    assert vietnam_year(2026) is year
    assert date(2026, 8, 22) in year.weekend_workdays
    with pytest.raises(TypeError):
        year.days_off[date(2026, 6, 1)] = "x"  # type: ignore[index]


def test_days_passed_as_datetimes_are_refused(cal):
    with pytest.raises(TypeError):
        cal.is_working_day(vn(2026, 4, 23))
    with pytest.raises(TypeError):
        cal.next_working_day(vn(2026, 4, 23))


# Overrides (admin table) -----------------------------------------------------------------


def test_override_day_off_delays_the_deadline():
    cal = WorkingCalendar(overrides=[day_off(date(2026, 4, 24), "Tỉnh cho nghỉ")])
    assert not cal.is_working_day(date(2026, 4, 24))
    assert cal.add(vn(2026, 4, 23), 5, "working_days") == vn(2026, 5, 6)


def test_override_working_saturday_brings_the_deadline_forward():
    cal = WorkingCalendar(overrides=[working_day(date(2026, 4, 25), "Làm bù")])
    assert cal.is_working_day(date(2026, 4, 25))
    assert cal.start_of_count(vn(2026, 4, 25, 8)) == vn(2026, 4, 25, 8)
    assert cal.add(vn(2026, 4, 23), 5, "working_days") == vn(2026, 5, 4)


def test_overrides_win_over_the_package():
    cal = WorkingCalendar(
        overrides=[working_day(date(2026, 4, 27)), day_off(date(2019, 5, 4), "not worked")]
    )
    assert cal.is_working_day(date(2026, 4, 27))
    assert cal.add(vn(2026, 4, 23), 5, "working_days") == vn(2026, 5, 4)
    assert cal.add(vn(2019, 4, 26), 3, "working_days") == vn(2019, 5, 6)


def test_override_kind_accepts_the_stored_string():
    override = CalendarOverride(date(2026, 4, 24), "day_off", "QĐ 12/UBND")  # type: ignore[arg-type]
    assert override.kind is OverrideKind.DAY_OFF
    assert override.note == "QĐ 12/UBND"


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: CalendarOverride(date(2026, 4, 24), "holiday"), ValueError),  # type: ignore[arg-type]
        (lambda: CalendarOverride(vn(2026, 4, 24), OverrideKind.DAY_OFF), TypeError),
        (lambda: WorkingCalendar(overrides=[day_off(date(2026, 4, 24)), working_day(date(2026, 4, 24))]), ValueError),
        (lambda: WorkingCalendar(overrides=[date(2026, 4, 24)]), TypeError),  # type: ignore[list-item]
    ],
)
def test_invalid_overrides(make, error):
    with pytest.raises(error):
        make()


def test_a_year_without_working_days_is_reported():
    start = date(2027, 1, 1)
    overrides = [day_off(start + timedelta(days=n)) for n in range(400)]
    cal = WorkingCalendar(overrides=overrides)
    with pytest.raises(ValueError, match="overrides"):
        cal.next_working_day(start)


# Working hours, fractional durations -------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "value", "unit", "due"),
    [
        (vn(2026, 4, 23, 9), 4, "working_hours", vn(2026, 4, 23, 15)),  # across lunch
        (vn(2026, 4, 23, 10, 30), 2, "working_hours", vn(2026, 4, 23, 14, 30)),
        (vn(2026, 4, 23, 7), Decimal("0.5"), "working_days", vn(2026, 4, 23, 11)),
        (vn(2026, 4, 23, 7), Decimal("4.5"), "working_hours", vn(2026, 4, 23, 11, 30)),  # not 13:30
        (vn(2026, 4, 23, 7), 8, "working_hours", vn(2026, 4, 23, 17)),
        (vn(2026, 4, 23, 14, 30), 4, "working_hours", vn(2026, 4, 24, 8, 30)),
        (vn(2026, 4, 23, 9), Decimal("1.5"), "working_hours", vn(2026, 4, 23, 10, 30)),
        (vn(2026, 4, 23, 9), 0.1, "working_hours", vn(2026, 4, 23, 9, 6)),
        (vn(2026, 4, 23, 9), Fraction(1, 3), "working_hours", vn(2026, 4, 23, 9, 20)),
        (vn(2026, 4, 23, 9), 0, "working_hours", vn(2026, 4, 23, 9)),
        (vn(2026, 4, 23, 16), 0, "working_hours", vn(2026, 4, 24, 7)),  # zero → start of count
        (vn(2026, 4, 24, 9), 16, "working_hours", vn(2026, 4, 29, 9)),  # skips weekend + 27/4
    ],
)
def test_working_hours(cal, received, value, unit, due):
    assert cal.add(received, value, unit) == due


def test_a_working_day_is_eight_working_hours(cal):
    for received in (vn(2026, 4, 23, 9), vn(2026, 2, 13, 14, 45), vn(2026, 4, 23, 12)):
        assert cal.add(received, 3, "working_days") == cal.add(received, 24, "working_hours")


# Calendar-day procedures ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (vn(2026, 3, 2, 9), 10, vn(2026, 3, 12, 17)),  # a weekday: closing of that day
        (vn(2026, 3, 5, 10), 0, vn(2026, 3, 5, 17)),
        (vn(2026, 3, 5, 10), 1, vn(2026, 3, 6, 17)),
        (vn(2026, 3, 5, 16), 1, vn(2026, 3, 9, 17)),  # after cut-off: counts from Fri; Sat → Mon
        (vn(2026, 3, 2, 9), 5, vn(2026, 3, 9, 17)),  # lands on Saturday → Monday
        (vn(2026, 4, 20, 9), 5, vn(2026, 4, 28, 17)),  # Sat 25 → Sun → Mon 27 (nghỉ bù) → Tue
        (vn(2026, 4, 24, 9), 6, vn(2026, 5, 4, 17)),  # 30/4, 1/5 and a weekend
        (vn(2026, 11, 17, 9), 7, vn(2026, 11, 25, 17)),  # Cultural Day 24/11/2026
        (vn(2026, 8, 15, 9), 7, vn(2026, 8, 24, 17)),  # Sat receipt → Mon 17/8; Mon 24/8
    ],
)
def test_calendar_days(cal, received, days, due):
    assert cal.add(received, days, "calendar_days") == due


def test_calendar_days_may_end_on_a_make_up_saturday(cal):
    assert cal.add(vn(2026, 8, 17, 9), 5, "calendar_days") == vn(2026, 8, 22, 17)


# Elapsed working time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [
        (vn(2026, 4, 23, 9), vn(2026, 4, 24, 9), Decimal(8)),
        (vn(2026, 4, 23, 11), vn(2026, 4, 23, 14), Decimal(1)),  # lunch excluded
        (vn(2026, 4, 24, 16), vn(2026, 4, 28, 8), Decimal(2)),  # weekend and 27/4 excluded
        (vn(2026, 4, 28, 8), vn(2026, 4, 24, 16), Decimal(-2)),  # reversed: negative
        (vn(2026, 4, 23, 18), vn(2026, 4, 23, 22), Decimal(0)),
        (vn(2026, 4, 25, 8), vn(2026, 4, 26, 16), Decimal(0)),
        (vn(2026, 2, 13, 9), vn(2026, 2, 25, 9), Decimal(24)),
        (vn(2026, 4, 23, 9), vn(2026, 4, 23, 9), Decimal(0)),
    ],
)
def test_working_hours_between(cal, a, b, hours):
    assert cal.working_hours_between(a, b) == hours


def test_working_minutes_between_truncates_seconds(cal):
    assert cal.working_minutes_between(vn(2026, 4, 23, 9, 0, 59), vn(2026, 4, 23, 9, 1, 0)) == 1
    assert cal.working_hours_between(vn(2026, 4, 23, 9), vn(2026, 4, 23, 9, 1)) == Decimal(1) / 60


# Pauses (bổ sung hồ sơ) ------------------------------------------------------------------


def test_repeated_supplements_extend_the_due_instant(cal):
    due = cal.add(vn(2026, 4, 23), 5, "working_days")
    due = cal.extend(due, vn(2026, 4, 28, 10), vn(2026, 4, 29, 10))  # 8 h paused
    assert due == vn(2026, 5, 6, 9)
    due = cal.extend(due, vn(2026, 5, 4, 14), vn(2026, 5, 4, 16))  # 2 h more
    assert due == vn(2026, 5, 6, 11)


def test_pause_without_working_time_changes_nothing(cal):
    due = vn(2026, 5, 5, 9)
    assert cal.extend(due, vn(2026, 4, 25, 8), vn(2026, 4, 26, 20)) == due
    assert cal.extend(due, vn(2026, 4, 23, 10), vn(2026, 4, 23, 10)) == due


def test_extending_a_closing_instant_moves_to_later_closings(cal):
    due = cal.add(vn(2026, 3, 2, 9), 10, "calendar_days")
    assert cal.extend(due, vn(2026, 3, 3, 9), vn(2026, 3, 4, 9)) == vn(2026, 3, 13, 17)


def test_pause_ending_before_it_starts_is_refused(cal):
    with pytest.raises(ValueError, match="pause"):
        cal.extend(vn(2026, 5, 5), vn(2026, 4, 29), vn(2026, 4, 28))


def test_advance_does_not_apply_the_cut_off(cal):
    # A step handed over at 16:00 keeps its last hour of the day.
    assert cal.advance(vn(2026, 4, 23, 16), 8, "working_hours") == vn(2026, 4, 24, 16)
    assert cal.add(vn(2026, 4, 23, 16), 8, "working_hours") == vn(2026, 4, 24, 17)
    assert cal.advance(vn(2026, 4, 23, 18), 0, "working_hours") == vn(2026, 4, 23, 18)
    assert cal.advance(vn(2026, 4, 23, 18), 1, "calendar_days") == vn(2026, 4, 28, 17)


# Office hours configuration ------------------------------------------------------------


def test_default_office_day_is_eight_hours():
    assert DEFAULT_OFFICE_HOURS.day_minutes == 8 * 60
    assert OfficeHours.parse("07:00-11:30, 13:30-17:00") == DEFAULT_OFFICE_HOURS


def test_other_eight_hour_schedule():
    cal = WorkingCalendar(office_hours=OfficeHours.parse("07:30-11:30,13:00-17:00"))
    assert cal.start_of_count(vn(2026, 4, 23, 7, 10)) == vn(2026, 4, 23, 7, 30)
    assert cal.add(vn(2026, 4, 23, 9), 4, "working_hours") == vn(2026, 4, 23, 14, 30)


def test_shorter_office_day_is_one_working_day():
    cal = WorkingCalendar(office_hours=OfficeHours.parse("07:30-11:30,13:30-17:00"))
    assert cal.working_day_minutes == 450
    assert cal.add(vn(2026, 4, 23, 7, 30), 1, "working_days") == vn(2026, 4, 23, 17)
    assert cal.add(vn(2026, 4, 23, 7, 30), 8, "working_hours") == vn(2026, 4, 24, 8)


@pytest.mark.parametrize(
    "text",
    ["", "07:00-11:30,11:00-17:00", "13:30-17:00,07:00-11:30", "11:30-07:00", "07:00", "7h-11h"],
)
def test_invalid_office_hours(text):
    with pytest.raises(ValueError):
        OfficeHours.parse(text)


def test_office_hours_must_be_whole_minutes():
    with pytest.raises(ValueError, match="whole minute"):
        OfficeHours(((time(7, 0, 30), time(11, 30)),))


@pytest.mark.parametrize(
    "cutoff",
    [time(6, 0), time(7, 0), time(12, 0), time(13, 30), time(18, 0), time(15, 0, 30)],
)
def test_invalid_cut_off(cutoff):
    with pytest.raises(ValueError):
        WorkingCalendar(cutoff=cutoff)


# Input validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "error"),
    [
        (-1, "working_days", ValueError),
        (Decimal("-0.5"), "working_hours", ValueError),
        (Fraction(1, 7), "working_hours", ValueError),  # not whole minutes
        (Decimal("0.01"), "working_hours", ValueError),
        (Decimal("1.5"), "calendar_days", ValueError),
        (float("nan"), "working_hours", ValueError),
        (Decimal("Infinity"), "working_days", ValueError),
        (MAX_DURATION_DAYS + 1, "working_days", ValueError),
        (MAX_DURATION_DAYS + 1, "calendar_days", ValueError),
        (10**400, "working_hours", ValueError),
        (5, "days", ValueError),
        (True, "working_days", TypeError),
        ("5", "working_days", TypeError),
    ],
)
def test_invalid_durations(cal, value, unit, error):
    with pytest.raises(error):
        cal.add(vn(2026, 4, 23), value, unit)


def test_naive_instants_are_refused(cal):
    naive = datetime(2026, 4, 23, 9)
    for call in (
        lambda: cal.start_of_count(naive),
        lambda: cal.add(naive, 1, "working_days"),
        lambda: cal.advance(naive, 1, "working_hours"),
        lambda: cal.working_hours_between(naive, vn(2026, 4, 24)),
        lambda: cal.extend(vn(2026, 5, 5), naive, vn(2026, 4, 24)),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


def test_dates_are_not_instants(cal):
    with pytest.raises(TypeError):
        cal.start_of_count(date(2026, 4, 23))  # type: ignore[arg-type]


def test_due_beyond_year_9999_is_refused(cal):
    with pytest.raises(ValueError, match="9999"):
        cal.add(vn(9990, 1, 2), 20_000, "calendar_days")


# Bounded work ------------------------------------------------------------------------------


def test_ten_years_of_working_days_is_fast_and_exact(cal):
    started = clock.perf_counter()
    due = cal.add(vn(2026, 4, 23), 2_600, "working_days")
    hours = cal.working_hours_between(vn(2026, 4, 23), due)
    elapsed = clock.perf_counter() - started
    assert hours == 2_600 * 8
    assert date(2036, 1, 1) < due.date() < date(2037, 1, 1)
    assert elapsed < 1.0, f"took {elapsed:.3f} s"


def test_largest_duration_terminates(cal):
    due = cal.add(vn(2026, 4, 23), MAX_DURATION_DAYS, "working_days")
    assert due.year > 2026 + 100
