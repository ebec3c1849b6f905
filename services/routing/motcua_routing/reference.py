"""The reference data this process works with: units, procedures and agencies of the reference set in use
(replaced when an administrator imports a newer one, docs/reference-data.md), and the working calendar,
which follows the province's declarations."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session

from motcua_shared.province_calendar import CalendarCopy
from motcua_shared.reference import load_agencies, load_catalogue, load_units
from motcua_shared.reference.current import current as current_reference
from motcua_shared.workcal import VIETNAM_TZ, WorkingCalendar

from .models import calendar_overrides
from .plans import RoutePlans, read_plan_rows


# The shared loaders read and validate each file once per process; these names are routing's view.
units = load_units
catalogue = load_catalogue
agencies = load_agencies


_calendar = CalendarCopy(calendar_overrides)


def calendar(session: Session) -> WorkingCalendar:
    """The statutory calendar with the days off and working days the province declared at intake."""
    return _calendar.calendar(session)


def calendars_around_day_off(session: Session, day) -> tuple[WorkingCalendar, WorkingCalendar]:
    """The calendar with `day` still a working day, and with it a day off (rescheduling.py)."""
    return _calendar.around_day_off(session, day)


def apply_calendar_change(session: Session, _runtime, data: dict) -> None:
    """A `calendar.changed` from intake (loaded): keep it unless a later change of that day is kept."""
    _calendar.apply(session, data)


def local_day(moment):
    """The calendar day in Vietnam of an instant: which hierarchy and which agencies were in force."""
    return moment.astimezone(VIETNAM_TZ).date()


def plans(path: str = "") -> RoutePlans:
    """The route plans from `path` (ROUTING_PLANS_FILE) or the shipped file, validated once per reference
    set: a newly imported catalogue may change a route, and the plans must agree with it."""
    return _plans(path, current_reference().version)


@lru_cache(maxsize=2)
def _plans(path: str, _reference_version: str) -> RoutePlans:
    return RoutePlans.from_rows(read_plan_rows(path), catalogue())
