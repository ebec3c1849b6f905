"""Dossier codes, {agency id}-{yymmdd}-{4-digit daily sequence} (docs/domain.md §3.3), and logbook numbers.

Each counter is one row (per agency and day; per unit and year for the logbook), incremented with an
upsert inside the dossier's own transaction: concurrent receptions serialise on that row, so numbers
are distinct and consecutive, and a rolled-back reception gives its number back.

Two ranges share the four digits of a desk's day. The desk's own, 0001-5000, numbers what officers
enter (at the counter, a postal arrival): only officers move it, so it stays gap-free and no one outside
can use it up. Dossiers citizens send themselves (online, by post) take 5001-9999 from a counter of
their own: a flood of submissions can at worst fill that range (and each account is limited per day,
citizen_limits.py), never stop the counter. A submission keeps its number when the desk accepts it.

On PostgreSQL a reception takes all its numbers in one statement (`take`): the day's number, whether its
code is held already, the logbook's number and the restore guard's comparison, one round trip where
they were four.
"""
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import (Integer, String, Table, Text, bindparam, cast, exists, func, literal, literal_column, select,
                        true)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from motcua_shared.db import core_connection, dialect_insert

from . import restore_guard
from .models import citizen_sequences, daily_sequences, dossiers, logbook_sequences

DESK_LAST = 5000  # the desk's range is 0001-5000
CITIZEN_FIRST = DESK_LAST + 1  # citizens' submissions 5001-9999
LAST = 9999

# Every reception runs these: built once, so SQLAlchemy memoises their cache keys instead of building
# and hashing a new statement each time.
_CODE_TAKEN = select(dossiers.c.id).where(dossiers.c.code == bindparam("code"))


@cache
def _upsert(dialect_insert_, table: Table) -> Executable:
    """INSERT (key, 1) ON CONFLICT (key) DO UPDATE last_value + 1 RETURNING last_value, for one dialect."""
    key = [column.name for column in table.primary_key]
    stmt = dialect_insert_(table).values({**{name: bindparam(name) for name in key}, "last_value": 1})
    return stmt.on_conflict_do_update(
        index_elements=key,
        set_={"last_value": table.c.last_value + literal_column("1")},
    ).returning(table.c.last_value)


@cache
def _guarded_upsert(table: Table) -> Executable:
    """PostgreSQL: the upsert, and what restore_guard compares, in one statement (one round trip)."""
    incremented = _upsert(postgresql.insert, table).cte("incremented")
    return select(incremented.c.last_value, restore_guard.CURRENT_IDENTITY, restore_guard.RECORDED_IDENTITY)


def _increment(session: Session, table: Table, key: dict) -> int:
    # Never a number a restored database may have given out already (restore_guard.py).
    if restore_guard.pending(session) and session.get_bind().dialect.name == "postgresql":
        # The transaction's first number carries the guard's comparison. A refusal raises inside the
        # transaction, which rolls this increment back with everything else.
        value, identity, known = core_connection(session).execute(_guarded_upsert(table), key).one()
        restore_guard.settle(session, identity, known)
        return value
    restore_guard.check(session)
    return core_connection(session).execute(_upsert(dialect_insert(session), table), key).scalar_one()


def _day_counter(citizen: bool) -> Table:
    return citizen_sequences if citizen else daily_sequences


def _offset(citizen: bool) -> int:
    """What a counter's value is added to: the citizens' range starts at CITIZEN_FIRST."""
    return CITIZEN_FIRST - 1 if citizen else 0


def _in_range(value: int, citizen: bool) -> int:
    """The number a counter's value gives; OverflowError once the range is used up."""
    number = _offset(citizen) + value
    if number > (LAST if citizen else DESK_LAST):
        raise OverflowError("daily dossier sequence exhausted")
    return number


def next_number(session: Session, agency_id: str, day: date, *, citizen: bool = False) -> int:
    """The next number of the desk's range, or (`citizen`) of the range of citizens' own submissions;
    OverflowError once the range is used up."""
    return _in_range(_increment(session, _day_counter(citizen), {"agency_id": agency_id, "day": day}), citizen)


def next_code(session: Session, agency_id: str, day: date, *, citizen: bool = False) -> str:
    """The agency's next code of the day that no dossier holds. A dossier brought in by a bulk import
    keeps the code the old system gave it, which may have this very shape; the counter then skips it
    rather than give a live dossier a code already printed on a 2019 receipt."""
    while True:
        code = dossier_code(agency_id, day, next_number(session, agency_id, day, citizen=citizen))
        if core_connection(session).execute(_CODE_TAKEN, {"code": code}).first() is None:
            return code


