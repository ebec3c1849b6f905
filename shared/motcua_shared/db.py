"""Database engines and sessions: PostgreSQL in production, an embedded SQLite file for `make run`.

Each service owns its database; nothing here is shared between services except the code.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

# Stable constraint names make Alembic migrations reproducible on both engines.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def dialect_insert(bind):
    """`insert` with ON CONFLICT (upserts, insert-once) for the database behind `bind` (a Session, a
    Connection or an Engine): PostgreSQL's, or SQLite's for `make run`; the core one has neither."""
    dialect = bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect
    return postgresql.insert if dialect.name == "postgresql" else sqlite.insert


def core_connection(session_or_connection: Session | Connection) -> Connection:
    """The Connection a Session's transaction runs on (begun if need be), for Core statements run in a
    request's hot path: Session.execute's ORM path (plugins, events, bind lookup) costs about as much
    as a small insert itself, and a Core statement on tables gains nothing from it. Same transaction,
    same semantics; a Connection is returned as it is."""
    if isinstance(session_or_connection, Session):
        return session_or_connection.connection()
    return session_or_connection


def is_sqlite(engine_or_url) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(str(engine_or_url))
    return url.get_backend_name() == "sqlite"


def make_engine(url: str, *, pool_size: int = 10, pre_ping: bool = True) -> Engine:
    """`pre_ping` costs a round trip per checkout (a quarter of a worker's time per event, measured by
    benchmarks/pipeline_throughput.py); workers turn it off because they survive a dead connection
    anyway: the failed statement is an infrastructure error, retried on a fresh connection."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite opens transactions lazily and wrongly; take control so BEGIN is explicit.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=pre_ping,
                         pool_recycle=1800)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA synchronous=FULL")  # a committed dossier survives a power cut
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False, future=True)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands timezone-aware columns back naive (they hold UTC): make them aware again."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment
