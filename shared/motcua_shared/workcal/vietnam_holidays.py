"""Vietnamese public holidays per year, read from the `holidays` package and cached: the fallback
for a year without an official schedule file (`official`), which misses the decisions the
package has not caught up with (the New Year 2026 swap, for one).

What the package provides (holidays 0.109, `countries/vietnam.py`):

- the statutory holidays (Labour Code 2019 Art. 112), Tết days moved off weekends, and days
  off in lieu (nghỉ bù) under the observed rule Sat/Sun → next working day;
- the government's announced swaps (`special_public_holidays`): the bridge day becomes a
  holiday and the Saturday worked in exchange (ngày làm bù) goes into `weekend_workdays`;
- Vietnam Cultural Day, 24/11, from 2026.

`weekend_workdays` is filled in two places: `StaticHolidays.__init__` adds every cross-year
swap for all years (e.g. Sat 2019-01-05, worked for Mon 2018-12-31), and populating a year
adds that year's own swaps. Building one year and keeping only its dates is therefore
complete. Outside the package's lunar tables (1901–2100) there are simply no holidays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays


PACKAGE_ORIGIN = "holidays package"


@dataclass(frozen=True, eq=False)
class VietnamYear:
    """One year's days off with their Vietnamese names, and make-up days; `origin` says where they
    come from (the package, or an official schedule file: see `official`)."""

    year: int
    days_off: Mapping[date, str]
    weekend_workdays: frozenset[date]
    origin: str = PACKAGE_ORIGIN
    # The worked weekend days' names where the source gives them (the schedule files do; the package not).
    workday_names: Mapping[date, str] = field(default_factory=lambda: MappingProxyType({}))


@lru_cache(maxsize=256)
def vietnam_year(year: int) -> VietnamYear:
    """The package's days off and make-up Saturdays of `year`, built once per process.

    Building a year costs about a millisecond; the calendar asks for it for every day it
    walks, so it is cached. The result is immutable, so sharing it between calendars with
    different overrides (tenants) is safe.
    """
    vn = holidays.country_holidays("VN", years=year, language="vi")
    days_off = {day: name for day, name in sorted(vn.items()) if day.year == year}
    workdays = frozenset(day for day in vn.weekend_workdays if day.year == year)
    return VietnamYear(year=year, days_off=MappingProxyType(days_off), weekend_workdays=workdays)
