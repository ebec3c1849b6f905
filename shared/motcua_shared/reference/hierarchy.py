"""The levels of Vietnamese local government and which hierarchy is in force on a given day.

Until 30/06/2025 local government had three levels (province, district, commune); from
01/07/2025 the district level is abolished and communes sit directly under the province
(Decree 118/2025/NĐ-CP and the two-level reform; docs/domain.md §7.3). The switch was national and on
one day, so it is a constant rather than something each province configures.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

TWO_LEVEL_FROM = date(2025, 7, 1)
"""First day of two-level local government. Every district-level unit closes the day before."""


class Level(StrEnum):
    """Administrative level of a unit, or of a step in a procedure's route."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


LEVEL_DEPTH: dict[Level, int] = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
"""Depth below the province: routes are written bottom-up (``commune district``) and only climb,
and a parent always sits at a smaller depth than its child."""


class Hierarchy(StrEnum):
    """The two shapes of local government the reference data describes."""

    THREE_LEVEL = "three_level"
    TWO_LEVEL = "two_level"


def as_day(on: date) -> date:
    """Return `on` as a calendar day, refusing datetimes.

    A datetime would be compared in whatever time zone it carries; a dossier received at
    23:30 on 30/06/2025 in Sơn La is in the three-level world, but its UTC date says the
    same and its naive `.date()` might not. Callers convert to the local day (Asia/Ho_Chi_Minh)
    themselves, where they know the zone.
    """
    if isinstance(on, datetime):
        raise TypeError("pass a date (the local day in Vietnam), not a datetime")
    if not isinstance(on, date):
        raise TypeError(f"expected a date, got {type(on).__name__}")
    return on


def hierarchy_for(on: date) -> Hierarchy:
    """Which hierarchy of local government is in force on day `on`."""
    return Hierarchy.TWO_LEVEL if as_day(on) >= TWO_LEVEL_FROM else Hierarchy.THREE_LEVEL
