"""The reference data this process works with, loaded once per process (they are immutable)."""
from functools import lru_cache

from motcua_shared.reference import UnitDirectory, load_units
from motcua_shared.workcal import WorkingCalendar


@lru_cache(maxsize=1)
def units() -> UnitDirectory:
    return load_units()


@lru_cache(maxsize=1)
def calendar() -> WorkingCalendar:
    return WorkingCalendar()
