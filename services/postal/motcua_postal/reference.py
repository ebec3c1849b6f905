"""The reference data this process works with: the units of the reference set in use, and the calendar."""
from functools import lru_cache

from motcua_shared.reference import UnitDirectory, load_units
from motcua_shared.workcal import WorkingCalendar


def units() -> UnitDirectory:
    # Not cached here: an imported reference set replaces it while the process runs (docs/reference-data.md).
    return load_units()


@lru_cache(maxsize=1)
def calendar() -> WorkingCalendar:
    return WorkingCalendar()