def next_logbook_number(session: Session, unit: str, year: int) -> int:
    """The entry number in the unit's Sổ theo dõi hồ sơ of `year` (printed on the receipt, Mẫu 01)."""
    return _increment(session, logbook_sequences, {"unit": unit, "year": year})


def dossier_code(agency_id: str, day: date, number: int) -> str:
    if number > 9999:
        # Circular practice fixes four digits; a desk receiving 10,000 a day would need a new format.
        raise OverflowError("daily dossier sequence exhausted")
    return f"{_code_prefix(agency_id, day)}{number:04d}"


def _code_prefix(agency_id: str, day: date) -> str:
    """Everything of a code but its number: `take` completes it in SQL, as dossier_code does here."""
    return f"{agency_id}-{day:%y%m%d}-"


@dataclass(frozen=True)
class Numbers:
    code: str
    logbook_number: int | None  # None unless asked for (a submission has none until the desk accepts it)


def take(session: Session, agency_id: str, day: date, *, citizen: bool = False,
         logbook: tuple[str, int] | None = None) -> Numbers:
    """`next_code`, and with `logbook` (unit, year) `next_logbook_number` too: on PostgreSQL in one statement.

    The same numbers as those two calls, in the same order of row locks (the day's counter, then the
    logbook's), so concurrent receptions serialise as before and cannot deadlock with an acceptance
    (which locks the logbook's row only). A refusal (the restore guard, a full range) raises inside the
    caller's transaction, which rolls every number back."""
    if session.get_bind().dialect.name != "postgresql":
        code = next_code(session, agency_id, day, citizen=citizen)
        return Numbers(code, next_logbook_number(session, *logbook) if logbook else None)
    params = {"agency_id": agency_id, "day": day, "code_prefix": _code_prefix(agency_id, day)}
    if logbook:
        params.update(unit=logbook[0], year=logbook[1])
    row = core_connection(session).execute(_numbering(citizen, logbook is not None), params).one()
    if restore_guard.pending(session):
        restore_guard.settle(session, row.now_on, row.recorded)
    code = dossier_code(agency_id, day, _in_range(row.value, citizen))
    if row.taken:  # an imported dossier kept this code (next_code): the counter skips it
        code = next_code(session, agency_id, day, citizen=citizen)
    return Numbers(code, row.logbook_number if logbook else None)


@cache
def _numbering(citizen: bool, with_logbook: bool) -> Executable:
    """PostgreSQL: the day's upsert; whether the code its number makes is held (as _CODE_TAKEN asks);
    with `with_logbook` the logbook's upsert, fed from the day's row so that it runs after it (the lock
    order of next_code then next_logbook_number); and what restore_guard compares."""
    day_number = _upsert(postgresql.insert, _day_counter(citizen)).cte("day_number")
    number = day_number.c.last_value + literal(_offset(citizen), Integer)
    # lpad(…, 4, '0') is dossier_code's {number:04d} for every number in range; beyond it the code is
    # never used (_in_range raises first). The check reads the statement's snapshot: a dossier holding
    # the number's code can only be an imported one, brought in long before (imports keep past codes).
    code = bindparam("code_prefix", type_=String) + func.lpad(cast(number, Text), 4, "0", type_=String)
    columns = [day_number.c.last_value.label("value"), exists().where(dossiers.c.code == code).label("taken"),
               restore_guard.CURRENT_IDENTITY.label("now_on"), restore_guard.RECORDED_IDENTITY.label("recorded")]
    source = day_number
    if with_logbook:
        entry = (postgresql.insert(logbook_sequences)
                 .from_select(["unit", "year", "last_value"],
                              select(bindparam("unit", type_=String), bindparam("year", type_=Integer),
                                     literal(1, Integer)).select_from(day_number))
                 .on_conflict_do_update(index_elements=["unit", "year"],
                                        set_={"last_value": logbook_sequences.c.last_value + literal_column("1")})
                 .returning(logbook_sequences.c.last_value)).cte("logbook_number")
        columns.append(entry.c.last_value.label("logbook_number"))
        source = day_number.join(entry, true())  # one row each
    return select(*columns).select_from(source)
