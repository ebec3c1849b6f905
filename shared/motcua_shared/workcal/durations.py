"""Processing-time amounts and their units, converted exactly to whole minutes or days.

Amounts may be fractional ("4 giờ làm việc" = half a day, 1.5 ngày làm việc) but must come to
a whole number of minutes: there is no rounding anywhere. A catalogue entry that does not
(e.g. 1/7 hour) is a data error and is refused, so every service computes the same due time.
Floats are read through their shortest repr (0.1 → "0.1"), so a float from JSON converts
exactly as its decimal text would; Decimal, int and Fraction convert exactly.
"""

from __future__ import annotations

import math
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .office_hours import MINUTES_PER_HOUR

Amount = int | Decimal | float | Fraction

MAX_DURATION_DAYS = 36_500
"""About a century, in days of the unit: a longer processing time is a data error, and the cap
keeps every walk over the calendar short."""


class Unit(StrEnum):
    """The four units of the public contract (`processing_time.unit`)."""

    WORKING_HOURS = "working_hours"  # giờ làm việc
    WORKING_DAYS = "working_days"  # ngày làm việc
    CALENDAR_DAYS = "calendar_days"  # ngày (theo lịch)
    SAME_DAY = "same_day"  # trong ngày: value 0, due at the close of the day the count starts


def as_unit(unit: Unit | str) -> Unit:
    try:
        return Unit(unit)
    except ValueError:
        allowed = ", ".join(u.value for u in Unit)
        raise ValueError(f"unit must be one of {allowed}, got {unit!r}") from None


def exact_amount(value: Amount) -> Fraction:
    """`value` as an exact non-negative rational; refuses bools, NaN, infinities and negatives."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float, Fraction)):
        raise TypeError(f"duration must be int, Decimal, float or Fraction, got {value!r}")
    if not _is_finite(value):
        raise ValueError(f"duration must be finite, got {value!r}")
    amount = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    if amount < 0:
        raise ValueError(f"duration must not be negative, got {value!r}")
    return amount


def _is_finite(value: Amount) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite()
    if isinstance(value, float):
        return math.isfinite(value)
    return True  # int and Fraction; math.isfinite would overflow on a huge int


def to_working_minutes(value: Amount, unit: Unit, working_day_minutes: int) -> int:
    """Whole working minutes of an amount in working hours or working days."""
    per_unit = {Unit.WORKING_HOURS: MINUTES_PER_HOUR, Unit.WORKING_DAYS: working_day_minutes}
    if unit not in per_unit:
        raise ValueError(f"{unit.value} is not a working-time unit")
    minutes = exact_amount(value) * per_unit[unit]
    if minutes.denominator != 1:
        raise ValueError(f"{value!r} {unit.value} is not a whole number of minutes")
    if minutes > MAX_DURATION_DAYS * working_day_minutes:
        raise ValueError(f"{value!r} {unit.value} exceeds {MAX_DURATION_DAYS} days")
    return int(minutes)


def require_same_day(value: Amount) -> None:
    """A same-day time limit has no amount: the contract pins its value to 0 (docs/contracts.md §5).
    Any other value would be a second, unstated rule, so it is refused rather than guessed at."""
    if exact_amount(value) != 0:
        raise ValueError(f"a same_day time limit has value 0, got {value!r}")


def to_calendar_days(value: Amount) -> int:
    """Whole calendar days; a fraction of a calendar day has no meaning for a date deadline."""
    days = exact_amount(value)
    if days.denominator != 1:
        raise ValueError(f"calendar days must be whole, got {value!r}")
    if days > MAX_DURATION_DAYS:
        raise ValueError(f"{value!r} calendar days exceeds {MAX_DURATION_DAYS}")
    return int(days)
