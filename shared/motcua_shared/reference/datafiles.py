"""Cell parsers and the error type shared by the reference data loaders.

The files themselves are read, normalised and checked as a whole set by `sets.py` (shipped in
``motcua_shared/reference/data``, read through `importlib.resources` so they are found the same way
from a source checkout and from an installed wheel). Each loader states the exact header it expects:
a renamed or missing column fails at load time with the file name, not later as a KeyError.
"""

from __future__ import annotations

from datetime import date

DATA_PACKAGE = "motcua_shared.reference"


class ReferenceDataError(ValueError):
    """A reference data file is malformed or contradicts itself."""


def parse_day(value: str, *, where: str) -> date:
    """Parse an ISO date cell, naming the file and line when it is not one."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ReferenceDataError(f"{where}: {value!r} is not an ISO date") from None


def parse_optional_day(value: str, *, where: str) -> date | None:
    """Parse an ISO date cell where empty means open-ended."""
    return parse_day(value, where=where) if value else None


def parse_bool(value: str, *, where: str) -> bool:
    """Parse a ``true``/``false`` cell; anything else is an error, not a silent False."""
    if value == "true":
        return True
    if value == "false":
        return False
    raise ReferenceDataError(f"{where}: {value!r} is not true/false")


def overlaps(
    first_from: date, first_to: date | None, second_from: date, second_to: date | None
) -> bool:
    """Whether two closed validity intervals (None = open end) share at least one day."""
    return (first_to is None or second_from <= first_to) and (
        second_to is None or first_from <= second_to
    )
