"""A reporting period: whole days in Vietnam, from the start of `from` to the end of `to`."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, timedelta

from ..projection import times


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date

    def __post_init__(self):
        if self.last_day < self.first_day:
            raise ValueError("the period ends before it starts")

    @cached_property
    def start(self) -> datetime:
        return times.start_of_day(self.first_day)

    @cached_property
    def end(self) -> datetime:
        """Exclusive: 00:00 of the day after `last_day` (Asia/Ho_Chi_Minh)."""
        return times.end_of_day(self.last_day)

    def months(self) -> list["Period"]:
        """The calendar months the period touches, each cut to the period."""
        found, first = [], self.first_day
        while first <= self.last_day:
            next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
            found.append(Period(first, min(next_month - timedelta(days=1), self.last_day)))
            first = next_month
        return found

    def label(self) -> str:
        return f"{self.first_day:%d/%m/%Y} – {self.last_day:%d/%m/%Y}"
