"""Reading the CSV files shipped in ``motcua_shared/reference/data``.

The files are read through `importlib.resources` so they are found the same way from a source
checkout and from an installed wheel. Each loader states the exact header it expects: a renamed
or missing column fails at load time with the file name, not later as a KeyError deep in a service.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Sequence
from datetime import date
from importlib.resources import files

DATA_PACKAGE = "motcua_shared.reference"


class ReferenceDataError(ValueError):
    """A reference data file is malformed or contradicts itself."""


def read_rows(file_name: str, columns: Sequence[str]) -> list[dict[str, str]]:
    """Return the rows of a shipped data file as dicts of NFC-normalised, stripped strings.

    Normalising here means a file edited with an NFD-producing tool still compares equal to
    names typed on a desk keyboard; the tests separately keep the shipped files NFC on disk.
    """
    resource = files(DATA_PACKAGE) / "data" / file_name
    with resource.open("r", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != list(columns):
            raise ReferenceDataError(
                f"{file_name}: header is {reader.fieldnames}, expected {list(columns)}"
            )
        rows = []
        for line_number, row in enumerate(reader, start=2):
            if None in row or any(value is None for value in row.values()):
                raise ReferenceDataError(f"{file_name}:{line_number}: wrong number of fields")
            rows.append(
                {key: unicodedata.normalize("NFC", value.strip()) for key, value in row.items()}
            )
        return rows


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
