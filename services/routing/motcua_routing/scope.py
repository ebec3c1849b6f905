"""An officer's scope (contracts.md §2): their own unit and the units below it.

Routing compares unit paths: every step and route keeps the path its unit had on the day the
dossier was received, and an officer's unit has one path per version ("14.126.04222" while
districts existed, "14.04222" after). A district officer of 126 thus sees the 2019 steps of its
communes ("14.126.04222") but not the 2026 ones ("14.04222", no longer under any district).
"""
from __future__ import annotations

from sqlalchemy import false, or_, true

from motcua_shared.reference import UnknownUnit
from motcua_shared.web.auth import Principal

from . import reference

OFFICERS = ("receptionist", "specialist", "leader", "admin", "auditor")
HANDLERS = ("specialist", "leader")  # who claims and completes steps


class Scope:
    def __init__(self, principal: Principal):
        self.principal = principal
        # A province-wide administrator has no unit claim and sees everything.
        self.everything = principal.has("admin") and principal.unit is None
        self.paths = () if self.everything or principal.unit is None else unit_paths(principal.unit)

    def covers(self, path: str) -> bool:
        return self.everything or any(path == p or path.startswith(p + ".") for p in self.paths)

    def clause(self, column):
        """SQL condition: `column` (a unit path) lies within the scope."""
        if self.everything:
            return true()
        if not self.paths:
            return false()
        return or_(*(or_(column == p, column.like(p + ".%")) for p in self.paths))


def unit_paths(code: str) -> tuple[str, ...]:
    """The paths of every version of unit `code` (none for an unknown code)."""
    units = reference.units()
    try:
        versions = units.versions(code)
    except UnknownUnit:
        return ()
    return tuple(dict.fromkeys(units.path(code, version.valid_from) for version in versions))
