"""Invariants of the working-time calendar, checked on generated calendars and instants.

Calendars vary office schedules, cut-offs and admin overrides, so the invariants are shown
to hold for the rule, not just for the default configuration.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import holidays
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua_shared.workcal import CalendarOverride, OfficeHours, OverrideKind, WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FAST = settings(max_examples=100, deadline=None)

SCHEDULES = [
    OfficeHours.parse("07:00-11:30,13:30-17:00"),
    OfficeHours.parse("07:30-11:30,13:00-17:00"),
    OfficeHours.parse("08:00-10:00,10:15-12:00,13:00-16:45"),  # 7.5 h, three periods
]
CUTOFFS = [None, time(15, 0), time(11, 0), time(11, 30), time(16, 45)]

instants = st.datetimes(
    min_value=datetime(2024, 6, 1),
    max_value=datetime(2027, 6, 30),
    timezones=st.sampled_from([VN, timezone.utc]),
)
override_lists = st.lists(
    st.builds(
        CalendarOverride,
        st.dates(min_value=date(2024, 6, 1), max_value=date(2027, 12, 31)),
        st.sampled_from(list(OverrideKind)),
    ),
    max_size=25,
    unique_by=lambda override: override.day,
)
calendars = st.builds(
    lambda office, cutoff, overrides: WorkingCalendar(
        office_hours=office, cutoff=cutoff, overrides=overrides
    ),
    st.sampled_from(SCHEDULES),
    st.sampled_from(CUTOFFS),
    override_lists,
)
minutes = st.integers(min_value=0, max_value=40 * 480)
# Hours in 3-minute steps: exactly representable both as Decimal hours and as minutes.
decimal_hours = st.integers(min_value=0, max_value=2_000).map(lambda k: Decimal(k) / 20)


def hours(m: int) -> Fraction:
    return Fraction(m, 60)


def whole_minute(t: datetime) -> datetime:
    return t.replace(second=0, microsecond=0)


def in_office(cal: WorkingCalendar, t: datetime, *, closing_allowed: bool) -> bool:
    """Whether local `t` is inside an office period ((start, end] or [start, end))."""
    clock = t.astimezone(cal.tz).time()
    if closing_allowed:
        return any(start < clock <= end for start, end in cal.office_hours.periods)
    return any(start <= clock < end for start, end in cal.office_hours.periods)


@FAST
@given(calendars, instants)
def test_start_of_count_is_an_open_office_minute_not_before_receipt(cal, t):
    start = cal.start_of_count(t)
    assert start >= whole_minute(t)
    assert cal.is_working_day(start.astimezone(cal.tz).date())
    assert in_office(cal, start, closing_allowed=False)
    assert cal.start_of_count(start) == start  # idempotent


@FAST
@given(calendars, instants, minutes)
def test_recomputing_from_a_stored_start_of_count_gives_the_same_due(cal, t, m):
    start = cal.start_of_count(t)
    assert cal.add(start, hours(m), "working_hours") == cal.add(t, hours(m), "working_hours")


@FAST
@given(calendars, instants, minutes)
def test_due_is_inside_office_hours_of_a_working_day(cal, t, m):
    due = cal.add(t, hours(m), "working_hours")
    assert cal.is_working_day(due.astimezone(cal.tz).date())
    assert in_office(cal, due, closing_allowed=m > 0)
    assert due.second == due.microsecond == 0


@FAST
@given(calendars, instants, decimal_hours)
def test_elapsed_working_time_to_due_equals_the_duration(cal, t, h):
    due = cal.add(t, h, "working_hours")
    assert cal.working_hours_between(cal.start_of_count(t), due) == h


@FAST
@given(calendars, instants, minutes, minutes)
def test_more_time_never_gives_an_earlier_due(cal, t, m1, m2):
    low, high = sorted((m1, m2))
    assert cal.add(t, hours(low), "working_hours") <= cal.add(t, hours(high), "working_hours")


@FAST
@given(calendars, instants, instants, minutes)
def test_later_receipt_never_gives_an_earlier_due(cal, t1, t2, m):
    early, late = sorted((t1, t2))
    assert cal.add(early, hours(m), "working_hours") <= cal.add(late, hours(m), "working_hours")


@FAST
@given(calendars, instants, minutes, minutes)
def test_adding_in_two_steps_equals_adding_once(cal, t, a, b):
    once = cal.add(t, hours(a + b), "working_hours")
    assert cal.advance(cal.add(t, hours(a), "working_hours"), hours(b), "working_hours") == once
    start = cal.start_of_count(t)
    assert cal.advance(cal.advance(start, hours(a), "working_hours"), hours(b), "working_hours") == once


@FAST
@given(calendars, instants, st.integers(min_value=0, max_value=60))
def test_working_days_are_whole_office_days(cal, t, d):
    in_minutes = hours(d * cal.working_day_minutes)
    assert cal.add(t, d, "working_days") == cal.add(t, in_minutes, "working_hours")


@FAST
@given(calendars, instants, st.integers(min_value=0, max_value=400))
def test_calendar_days_end_at_closing_of_the_first_working_day_on_or_after(cal, t, n):
    due = cal.add(t, n, "calendar_days").astimezone(cal.tz)
    target = cal.start_of_count(t).astimezone(cal.tz).date() + timedelta(days=n)
    assert cal.is_working_day(due.date())
    assert due.time() == cal.office_hours.periods[-1][1]
    assert due.date() >= target
    gap = (due.date() - target).days
    assert not any(cal.is_working_day(target + timedelta(days=k)) for k in range(gap))


@FAST
@given(calendars, instants, minutes, instants)
def test_zero_length_pause_is_the_identity(cal, t, m, paused_at):
    due = cal.add(t, hours(m), "working_hours")
    assert cal.extend(due, paused_at, paused_at) == due


@FAST
@given(calendars, instants, minutes, instants, instants)
def test_pause_adds_exactly_its_working_time(cal, t, m, p1, p2):
    paused_from, paused_to = sorted((p1, p2))
    extended = cal.extend(cal.add(t, hours(m), "working_hours"), paused_from, paused_to)
    paused = cal.working_minutes_between(paused_from, paused_to)
    assert cal.working_minutes_between(cal.start_of_count(t), extended) == m + paused


@FAST
@given(calendars, instants, instants, instants)
def test_elapsed_working_time_adds_up_and_is_antisymmetric(cal, a, b, c):
    ab, bc = cal.working_minutes_between(a, b), cal.working_minutes_between(b, c)
    assert cal.working_minutes_between(a, c) == ab + bc
    assert cal.working_minutes_between(b, a) == -ab
    assert abs(ab) <= abs((b - a).total_seconds()) / 60 + 1


PACKAGE = holidays.country_holidays("VN", years=range(2009, 2033))
# The yearly schedule files agree with the package everywhere except the New Year 2026 swap, which the
# package misses (Công văn 12729/VPCP-KGVX: Fri 02/01/2026 off, Sat 10/01/2026 worked; docs/calendar.md).
FILE_CORRECTIONS = {date(2026, 1, 2): False, date(2026, 1, 10): True}


def official_working_day(day: date) -> bool:
    return FILE_CORRECTIONS.get(day, PACKAGE.is_working_day(day))


@FAST
@given(
    st.dates(min_value=date(2010, 1, 1), max_value=date(2031, 6, 30)),
    st.integers(min_value=1, max_value=40),
)
def test_working_days_agree_with_the_package(d, n):
    """Oracle: the package's own is_working_day (with the files' one correction), walked by hand from a
    09:00 receipt."""
    assume(official_working_day(d))
    expected, left = d, n
    while left:
        expected += timedelta(days=1)
        left -= official_working_day(expected)
    due = WorkingCalendar().add(datetime.combine(d, time(9), tzinfo=VN), n, "working_days")
    assert due == datetime.combine(expected, time(9), tzinfo=VN)
