"""Dossier codes: {agency id}-{yymmdd}-{4-digit daily sequence} (domain.md §3.3).

The sequence is one row per agency and day, incremented with an upsert inside the dossier's own
transaction: concurrent receptions serialise on that row, so numbers are distinct and consecutive,
and a rolled-back reception gives its number back.
"""
from datetime import date

from sqlalchemy import literal_column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import daily_sequences


def next_number(session: Session, agency_id: str, day: date) -> int:
    dialect_insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = dialect_insert(daily_sequences).values(agency_id=agency_id, day=day, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["agency_id", "day"],
        set_={"last_value": daily_sequences.c.last_value + literal_column("1")},
    ).returning(daily_sequences.c.last_value)
    return session.execute(stmt).scalar_one()


def dossier_code(agency_id: str, day: date, number: int) -> str:
    if number > 9999:
        # Circular practice fixes four digits; a desk receiving 10,000 a day would need a new format.
        raise OverflowError("daily dossier sequence exhausted")
    return f"{agency_id}-{day:%y%m%d}-{number:04d}"
