"""Who handles each step of a procedure for a given unit and day.

Joins the three reference sets: the procedure's route and roles for the hierarchy in force, the
unit's lineage on that day, and the agency holding each role at each unit. Intake uses it to
print the competent agency on the receipt; routing uses the steps' unit paths as routing keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .agencies import Agency, AgencyDirectory
from .hierarchy import Level
from .procedures import Procedure
from .units import Unit, UnitDirectory


@dataclass(frozen=True, slots=True)
class RouteStep:
    """One level of a procedure's route, resolved to a unit and the agencies acting there."""

    level: Level
    unit: Unit
    unit_path: str
    agencies: tuple[Agency, ...]


class RouteNotApplicable(LookupError):
    """The unit given sits above a level the route passes through (e.g. a district for a
    procedure lodged at the commune), so that step has no unit."""


def resolve_route(
    procedure: Procedure,
    unit_code: str,
    on: date,
    *,
    units: UnitDirectory,
    agencies: AgencyDirectory,
) -> tuple[RouteStep, ...]:
    """The steps of `procedure` for a dossier of unit `unit_code` received on `on`.

    `unit_code` is the lowest unit the dossier belongs to (usually the applicant's or the
    receiving commune); each step takes the unit of its level from that unit's lineage, so a
    provincial procedure lodged from commune 04222 resolves to province 14. Raises
    `UnknownUnit`, `RouteNotApplicable` or `UnknownAgency` when the data cannot answer.
    """
    lineage = {unit.level: unit for unit in units.lineage(unit_code, on)}
    handlers = procedure.handlers_on(on)
    steps = []
    for level in procedure.route_on(on):
        unit = lineage.get(level)
        if unit is None:
            raise RouteNotApplicable(
                f"{procedure.code}: unit {unit_code} has no {level} on {on.isoformat()}"
            )
        steps.append(
            RouteStep(
                level=level,
                unit=unit,
                unit_path=units.path(unit.code, on),
                agencies=tuple(agencies.for_role(role, unit.code, on) for role in handlers[level]),
            )
        )
    return tuple(steps)
