"""Which dates are working days (ngày làm việc): overrides, then the year's official schedule (its
file, else the package), then the weekend."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from .overrides import CalendarOverride, OverrideKind, index_overrides
from .official import official_year

SATURDAY = 5
ONE_DAY = timedelta(days=1)
MAX_CONSECUTIVE_DAYS_OFF = 366
"""No schedule has more than ~10 days off in a row; a year without a working day means the override
table is wrong, and an error says so instead of a search that never ends."""


def require_date(value: object, what: str = "day") -> date:
    """Reject datetimes: their date depends on the time zone, so callers must convert first."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"{what} must be a datetime.date; convert an instant with .astimezone(tz).date()"
        )
    return value


class WorkingDays:
    """The day rule. Precedence: an admin override, else the year's official schedule (a holiday,
    nghỉ bù or swapped bridge day is off, a make-up Saturday is on), else Saturday and Sunday are off."""

    def __init__(self, overrides: Iterable[CalendarOverride] = ()) -> None:
        self._overrides = index_overrides(overrides)

    def is_working_day(self, day: date) -> bool:
        kind = self._overrides.get(day)
        if kind is not None:
            return kind is OverrideKind.WORKING_DAY
        year = official_year(day.year)
        if day.weekday() >= SATURDAY:
            return day in year.weekend_workdays  # ngày làm bù
        return day not in year.days_off  # lễ, Tết, nghỉ bù

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.working_day_on_or_after(day + ONE_DAY)

    def working_day_on_or_after(self, day: date) -> date:
        for _ in range(MAX_CONSECUTIVE_DAYS_OFF):
            if self.is_working_day(day):
                return day
            day += ONE_DAY
        raise ValueError(
            f"no working day in the {MAX_CONSECUTIVE_DAYS_OFF} days before {day.isoformat()}: "
            "check the day-off overrides"
        )
