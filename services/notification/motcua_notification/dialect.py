"""INSERT ... ON CONFLICT for the engine in use: PostgreSQL in production, SQLite for `make run`."""
from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert


def insert(session: Session, table: Table):
    return dialect_insert(session)(table)
