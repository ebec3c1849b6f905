"""One year's official schedule of days off (lịch nghỉ lễ, Tết) as a CSV file, read and checked.

The government decides each year which days civil servants are off: the statutory holidays, the
days in lieu (nghỉ bù) when a holiday falls on a weekend, and the decreed swaps (a bridge day off
for a Saturday worked). A package release cannot follow those notices, so each year is a file a
province administrator can add or correct (docs/calendar.md).

Format: UTF-8, lines starting with `#` are comments, then the header `date,kind,name,source,pair`
and one row per day:

    2026-01-02,swap_day_off,Ngày nghỉ hoán đổi (làm bù thứ Bảy 10/01/2026),Công văn 12729/VPCP-KGVX,2026-01-10

A file is checked whole before anything of it is used: a calendar half-read would give citizens
wrong appointment dates, so every problem is reported with its file and line, and none is skipped.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType

HEADER = ("date", "kind", "name", "source", "pair")
FILE_NAME = re.compile(r"^(\d{4})\.csv$")
SATURDAY = 5
MAX_TEXT = 300  # the override table's note column; a name longer than that is a pasting accident
# The fixed statutory holidays (Labour Code 2012 Art. 115, 2019 Art. 112): a year's file without one
# of them is truncated or mistyped, not a different law.
FIXED_HOLIDAYS = ((1, 1, "Tết Dương lịch"), (4, 30, "Ngày Chiến thắng"), (5, 1, "Ngày Quốc tế Lao động"),
                  (9, 2, "Quốc khánh"))


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # ngày lễ, Tết (off; on a weekend it changes nothing by itself)
    DAY_IN_LIEU = "day_in_lieu"  # nghỉ bù: a weekday off because a holiday fell on a weekend
    SWAP_DAY_OFF = "swap_day_off"  # ngày nghỉ hoán đổi: a weekday off, worked on a Saturday instead
    SWAP_WORKDAY = "swap_workday"  # ngày làm bù: the Saturday (or Sunday) worked for it

    @property
    def is_day_off(self) -> bool:
        return self is not DayKind.SWAP_WORKDAY


@dataclass(frozen=True)
class ScheduleRow:
    day: date
    kind: DayKind
    name: str
    source: str
    pair: date | None
    line: int


@dataclass(frozen=True, eq=False)
class YearSchedule:
    """The checked schedule of one year, and where it came from (for logs and /readyz)."""

    year: int
    origin: str
    rows: tuple[ScheduleRow, ...]

    @property
    def days_off(self) -> Mapping[date, str]:
        return MappingProxyType({row.day: row.name for row in self.rows if row.kind.is_day_off})

    @property
    def workdays(self) -> Mapping[date, str]:
        return MappingProxyType({row.day: row.name for row in self.rows if not row.kind.is_day_off})


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class ScheduleFileError(ValueError):
    """One or more files are wrong; `problems` names each file, line and problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("invalid calendar file(s):\n" + "\n".join(f"  {p}" for p in problems))


def year_of(path: Path) -> int | None:
    match = FILE_NAME.match(path.name)
    return int(match.group(1)) if match else None


