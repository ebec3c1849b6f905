"""Console migration 0002: the accounts made when "no unit" meant "the whole province" get the province's
unit (14), the scope they had, and from then on every account must have one."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from motcua_shared.migrations import alembic_config

from motcua_testing.system import spec_of

SPEC = spec_of("console")
MOMENT = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)


def _account(conn, username: str, unit: str | None) -> None:
    conn.execute(text(
        "INSERT INTO accounts (id, username, full_name, unit, roles, password_hash, must_change_password, active,"
        " source, created_at, updated_at) VALUES (:id, :username, 'Quản trị hệ thống', :unit, 'admin', NULL,"
        " false, true, 'local', :at, :at)"), {"id": f"id-{username}", "username": username, "unit": unit, "at": MOMENT})


def _migrated_with_old_accounts(url: str) -> dict[str, str]:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _account(conn, "admin", None)  # the first administrator, as it used to be created
            _account(conn, "kiem-tra", None)
            _account(conn, "quan-tri-xa", "04222")
        command.upgrade(alembic_config(SPEC, url), "head")
        with engine.begin() as conn:
            units = dict(conn.execute(text("SELECT username, unit FROM accounts")).all())
            with pytest.raises(IntegrityError):
                with conn.begin_nested():
                    _account(conn, "khong-don-vi", None)
        return units
    finally:
        engine.dispose()


EXPECTED = {"admin": "14", "kiem-tra": "14", "quan-tri-xa": "04222"}


def test_on_postgresql(database_factory):
    name = database_factory.create(SPEC)
    try:
        url = database_factory.url(name)
        command.downgrade(alembic_config(SPEC, url), "0001")
        assert _migrated_with_old_accounts(url) == EXPECTED
    finally:
        database_factory.drop(name)


def test_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'console.db'}"
    command.upgrade(alembic_config(SPEC, url), "0001")
    assert _migrated_with_old_accounts(url) == EXPECTED
