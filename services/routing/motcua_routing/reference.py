"""The reference data this process works with, loaded once per process (they are immutable)."""
from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo

from motcua_shared.reference import load_agencies, load_catalogue, load_units
from motcua_shared.workcal import DEFAULT_TIMEZONE, WorkingCalendar

from .plans import RoutePlans, read_plan_rows

LOCAL_TZ = ZoneInfo(DEFAULT_TIMEZONE)


# The shared loaders read and validate each file once per process; these names are routing's view.
units = load_units
catalogue = load_catalogue
agencies = load_agencies


@lru_cache(maxsize=1)
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


def local_day(moment):
    """The calendar day in Vietnam of an instant: which hierarchy and which agencies were in force."""
    return moment.astimezone(LOCAL_TZ).date()


@lru_cache(maxsize=2)
def plans(path: str = "") -> RoutePlans:
    """The route plans from `path` (ROUTING_PLANS_FILE) or the shipped file, validated once."""
    return RoutePlans.from_rows(read_plan_rows(path), catalogue())
