"""Dossier codes, {agency id}-{yymmdd}-{4-digit daily sequence} (domain.md §3.3), and logbook numbers.

Each counter is one row (per agency and day; per unit and year for the logbook), incremented with an
upsert inside the dossier's own transaction: concurrent receptions serialise on that row, so numbers
are distinct and consecutive, and a rolled-back reception gives its number back.
"""
from datetime import date

from sqlalchemy import Table, literal_column
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert

from .models import daily_sequences, logbook_sequences


def _increment(session: Session, table: Table, key: dict) -> int:
    stmt = dialect_insert(session)(table).values(**key, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(key),
        set_={"last_value": table.c.last_value + literal_column("1")},
    ).returning(table.c.last_value)
    return session.execute(stmt).scalar_one()


def next_number(session: Session, agency_id: str, day: date) -> int:
    return _increment(session, daily_sequences, {"agency_id": agency_id, "day": day})


def next_logbook_number(session: Session, unit: str, year: int) -> int:
    """The entry number in the unit's Sổ theo dõi hồ sơ of `year` (printed on the receipt, Mẫu 01)."""
    return _increment(session, logbook_sequences, {"unit": unit, "year": year})


def dossier_code(agency_id: str, day: date, number: int) -> str:
    if number > 9999:
        # Circular practice fixes four digits; a desk receiving 10,000 a day would need a new format.
        raise OverflowError("daily dossier sequence exhausted")
    return f"{agency_id}-{day:%y%m%d}-{number:04d}"
