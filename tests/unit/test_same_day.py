""""Trong ngày" (unit same_day, value 0): due at the close of office hours (17:00) of the day of
receipt, or of the next working day when received at or after the cut-off (15:00, "sau 15 giờ") or on
a day off. Every expected instant below is worked out by hand on the 2019 calendar (Asia/Ho_Chi_Minh):
14/03/2019 is a Thursday; 30/04 and 01/05/2019 are public holidays and Monday 29/04/2019 was given off
in exchange for Saturday 04/05/2019; Monday 02/09/2019 is National Day.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua_shared.reference import ProcessingTime, ProcessingTimeUnit, ReferenceDataError, load_catalogue
from motcua_shared.workcal import CalendarOverride, OfficeHours, OverrideKind, Unit, WorkingCalendar

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (vn(2019, 3, 14, 9), vn(2019, 3, 14, 17)),  # Thursday morning → that day's close
        (vn(2019, 3, 14, 6, 30), vn(2019, 3, 14, 17)),  # before opening → that day
        (vn(2019, 3, 14, 12), vn(2019, 3, 14, 17)),  # lunch break, before the cut-off → that day
        (vn(2019, 3, 14, 14, 59), vn(2019, 3, 14, 17)),  # last minute before the cut-off
        (vn(2019, 3, 14, 15), vn(2019, 3, 15, 17)),  # exactly 15:00: "at or after" the cut-off
        (vn(2019, 3, 14, 15, 30), vn(2019, 3, 15, 17)),  # Thursday after 15:00 → Friday's close
        (vn(2019, 3, 14, 17, 30), vn(2019, 3, 15, 17)),  # after closing → Friday's close
        (vn(2019, 3, 15, 15, 30), vn(2019, 3, 18, 17)),  # Friday after 15:00 → Monday's close
        (vn(2019, 3, 16, 9), vn(2019, 3, 18, 17)),  # Saturday → Monday's close
        (vn(2019, 3, 17, 14), vn(2019, 3, 18, 17)),  # Sunday → Monday's close
        (vn(2019, 8, 30, 15, 30), vn(2019, 9, 3, 17)),  # Friday before National Day, after 15:00 → Tuesday
        (vn(2019, 4, 26, 15, 30), vn(2019, 5, 2, 17)),  # before 29/04 (swapped), 30/04, 01/05 → Thursday
        (vn(2019, 4, 30, 9), vn(2019, 5, 2, 17)),  # received on the holiday → the next working day
        (vn(2019, 5, 4, 9), vn(2019, 5, 4, 17)),  # the make-up Saturday is a working day
    ],
)
def test_same_day_is_the_close_of_the_day_the_count_starts(cal, received, due):
    assert cal.add(received, 0, "same_day") == due
    assert cal.add(received, 0, Unit.SAME_DAY) == due
    assert cal.add(received, 0, ProcessingTimeUnit.SAME_DAY) == due  # the catalogue's own enum


def test_the_cutoff_and_office_hours_are_the_calendars_own():
    # A desk that closes at 16:30 with a 16:00 cut-off: 15:30 is still "today", 16:00 is tomorrow.
    late_desk = WorkingCalendar(office_hours=OfficeHours.parse("07:30-11:30,13:00-16:30"), cutoff=time(16, 0))
    assert late_desk.add(vn(2019, 3, 14, 15, 30), 0, "same_day") == vn(2019, 3, 14, 16, 30)
    assert late_desk.add(vn(2019, 3, 14, 16), 0, "same_day") == vn(2019, 3, 15, 16, 30)
    # No cut-off: anything before closing is due the same day.
    no_cutoff = WorkingCalendar(cutoff=None)
    assert no_cutoff.add(vn(2019, 3, 14, 16, 59), 0, "same_day") == vn(2019, 3, 14, 17)
    assert no_cutoff.add(vn(2019, 3, 14, 17), 0, "same_day") == vn(2019, 3, 15, 17)


def test_a_declared_day_off_counts_like_a_holiday():
    # The province declares Friday 15/03/2019 off: a Thursday 15:30 receipt is due Monday 18/03 17:00.
    cal = WorkingCalendar(overrides=[CalendarOverride(day=vn(2019, 3, 15).date(), kind=OverrideKind.DAY_OFF)])
    assert cal.add(vn(2019, 3, 14, 15, 30), 0, "same_day") == vn(2019, 3, 18, 17)


def test_advance_has_no_cutoff(cal):
    # Per-step times and extensions skip time outside office hours but ignore the reception cut-off.
    assert cal.advance(vn(2019, 3, 14, 15, 30), 0, "same_day") == vn(2019, 3, 14, 17)
    assert cal.advance(vn(2019, 3, 14, 17, 30), 0, "same_day") == vn(2019, 3, 15, 17)
    assert cal.advance(vn(2019, 3, 16, 9), 0, "same_day") == vn(2019, 3, 18, 17)


def test_the_working_time_of_a_same_day_window_is_what_routing_splits(cal):
    # Routing's total: start of count → appointment. 09:00 → 17:00 is 2 h 30 + 3 h 30 = 6 h.
    received = vn(2019, 3, 14, 9)
    assert cal.working_minutes_between(cal.start_of_count(received), cal.add(received, 0, "same_day")) == 360
    # After the cut-off the count starts at Friday 07:00: a whole working day, 8 h.
    late = vn(2019, 3, 14, 15, 30)
    assert cal.start_of_count(late) == vn(2019, 3, 15, 7)
    assert cal.working_minutes_between(cal.start_of_count(late), cal.add(late, 0, "same_day")) == 480


def test_a_pause_pushes_a_same_day_appointment_by_its_working_time(cal):
    # Due Thu 14/03 17:00; paused Thu 10:00 → Thu 14:00 (1 h 30 + 30 min = 2 working hours): Fri 09:00.
    assert cal.extend(vn(2019, 3, 14, 17), vn(2019, 3, 14, 10), vn(2019, 3, 14, 14)) == vn(2019, 3, 15, 9)


@pytest.mark.parametrize("value", [1, 8, Decimal("0.5"), -1])
def test_same_day_has_no_amount(cal, value):
    with pytest.raises(ValueError):
        cal.add(vn(2019, 3, 14, 9), value, "same_day")


def test_the_catalogues_same_day_procedures():
    same_day = {p.code for p in load_catalogue().all() if p.processing_time.unit is ProcessingTimeUnit.SAME_DAY}
    # The six coded rows the reference file marks same_day (2.000528, foreign-element birth
    # registration, shipped since issue 14 with an unpublished fee, among them), its two rows without
    # a code (local MC.003, MC.007) and 2.000635 ("trong ngày, sau 15 giờ thì hôm sau").
    assert same_day == {"1.001193", "1.000656", "1.000894", "2.000815", "2.000884", "2.000528", "2.000635", "MC.003",
                        "MC.007"}
    for code in same_day:
        assert load_catalogue().get(code).processing_time.value == 0


def test_a_same_day_row_with_an_amount_is_refused():
    from motcua_shared.reference.procedures import _validate

    birth = load_catalogue().get("1.001193")
    _validate(birth)  # as shipped: same_day, 0
    for bad in (ProcessingTime(value=8, unit=ProcessingTimeUnit.SAME_DAY),
                ProcessingTime(value=0, unit=ProcessingTimeUnit.WORKING_HOURS)):
        with pytest.raises(ReferenceDataError):
            _validate(replace(birth, processing_time=bad))
