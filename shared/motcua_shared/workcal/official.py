"""The official schedules this process computes with: the yearly files shipped in `data/`, replaced
year by year by the files of the province's directory (MOTCUA_CALENDAR_DIR).

`install(directory)` reads and checks every file before any is used: one bad file and nothing is
installed (ScheduleFileError names each file, line and problem), so a service never starts with a
half-loaded calendar. Until a process installs explicitly, the first question builds the reference
set (motcua_shared.reference.current: the shipped files, MOTCUA_REFERENCE_DIR/calendar and
MOTCUA_CALENDAR_DIR), whose calendar files are installed here through `use_years`, so scripts and
tests compute with the same days as the services.

A year without a file (before 2019, or a year whose notice no one has added yet) falls back to the
statutory rule as the `holidays` package computes it (fixed holidays, lunar Tết and Hùng Kings,
nghỉ bù, and the swaps the package knows). That fallback misses what the government decides each
year, so it is logged as a warning once per year and shown by `missing_years` (in /readyz).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .schedule_file import Problem, ScheduleFileError, YearSchedule, read_file, year_of
from .vietnam_holidays import VietnamYear, vietnam_year

log = logging.getLogger("motcua.workcal")

BUILT_IN_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True, eq=False)
class Schedules:
    """Checked year files by year; `origin` of each says whether it is shipped or the province's."""

    years: Mapping[int, YearSchedule]

    def __post_init__(self) -> None:
        # Built once: the calendar asks for a year at every day it walks.
        built = {year: VietnamYear(year=year, days_off=schedule.days_off,
                                   weekend_workdays=frozenset(schedule.workdays), origin=schedule.origin,
                                   workday_names=schedule.workdays)
                 for year, schedule in self.years.items()}
        object.__setattr__(self, "_built", built)

    def year(self, year: int) -> VietnamYear:
        built = self._built.get(year)  # type: ignore[attr-defined]
        return built if built is not None else vietnam_year(year)


def read_directory(directory: Path) -> dict[int, YearSchedule]:
    """Every YYYY.csv of `directory`, checked; all problems of all files in one ScheduleFileError."""
    if not directory.is_dir():
        raise ScheduleFileError([Problem(str(directory), None, "not a directory")])
    problems: list[Problem] = []
    found: dict[int, YearSchedule] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() != ".csv":
            continue  # a README or the notice's scan beside the files is fine
        if year_of(path) is None:
            problems.append(Problem(str(path), None, "the file name must be the year: YYYY.csv"))
            continue
        try:
            schedule = read_file(path)
        except ScheduleFileError as exc:
            problems.extend(exc.problems)
            continue
        found[schedule.year] = schedule
    if problems:
        raise ScheduleFileError(problems)
    return found


def load(directory: str | Path | None) -> Schedules:
    """The shipped files, then `directory`'s (same year: the directory's wins). Raises ScheduleFileError."""
    years = read_directory(BUILT_IN_DIR)
    if directory:
        replaced = read_directory(Path(directory))
        for year, schedule in sorted(replaced.items()):
            log.info("calendar_year_replaced" if year in years else "calendar_year_added",
                     extra={"year": year, "file": schedule.origin})
        years.update(replaced)
    return Schedules(MappingProxyType(dict(sorted(years.items()))))


_lock = threading.Lock()
_installed: Schedules | None = None
_warned: set[int] = set()


def install(directory: str | Path | None) -> Schedules:
    """Check and use the files of `directory` (and the shipped ones) from now on in this process."""
    global _installed
    schedules = load(directory)
    with _lock:
        _installed = schedules
        _warned.clear()
    return schedules


def use_years(years: Mapping[int, YearSchedule]) -> Schedules:
    """Use already checked year files (a reference set's calendar, motcua_shared.reference) from now on."""
    global _installed
    schedules = Schedules(MappingProxyType(dict(sorted(years.items()))))
    with _lock:
        _installed = schedules
        _warned.clear()
    return schedules


def installed() -> Schedules:
    with _lock:
        if _installed is not None:
            return _installed
    # The calendar is part of the reference set (shipped files, MOTCUA_REFERENCE_DIR/calendar and
    # MOTCUA_CALENDAR_DIR): building the set installs its years here.
    from ..reference.current import current

    current()
    with _lock:
        return _installed  # type: ignore[return-value]


def official_year(year: int) -> VietnamYear:
    """The days off and worked weekend days of `year`: its file, else the package (warned once)."""
    schedules = installed()
    if year not in schedules.years and year not in _warned:  # the set is only read here: a race warns twice at worst
        with _lock:
            first = year not in _warned
            _warned.add(year)
        if first:
            log.warning("calendar_year_not_loaded", extra={
                "year": year, "detail": f"no official schedule file for {year}: deadlines use the statutory rule "
                                        f"of the holidays package, without that year's decreed swaps"})
    return schedules.year(year)


def missing_years(years: Iterable[int]) -> list[int]:
    """Which of `years` have no official schedule file (for /readyz)."""
    loaded = installed().years
    return [year for year in years if year not in loaded]

