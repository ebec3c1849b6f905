"""Dossier codes, {agency id}-{yymmdd}-{4-digit daily sequence} (domain.md §3.3), and logbook numbers.

Each counter is one row (per agency and day; per unit and year for the logbook), incremented with an
upsert inside the dossier's own transaction: concurrent receptions serialise on that row, so numbers
are distinct and consecutive, and a rolled-back reception gives its number back.

Two ranges share the four digits of a desk's day. The desk's own, 0001-5000, numbers what officers
enter (at the counter, a postal arrival): only officers move it, so it stays gap-free and no one outside
can use it up. Dossiers citizens send themselves (online, by post) take 5001-9999 from a counter of
their own: a flood of submissions can at worst fill that range (and each account is limited per day,
citizen_limits.py), never stop the counter. A submission keeps its number when the desk accepts it.
"""
from datetime import date

from sqlalchemy import Table, literal_column, select
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert

from . import restore_guard
from .models import citizen_sequences, daily_sequences, dossiers, logbook_sequences

DESK_LAST = 5000  # the desk's range is 0001-5000
CITIZEN_FIRST = DESK_LAST + 1  # citizens' submissions 5001-9999
LAST = 9999


def _increment(session: Session, table: Table, key: dict) -> int:
    restore_guard.check(session)  # never a number a restored database may have given out already
    stmt = dialect_insert(session)(table).values(**key, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(key),
        set_={"last_value": table.c.last_value + literal_column("1")},
    ).returning(table.c.last_value)
    return session.execute(stmt).scalar_one()


def next_number(session: Session, agency_id: str, day: date, *, citizen: bool = False) -> int:
    """The next number of the desk's range, or (`citizen`) of the range of citizens' own submissions;
    OverflowError once the range is used up."""
    if citizen:
        number = CITIZEN_FIRST - 1 + _increment(session, citizen_sequences, {"agency_id": agency_id, "day": day})
        last = LAST
    else:
        number, last = _increment(session, daily_sequences, {"agency_id": agency_id, "day": day}), DESK_LAST
    if number > last:
        raise OverflowError("daily dossier sequence exhausted")
    return number


def next_code(session: Session, agency_id: str, day: date, *, citizen: bool = False) -> str:
    """The agency's next code of the day that no dossier holds. A dossier brought in by a bulk import
    keeps the code the old system gave it, which may have this very shape; the counter then skips it
    rather than give a live dossier a code already printed on a 2019 receipt."""
    while True:
        code = dossier_code(agency_id, day, next_number(session, agency_id, day, citizen=citizen))
        if session.execute(select(dossiers.c.id).where(dossiers.c.code == code)).first() is None:
            return code


def next_logbook_number(session: Session, unit: str, year: int) -> int:
    """The entry number in the unit's Sổ theo dõi hồ sơ of `year` (printed on the receipt, Mẫu 01)."""
    return _increment(session, logbook_sequences, {"unit": unit, "year": year})


def dossier_code(agency_id: str, day: date, number: int) -> str:
    if number > 9999:
        # Circular practice fixes four digits; a desk receiving 10,000 a day would need a new format.
        raise OverflowError("daily dossier sequence exhausted")
    return f"{agency_id}-{day:%y%m%d}-{number:04d}"
