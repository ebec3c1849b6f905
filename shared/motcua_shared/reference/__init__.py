"""Reference data shipped with motcua: administrative units, the procedure catalogue and the
agencies that handle it, as versioned, validated, read-only objects.

Every service reads the same files through these loaders, so a unit path, a route or a folded
search string means the same thing in intake, routing and reporting. Loaders read the CSV files
once per process (``load_units()``, ``load_catalogue()``, ``load_agencies()``); the classes can
also be built from other rows, e.g. a province's own catalogue.
"""

from .agencies import ROLES, Agency, AgencyDirectory, UnknownAgency, load_agencies
from .competence import RouteNotApplicable, RouteStep, resolve_route
from .datafiles import ReferenceDataError
from .hierarchy import TWO_LEVEL_FROM, Hierarchy, Level, hierarchy_for
from .procedures import (
    Catalogue,
    CopyType,
    FeeBasis,
    OnlineLevel,
    OnlineLevel2019,
    Procedure,
    ProcessingTime,
    ProcessingTimeUnit,
    RequiredDocument,
    UnknownProcedure,
    load_catalogue,
    online_level_from_published,
)
from .text import fold
from .units import AmbiguousSuccession, Unit, UnitDirectory, UnknownUnit, load_units

__all__ = [
    "ROLES",
    "TWO_LEVEL_FROM",
    "Agency",
    "AgencyDirectory",
    "AmbiguousSuccession",
    "Catalogue",
    "CopyType",
    "FeeBasis",
    "Hierarchy",
    "Level",
    "OnlineLevel",
    "OnlineLevel2019",
    "Procedure",
    "ProcessingTime",
    "ProcessingTimeUnit",
    "ReferenceDataError",
    "RequiredDocument",
    "RouteNotApplicable",
    "RouteStep",
    "Unit",
    "UnitDirectory",
    "UnknownAgency",
    "UnknownProcedure",
    "UnknownUnit",
    "fold",
    "hierarchy_for",
    "load_agencies",
    "load_catalogue",
    "load_units",
    "online_level_from_published",
    "resolve_route",
]
