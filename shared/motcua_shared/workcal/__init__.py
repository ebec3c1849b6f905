"""Working-time calendar (lịch làm việc): legal deadlines in working hours, working days, calendar
days and "trong ngày" (same day).

Pure Python, no I/O. The exact rules (start of count, the clock time of a due instant,
rounding, pauses) are in the docstring of `motcua_shared.workcal.calendar`.

    cal = WorkingCalendar(overrides=rows_from_the_holiday_table)
    due = cal.add(received_at, 5, "working_days")        # appointment on the receipt
    due = cal.add(received_at, 0, "same_day")             # "trong ngày": 17:00, or the next day's after 15:00
    due = cal.extend(due, paused_from, paused_to)         # after a supplement (bổ sung)
    late = completed_at > due
    hours = cal.working_hours_between(received_at, completed_at)

Modules: `office_hours` (giờ làm việc), `overrides` (admin day table), `schedule_file` (one
year's official schedule file, checked), `official` (the shipped yearly files and the province's
MOTCUA_CALENDAR_DIR; the only module that reads files), `vietnam_holidays` (the `holidays`
package: the fallback for a year without a file), `days` (which dates are ngày làm việc),
`durations` (units and exact conversion), `calendar` (instants).
"""

from .calendar import DEFAULT_CUTOFF, DEFAULT_TIMEZONE, VIETNAM_TZ, WorkingCalendar, vietnam_today
from .durations import MAX_DURATION_DAYS, Amount, Unit
from .office_hours import DEFAULT_OFFICE_HOURS, OfficeHours, parse_cutoff
from .official import install, missing_years, official_year
from .schedule_file import ScheduleFileError
from .overrides import CalendarOverride, OverrideKind
from .vietnam_holidays import VietnamYear, vietnam_year

__all__ = [
    "DEFAULT_CUTOFF",
    "DEFAULT_OFFICE_HOURS",
    "DEFAULT_TIMEZONE",
    "MAX_DURATION_DAYS",
    "Amount",
    "CalendarOverride",
    "OfficeHours",
    "OverrideKind",
    "ScheduleFileError",
    "Unit",
    "VIETNAM_TZ",
    "VietnamYear",
    "WorkingCalendar",
    "install",
    "missing_years",
    "official_year",
    "vietnam_today",
    "parse_cutoff",
    "vietnam_year",
]
