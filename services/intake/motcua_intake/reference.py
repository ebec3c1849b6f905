"""The shipped reference data this process works with, loaded once per process (they are immutable).

The procedure catalogue is served read-only from the shipped files rather than copied into a table an
administrator could edit: routing and reporting read the same files, so a procedure's route, level and
time limit mean the same thing in every service. A province changes its catalogue by changing
`procedures.csv` (reviewed, versioned) and redeploying; publication per procedure is the national
database's business, not the desk's.
"""
from functools import lru_cache

from motcua_shared.reference import AgencyDirectory, Catalogue, UnitDirectory, load_agencies, load_catalogue, load_units


@lru_cache(maxsize=1)
def units() -> UnitDirectory:
    return load_units()


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    return load_catalogue()


@lru_cache(maxsize=1)
def agencies() -> AgencyDirectory:
    return load_agencies()
