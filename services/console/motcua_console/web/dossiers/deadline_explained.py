"""How a dossier's appointment was reached, in words an officer can check with the citizen: the
procedure's time limit, when the count started (a receipt after the cut-off counts from the next working
day), the days off inside the count (weekends, holidays, the province's declared days, with their notes)
and the pauses. The appointment itself is intake's; nothing here computes or corrects it: the working
calendar (the same library intake uses, with intake's declared days) only names the days that did not count.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from motcua_shared.reference import UnknownProcedure, load_catalogue
from motcua_shared.workcal import CalendarOverride, WorkingCalendar

from ...formatting import local, parse_moment

UNITS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày"}
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
MAX_LISTED = 12  # a long count (a 30-day procedure) lists its holidays; weekends are then only counted


@dataclass
class Explanation:
    limit: str | None = None
    counted_from: datetime | None = None
    after_cutoff: bool = False
    weekends: int = 0
    days_off: list[tuple[date, str]] = field(default_factory=list)  # (day, why) other than plain weekends
    listed_weekends: list[date] = field(default_factory=list)


def time_limit(procedure_code: str) -> str | None:
    """The procedure's time limit in words ("15 ngày làm việc"), from the reference set in use; None if unknown."""
    try:
        procedure = load_catalogue().get(procedure_code)
    except UnknownProcedure:
        return None
    time_limit = procedure.processing_time
    if time_limit.unit.value == "same_day":  # no amount: "0 …" would read as no time at all
        return "trong ngày"
    return f"{time_limit.value} {UNITS.get(time_limit.unit.value, time_limit.unit.value)}"


def explain(dossier: dict, declared: list[dict]) -> Explanation | None:
    """None when there is no appointment to explain (not yet received, or no limit)."""
    received, due = parse_moment(dossier.get("received_at")), parse_moment(dossier.get("due_at"))
    if received is None or due is None:
        return None
    overrides, notes = [], {}
    for item in declared:
        try:
            day = date.fromisoformat(item["day"])
            overrides.append(CalendarOverride(day=day, kind=item["kind"], note=item.get("note") or ""))
        except (KeyError, TypeError, ValueError):
            continue  # a row this version does not understand explains nothing; the appointment stands
        notes[day] = item.get("note") or ""
    calendar = WorkingCalendar(overrides=overrides)
    start = calendar.start_of_count(received)
    result = Explanation(limit=time_limit((dossier.get("procedure") or {}).get("code", "")), counted_from=start,
                         after_cutoff=local(start).date() > local(received).date())
    # From the day of receipt: a holiday between receipt and the start of the count explains that start.
    day, last = local(received).date(), local(due).date()
    while day <= last:
        if not calendar.is_working_day(day):
            if day.weekday() >= 5 and day not in notes:
                result.weekends += 1
                result.listed_weekends.append(day)
            else:
                result.days_off.append((day, notes.get(day) or "Ngày nghỉ lễ"))
        day += timedelta(days=1)
    if len(result.listed_weekends) + len(result.days_off) > MAX_LISTED:
        result.listed_weekends = []
    return result


def weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def years_between(dossier: dict) -> list[int]:
    """The years whose declared days the explanation needs."""
    received, due = parse_moment(dossier.get("received_at")), parse_moment(dossier.get("due_at"))
    if received is None or due is None:
        return []
    return list(range(local(received).year, local(due).year + 1))
