"""Which officer may see which unit's data: one rule for every service (docs/contracts.md §2).

An officer sees what belongs to their unit and to the units below it, in the hierarchy in force on the
day the record came in. Records keep that day's lineage as a unit path ("14.126.04222" while districts
existed, "14.04222" from 01/07/2025), so "within the officer's scope" is "the officer's unit code is one
segment of the record's path": the officer of district 126 keeps seeing the 2019 records of its communes
but not the 2026 ones (no longer under any district), the officer of commune 04222 sees its records of
both hierarchies, and the province's officers (unit "14") see everything. Unit codes are unique across
levels (2, 3 or 5 digits), so a segment names one unit.

Every officer's token carries a unit code (auth.TokenVerifier refuses one that does not): there is no
"province-wide because no unit". A commune merged into another in 2025 keeps its own lineage: its
successor does not act on its earlier records (reporting alone follows the merged territory).

- `covers(principal, path)`: the predicate, for a record in hand;
- `clause(principal, column)`: the same rule as an SQL condition, for a listing;
- `covers_unit(principal, code, on)`: a unit named in a request (a report, a logbook, a filter);
- `found_in_scope(principal, row, ...)`: "find in scope or 404": outside their scope a record does not
  exist for an officer, and the answer is exactly the one an unknown record gets.
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Iterable, TypeVar

from sqlalchemy import false, literal
from sqlalchemy.sql import ColumnElement

from ..reference import UnitDirectory, UnknownUnit, load_units
from .auth import OFFICER_ROLES, UNIT_CODE, Principal
from .errors import NotFound

Row = TypeVar("Row")


def is_officer(principal: Principal) -> bool:
    return principal.has(*OFFICER_ROLES)


def _unit(principal: Principal) -> str | None:
    """The officer's unit code; None (nothing in scope) for anyone else. The verifier already refused an
    officer token without a well-formed code; checking again costs nothing and keeps LIKE patterns safe."""
    unit = principal.unit
    return unit if is_officer(principal) and unit and UNIT_CODE.fullmatch(unit) else None


def covers(principal: Principal, path: str | None) -> bool:
    """Whether a record whose unit path is `path` lies within the officer's scope."""
    unit = _unit(principal)
    return bool(unit and path and unit in path.split("."))


def clause(principal: Principal, column) -> ColumnElement[bool]:
    """SQL condition: the unit path in `column` lies within the officer's scope."""
    unit = _unit(principal)
    if unit is None:
        return false()
    # '.14.126.04222.' LIKE '%.126.%': a unit code is digits only, so nothing needs escaping.
    return (literal(".") + column + literal(".")).like(f"%.{unit}.%")


def covers_unit(principal: Principal, code: str, on: date | None = None, units: UnitDirectory | None = None) -> bool:
    """Whether unit `code` lies within the officer's scope: in the hierarchy in force on `on`, or, without
    a day, in any of the unit's versions (the district keeps its communes of the three-level years). An
    unknown code, or a unit that did not exist that day, is outside every scope."""
    unit = _unit(principal)
    if unit is None:
        return False
    units = units or load_units()
    if on is not None:
        return units.is_within(unit, code, on)
    try:
        versions = units.versions(code)
    except UnknownUnit:
        return False
    return any(covers(principal, units.path(code, version.valid_from)) for version in versions)


def found_in_scope(principal: Principal, row: Row | None, paths: str | Callable[[Row], Iterable[str | None]],
                   missing: NotFound) -> Row:
    """`row` if it exists and one of its unit paths lies within the officer's scope, else `missing` (a
    404 worded as for an unknown record). `paths` is the key of the row's path, or a function giving
    the paths that put it in someone's scope (a route: its receiving unit and each step's unit)."""
    if row is None:
        raise missing
    found = (row[paths],) if isinstance(paths, str) else paths(row)
    if not any(covers(principal, path) for path in found):
        raise missing
    return row
