"""Intake numbers nothing on a database that was restored, until `motcua_intake after-restore` has run.

Dossier codes and logbook numbers are printed on receipts, sent by SMS and stored by every other
service. A database restored to an earlier point has counters from that point: left alone, it would
give the day's codes out a second time. So every transaction that takes a number (sequences.py)
compares the server the database is on now with the one it was last numbered on, in the statement that
takes its first number, and a mismatch rolls that number back with the transaction:

    <system identifier>/<timeline>/<database oid>

Point-in-time recovery and a replica's promotion start a new timeline; a dump loaded into a new
database gets a new oid; a copy on another cluster another system identifier. Any change and intake
answers 503 `restore_pending` to whatever would take a number, until after_restore.py has moved the
counters past everything given out and recorded the new identity. A database that has never numbered
anything records its identity at the first number. A restore that keeps all three (a file-system
snapshot copied back under the same cluster) is not seen: docs/backups.md says to run after-restore
after any restore.

SQLite (`make run`) has no such identity: there is no guard, and the procedure is by hand.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import literal_column, select, text
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert
from motcua_shared.web.errors import ApiError

from .models import restore_guard

_CHECKED = "motcua_restore_guard_checked"

# The timeline is the first 8 hex digits of the current WAL file's name. pg_control_system() needs
# no privilege beyond PUBLIC's, like pg_current_wal_lsn().
_IDENTITY = ("(SELECT system_identifier FROM pg_control_system())::text || '/' "
             "|| ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int || '/' "
             "|| (SELECT oid FROM pg_database WHERE datname = current_database())::text")
IDENTITY_SQL = text("SELECT " + _IDENTITY)
# What `check` compares, the server's identity now and the one recorded, in one round trip: it runs in
# every transaction that takes a number, i.e. in every reception.
_IDENTITIES_SQL = text(f"SELECT {_IDENTITY} AS now_on, "
                       f"(SELECT server_identity FROM {restore_guard.name} WHERE id = 1) AS recorded")
_RECORDED = select(restore_guard.c.server_identity).where(restore_guard.c.id == 1)


class RestorePending(ApiError):
    status, code, title = 503, "restore_pending", "Hệ thống đang khôi phục dữ liệu"

    def __init__(self):
        super().__init__("Cơ sở dữ liệu tiếp nhận vừa được khôi phục; chưa thể cấp mã hồ sơ cho đến khi quản trị "
                         "viên chạy lệnh after-restore (docs/backups.md).")
        self.headers = {"Retry-After": "60"}


def server_identity(session: Session) -> str | None:
    if session.get_bind().dialect.name != "postgresql":
        return None
    return session.execute(IDENTITY_SQL).scalar_one()


def recorded_identity(session: Session) -> str | None:
    return session.execute(_RECORDED).scalar()


def record(session: Session, identity: str) -> None:
    """Set the identity (after-restore); an upsert, so two first receptions at once both succeed."""
    values = {"server_identity": identity, "recorded_at": datetime.now(timezone.utc)}
    stmt = dialect_insert(session)(restore_guard).values(id=1, **values)
    session.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=values))


# For a statement that compares in the same round trip as it does its own work (sequences.py): the
# server's identity now, and the one recorded.
CURRENT_IDENTITY = literal_column(f"({_IDENTITY})")
RECORDED_IDENTITY = _RECORDED.scalar_subquery()


def pending(session: Session) -> bool:
    """Whether this transaction has still to make the comparison (it is made once per transaction: a
    reception takes a code and a logbook number in the same one)."""
    return session.info.get(_CHECKED) != id(session.get_transaction())


def check(session: Session) -> None:
    """Raise RestorePending when the database was restored since it last numbered something."""
    if not pending(session):
        return
    if session.get_bind().dialect.name == "postgresql":
        settle(session, *session.execute(_IDENTITIES_SQL).one())
    else:
        session.info[_CHECKED] = id(session.get_transaction())


def settle(session: Session, identity: str, known: str | None) -> None:
    """`check` with the two identities in hand (read by the caller's own statement): record the first,
    refuse a changed one. The caller's transaction must not commit after a refusal; raised inside it, the
    exception rolls back whatever that statement changed."""
    if known is None:
        record(session, identity)
    elif known != identity:
        raise RestorePending()
    session.info[_CHECKED] = id(session.get_transaction())
