"""Which dossiers a report on unit U covers, and whether the officer asking may see them.

Dossiers keep the receiving unit's path as of reception (docs/contracts.md §3), so a 2019 dossier of
Chiềng Khương is "14.126.04222" and a 2026 one is "14.04222". The rules:

- The unit is read as it stood on the period's last day; a unit that no longer existed then (the
  districts after 30/06/2025) as it stood on its own last day, one not yet created as on its first.
- Covered: every dossier whose receiving-unit path has U's code at U's level, i.e. received at U or
  at a unit below it in the hierarchy of its own day. Province 14 covers everything in Sơn La under
  both hierarchies; district 126 covers the Sông Mã dossiers of the three-level years only (the
  district was abolished; from 01/07/2025 its communes report directly to the province).
- A two-level commune also covers the communes merged into it (Decision 124/2004: the merged unit
  keeps the code of the one holding the seat; `UnitDirectory.predecessors`), so "04222" for a period
  ending after 30/06/2025 includes the 2024 dossiers of old 04222 and of old 04213 Mường Sai. For a
  period ending before the reform the same code means the old commune alone.
- The officer may ask for U only if U is their unit or below it on that same day (the officer scope of
  every service, motcua_shared.web.scope.covers_unit); otherwise 403 (an action on a unit, docs/contracts.md §2).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Table
from sqlalchemy.sql.elements import ColumnElement

from motcua_shared.reference import Hierarchy, Level, UnknownUnit, hierarchy_for, load_units
from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import Forbidden, Invalid
from motcua_shared.web.scope import covers_unit

from .attribution import COLUMNS, RECEIVING
from .period import Period


@dataclass(frozen=True)
class UnitScope:
    code: str
    name: str
    level: Level
    as_of: date
    codes: tuple[str, ...]  # U, and in the two-level hierarchy the codes merged into it

    def condition(self, table: Table, attribution: str = RECEIVING) -> ColumnElement[bool]:
        """The dossiers under U: received in its subtree, or (`competent`) resolved by an agency in it."""
        return table.c[COLUMNS[attribution][self.level.value]].in_(self.codes)


def resolve(code: str, period: Period, officer: Principal) -> UnitScope:
    units = load_units()
    try:
        versions = units.versions(code)
    except UnknownUnit:
        raise Invalid("Không có đơn vị hành chính với mã này.", code="unknown_unit",
                      invalid_params=[{"name": "unit", "code": "unknown_unit", "reason": f"Mã {code} không tồn tại."}]) from None
    as_of = _as_of(versions, period.last_day)
    if not covers_unit(officer, code, as_of, units):
        raise Forbidden("Đơn vị này nằm ngoài phạm vi của bạn.", code="unit_out_of_scope")
    unit = units.get(code, as_of)
    codes = {code}
    if hierarchy_for(as_of) is Hierarchy.TWO_LEVEL:
        pending = [code]
        while pending:
            for predecessor in units.predecessors(pending.pop()):
                if predecessor not in codes:
                    codes.add(predecessor)
                    pending.append(predecessor)
    return UnitScope(code=code, name=unit.name, level=unit.level, as_of=as_of, codes=tuple(sorted(codes)))


def unit_name(code: str | None, on: date) -> str:
    """The name of a receiving unit for a report row: as on `on`, else its last known name."""
    if code is None:
        return "Không xác định"
    units = load_units()
    found = units.find(code, on)
    if found is not None:
        return found.name
    try:
        return units.versions(code)[-1].name
    except UnknownUnit:
        return code


def _as_of(versions, day: date) -> date:
    if any(version.valid_on(day) for version in versions):
        return day
    ended = [version.valid_to for version in versions if version.valid_to is not None and version.valid_to < day]
    return max(ended) if ended else min(version.valid_from for version in versions)
