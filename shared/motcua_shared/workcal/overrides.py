"""Admin overrides of the day rule: one row of the holiday table an administrator edits.

The yearly schedule files (`official`) hold the statutory holidays and the government's decreed
swaps, but not everything: a province may give an extra day off, or make a Saturday a working
day (làm bù), or a notice may come after the year's file was installed. An override always wins
over the schedule and over the weekend rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class OverrideKind(StrEnum):
    DAY_OFF = "day_off"  # ngày nghỉ
    WORKING_DAY = "working_day"  # ngày làm việc (e.g. a Saturday worked: làm bù)


@dataclass(frozen=True)
class CalendarOverride:
    """A date declared a day off or a working day, with the admin's note (e.g. the decision number)."""

    day: date
    kind: OverrideKind
    note: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.day, datetime) or not isinstance(self.day, date):
            raise TypeError(f"override day must be a datetime.date, got {self.day!r}")
        try:
            kind = OverrideKind(self.kind)
        except ValueError:
            allowed = ", ".join(k.value for k in OverrideKind)
            raise ValueError(f"override kind must be one of {allowed}, got {self.kind!r}") from None
        object.__setattr__(self, "kind", kind)


def index_overrides(overrides: Iterable[CalendarOverride]) -> dict[date, OverrideKind]:
    """Overrides keyed by date; two rows for one date is a data error, not a silent last-wins."""
    by_day: dict[date, OverrideKind] = {}
    for override in overrides:
        if not isinstance(override, CalendarOverride):
            raise TypeError(f"expected CalendarOverride, got {type(override).__name__}")
        if override.day in by_day:
            raise ValueError(f"more than one override for {override.day.isoformat()}")
        by_day[override.day] = override.kind
    return by_day
