"""Office hours (giờ làm việc): the periods of a working day during which deadlines run.

All arithmetic here is on whole minutes since local midnight ("minute of day"), so the
calendar never accumulates float drift. A period is half-open, [start, end): an office
that opens 07:00–11:30 is open at 07:00 and at 11:29, closed at 11:30.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

MINUTES_PER_HOUR = 60


def minute_of_day(value: time, what: str = "time") -> int:
    """Minutes since midnight of a naive, whole-minute `time` (the calendar's resolution)."""
    if not isinstance(value, time):
        raise TypeError(f"{what} must be a datetime.time, got {type(value).__name__}")
    if value.tzinfo is not None:
        raise ValueError(f"{what} must be a naive wall-clock time, got {value!r}")
    if value.second or value.microsecond:
        raise ValueError(f"{what} must be a whole minute, got {value.isoformat()}")
    return value.hour * MINUTES_PER_HOUR + value.minute


def _parse_clock(text: str) -> time:
    hours, _, minutes = text.strip().partition(":")
    return time(int(hours), int(minutes or 0))


@dataclass(frozen=True)
class OfficeHours:
    """The office periods of every working day, e.g. 07:00–11:30 and 13:30–17:00.

    One working day (ngày làm việc) is exactly the sum of the periods: 8 h for the default,
    matching "8 giờ làm việc = 1 ngày làm việc". A province with another schedule gets a
    working day of its own length rather than deadlines that end at odd clock times.
    """

    periods: tuple[tuple[time, time], ...]
    _spans: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        spans = tuple(
            (minute_of_day(start, "period start"), minute_of_day(end, "period end"))
            for start, end in self.periods
        )
        _check_spans(spans)
        object.__setattr__(self, "periods", tuple((start, end) for start, end in self.periods))
        object.__setattr__(self, "_spans", spans)

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Read a setting such as ``"07:00-11:30,13:30-17:00"`` (for per-province config)."""
        periods = []
        for chunk in text.split(","):
            start, sep, end = chunk.partition("-")
            if not sep:
                raise ValueError(f"office period {chunk!r} must look like HH:MM-HH:MM")
            periods.append((_parse_clock(start), _parse_clock(end)))
        return cls(tuple(periods))

    @property
    def day_minutes(self) -> int:
        """Length of one working day in minutes (480 for the default schedule)."""
        return sum(end - start for start, end in self._spans)

    @property
    def opening_minute(self) -> int:
        return self._spans[0][0]

    @property
    def closing_minute(self) -> int:
        return self._spans[-1][1]

    def worked_before(self, minute: int) -> int:
        """Office minutes of a working day that lie before `minute` (i.e. in [00:00, minute))."""
        return sum(max(0, min(minute, end) - start) for start, end in self._spans)

    def minute_reached(self, worked: int) -> int:
        """Earliest minute of day at which `worked` office minutes have elapsed since midnight.

        "Earliest" makes a duration that fills a period end at that period's closing
        (11:30, 17:00), never at the next opening.
        """
        if not 0 < worked <= self.day_minutes:
            raise ValueError(f"worked minutes must be in (0, {self.day_minutes}], got {worked}")
        for start, end in self._spans:
            if worked <= end - start:
                return start + worked
            worked -= end - start
        raise AssertionError("unreachable: worked was checked against day_minutes")

    def is_open_until(self, minute: int) -> bool:
        """Whether the office is open just before `minute` (start < minute <= end of a period)."""
        return any(start < minute <= end for start, end in self._spans)

    def next_open_minute(self, minute: int) -> int | None:
        """`minute` itself if the office is open then, else the next opening; None after closing."""
        for start, end in self._spans:
            if minute < end:
                return max(minute, start)
        return None


def _check_spans(spans: tuple[tuple[int, int], ...]) -> None:
    if not spans:
        raise ValueError("office hours need at least one period")
    previous_end = 0
    for start, end in spans:
        if start >= end:
            raise ValueError(f"office period must start before it ends, got {start}..{end} min")
        if start < previous_end:
            raise ValueError("office periods must be in order and must not overlap")
        previous_end = end


DEFAULT_OFFICE_HOURS = OfficeHours(((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0))))
"""07:00–11:30 and 13:30–17:00: the common provincial schedule, 8 h a day."""


def parse_cutoff(raw: str) -> time | None:
    """Read a reception cut-off setting: ``"15:00"``, or ``"off"`` for none."""
    if raw.strip().lower() == "off":
        return None
    return _parse_clock(raw)
