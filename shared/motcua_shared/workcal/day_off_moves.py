"""How a deadline moves when a working day is declared a day off after the deadline was given.

The citizen was promised an amount of working time. A day declared off takes away the working time
that day had before the deadline; that time is added back after the deadline, counted on the new
calendar:

- a deadline on a later day moves by one whole working day (Fri 09:00 → Mon 09:00 over a weekend);
- a deadline on the day itself keeps the working time already run that day: due 10:00 on the
  day off (3 h after 07:00) → 10:00 of the next working day; due at 17:00 (the closing, as a
  same-day deadline) → 17:00 of the next working day;
- a deadline before the day does not move.

Calendar-day deadlines are different: days off inside a calendar-day period count like any other
day; only a due date that itself becomes a day off moves, to the closing of the next working day
(the rule of `calendar`).

The reverse, a day off turned into a working day, moves nothing: the appointment is a promise given
to the citizen, and bringing it earlier would make late a dossier the agency planned on time
(docs/calendar.md).

This works the same inside a supplement pause: the pause's working time, measured later on the new
calendar, no longer holds the day, and the due time already carries it, so nothing is counted twice.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from fractions import Fraction

from .calendar import WorkingCalendar
from .durations import Unit
from .office_hours import MINUTES_PER_HOUR


def moved_by_day_off(due: datetime, day: date, before: WorkingCalendar, after: WorkingCalendar,
                     *, calendar_days: bool = False) -> datetime:
    """`due` as it stands once `day` is a day off: `before` is the calendar the due time was computed
    with (where `day` was a working day), `after` the calendar with the declaration."""
    tz = before.tz
    start = datetime.combine(day, time(0), tzinfo=tz)
    if due < start or after.is_working_day(day) or not before.is_working_day(day):
        return due
    if calendar_days:
        if due.astimezone(tz).date() != day:
            return due
        return after.advance(start, 0, Unit.CALENDAR_DAYS)
    lost = before.working_minutes_between(start, min(due, start + timedelta(days=1)))
    if lost == 0:
        return due
    # A Fraction, not a Decimal: 38 minutes are 19/30 of an hour exactly, where Decimal(38) / 60 rounds to
    # 0.6333… and is then refused as not a whole number of minutes (two times out of three, by the clock).
    return after.advance(due, Fraction(lost, MINUTES_PER_HOUR), Unit.WORKING_HOURS)
