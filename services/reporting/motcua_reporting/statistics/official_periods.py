"""The official reporting periods, by their codes: `2019-M05`, `2019-Q1`, `2019-6T`, `2019-6C`, `2019-9T`, `2019-N`.

Decree 09/2019/NĐ-CP (the reporting regime of state administrative bodies) Art. 12 fixes when the
figures of a periodic report are cut: Circular 01/2020/TT-VPCP, which sets Biểu 06/VPCP/KSTT, reports
under that decree, so its periods are these and not calendar months:

- month: from the 15th of the previous month to the 14th of the month reported on;
- quarter: from the 15th of the month before the quarter to the 14th of the quarter's last month;
- six months: the first half from 15 December of the previous year to 14 June, the second half from
  15 June to 14 December;
- year: from 15 December of the previous year to 14 December.

Nine months is not a period of Decree 09; provinces ask for a nine-month report all the same, and it
is offered with the same cut as the others (15 December of the previous year to 14 September), so
that it is the first half plus the third quarter. docs/reports.md says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .period import Period

PATTERN = r"^\d{4}-(M(0[1-9]|1[0-2])|Q[1-4]|6T|6C|9T|N)$"
_CODE = re.compile(PATTERN)
CUT_DAY = 14  # the last day of a period is the 14th of its last month; the next one starts on the 15th


@dataclass(frozen=True)
class OfficialPeriod:
    code: str
    name: str
    period: Period


def _cut(year: int, first_month: int, last_month: int) -> Period:
    """From the 15th of the month before `first_month` (of `year`) to the 14th of `last_month`."""
    starts = date(year, first_month, 1) - timedelta(days=1)  # the last day of the month before
    return Period(starts.replace(day=CUT_DAY + 1), date(year, last_month, CUT_DAY))


def parse(code: str) -> OfficialPeriod:
    """The period of a code; ValueError for anything else."""
    if not _CODE.match(code):
        raise ValueError(code)
    year, kind = int(code[:4]), code[5:]
    if year < 1900:
        raise ValueError(code)
    if kind.startswith("M"):
        month = int(kind[1:])
        return OfficialPeriod(code, f"Tháng {month} năm {year}", _cut(year, month, month))
    if kind.startswith("Q"):
        quarter = int(kind[1:])
        return OfficialPeriod(code, f"Quý {_ROMAN[quarter]} năm {year}", _cut(year, 3 * quarter - 2, 3 * quarter))
    first, last, name = {"6T": (1, 6, "6 tháng đầu năm"), "6C": (7, 12, "6 tháng cuối năm"),
                         "9T": (1, 9, "9 tháng"), "N": (1, 12, "Năm")}[kind]
    return OfficialPeriod(code, f"{name} {year}", _cut(year, first, last))


def of_year(year: int) -> list[OfficialPeriod]:
    """Every official period of a year, in the order an officer picks from: months, quarters, the halves,
    nine months, the year."""
    codes = ([f"{year}-M{month:02d}" for month in range(1, 13)] + [f"{year}-Q{quarter}" for quarter in range(1, 5)]
             + [f"{year}-6T", f"{year}-6C", f"{year}-9T", f"{year}-N"])
    return [parse(code) for code in codes]


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