def read_file(path: Path) -> YearSchedule:
    """Read and check `path` (named YYYY.csv); ScheduleFileError lists every problem found."""
    year = year_of(path)
    if year is None:
        raise ScheduleFileError([Problem(str(path), None, "the file name must be the year: YYYY.csv")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScheduleFileError([Problem(str(path), None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from exc
    return parse(text, year, str(path))


def parse(text: str, year: int, origin: str) -> YearSchedule:
    report = _Report(origin)
    problem = report.add
    rows: list[ScheduleRow] = []

    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise ScheduleFileError([Problem(origin, None, f"no header: the first line must be {','.join(HEADER)}")])
    header_line, header = lines[0]
    if tuple(cell.strip() for cell in next(csv.reader([header]))) != HEADER:
        problem(header_line, f"the header must be {','.join(HEADER)}, got {header.strip()!r}")
        raise ScheduleFileError(report.problems)
    for number, line in lines[1:]:
        row = _row(next(csv.reader(io.StringIO(line))), number, year, report)
        if row is not None:
            rows.append(row)
    _check_year(rows, year, problem)
    if report.problems:
        raise ScheduleFileError(report.problems)
    return YearSchedule(year=year, origin=origin, rows=tuple(sorted(rows, key=lambda r: r.day)))


def _row(cells: list[str], line: int, year: int, report: _Report) -> ScheduleRow | None:
    problem = report.add
    if len(cells) != len(HEADER):
        problem(line, f"expected {len(HEADER)} columns ({','.join(HEADER)}), got {len(cells)}")
        return None
    raw_day, raw_kind, name, source, raw_pair = (cell.strip() for cell in cells)
    found_before = len(report.problems)
    day = _date(raw_day, "date", line, problem)
    if day is not None and day.year != year:
        problem(line, f"date {raw_day} is not in {year}, the year of the file")
    try:
        kind = DayKind(raw_kind)
    except ValueError:
        problem(line, f"unknown kind {raw_kind!r}: one of {', '.join(k.value for k in DayKind)}")
        kind = None
    for what, value in (("name", name), ("source", source)):
        if not value:
            problem(line, f"the {what} is empty: every day needs its Vietnamese name and its legal source")
        elif len(value) > MAX_TEXT:
            problem(line, f"the {what} is longer than {MAX_TEXT} characters")
        elif unicodedata.normalize("NFC", value) != value:
            problem(line, f"the {what} is not in Unicode NFC (composed diacritics): save the file as NFC")
    pair = _date(raw_pair, "pair", line, problem) if raw_pair else None
    if day is not None and kind is not None:
        _check_weekday(day, kind, pair, line, problem)
    if len(report.problems) != found_before:
        return None  # reported, never kept
    return ScheduleRow(day, kind, name, source, pair, line)


def _check_weekday(day: date, kind: DayKind, pair: date | None, line: int, problem) -> None:
    weekend = day.weekday() >= SATURDAY
    if kind is DayKind.SWAP_WORKDAY and not weekend:
        problem(line, f"{day.isoformat()} is a {day.strftime('%A')}: a swap's worked day must be a Saturday or Sunday")
    if kind in (DayKind.DAY_IN_LIEU, DayKind.SWAP_DAY_OFF) and weekend:
        problem(line, f"{day.isoformat()} is a {day.strftime('%A')}: a {kind.value} must be a weekday")
    if kind in (DayKind.SWAP_DAY_OFF, DayKind.SWAP_WORKDAY):
        if pair is None:
            problem(line, f"a {kind.value} needs its pair: the date it is swapped with")
        elif pair == day:
            problem(line, "a swap cannot be paired with itself")
    elif pair is not None:
        problem(line, f"only swaps have a pair; a {kind.value} must leave it empty")


def _check_year(rows: list[ScheduleRow], year: int, problem) -> None:
    by_day: dict[date, ScheduleRow] = {}
    for row in rows:
        if row.day in by_day:
            problem(row.line, f"{row.day.isoformat()} is already on line {by_day[row.day].line}")
        else:
            by_day[row.day] = row
    for month, day_of_month, name in FIXED_HOLIDAYS:
        fixed = by_day.get(date(year, month, day_of_month))
        if fixed is None or fixed.kind is not DayKind.HOLIDAY:
            problem(None, f"the statutory holiday {name} ({day_of_month:02d}/{month:02d}/{year}) is missing")
    for row in by_day.values():
        if row.pair is None or row.pair.year != year:
            continue  # a swap across the new year (31/12 off, a January Saturday worked) pairs with another file
        other = by_day.get(row.pair)
        wanted = DayKind.SWAP_WORKDAY if row.kind is DayKind.SWAP_DAY_OFF else DayKind.SWAP_DAY_OFF
        if other is None or other.kind is not wanted or other.pair != row.day:
            problem(row.line, f"its pair {row.pair.isoformat()} must be a {wanted.value} row paired back with "
                              f"{row.day.isoformat()}")


def _date(raw: str, what: str, line: int, problem) -> date | None:
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        problem(line, f"the {what} {raw!r} is not a date YYYY-MM-DD")
        return None


class _Report:
    """The problems found in one file, in the order of its lines."""

    def __init__(self, origin: str):
        self.origin = origin
        self.problems: list[Problem] = []

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.origin, line, message))
