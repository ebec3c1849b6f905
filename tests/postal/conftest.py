"""Fixtures of the postal tests: `postal` (postal.harness.Postal on a fresh database) and `code`.
Tests that need the broker use the shared `system` fixture and real worker processes."""
from __future__ import annotations

import uuid

import pytest

from motcua_shared.service import Runtime
from motcua_shared.settings import load

from motcua_postal.service import SPEC

from motcua_testing.system import TEST_SECRET
from postal.harness import Postal


@pytest.fixture
def postal(database_factory):
    name = database_factory.create(SPEC)
    env = {"POSTAL_DATABASE_URL": database_factory.url(name), "MOTCUA_JWT_SECRET": TEST_SECRET}
    runtime = Runtime(SPEC, load("postal", SPEC.settings, environ=env))
    harness = Postal(runtime, env)
    yield harness
    harness.close()
    database_factory.drop(name)


@pytest.fixture
def sqlite_postal(tmp_path):
    """The same on the embedded SQLite database `make run` uses."""
    from motcua_shared import migrations

    env = {"POSTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'postal.db'}", "MOTCUA_JWT_SECRET": TEST_SECRET}
    migrations.upgrade(SPEC, env["POSTAL_DATABASE_URL"])
    harness = Postal(Runtime(SPEC, load("postal", SPEC.settings, environ=env)), env)
    yield harness
    harness.close()


@pytest.fixture
def code() -> str:
    return f"H52.04222-190315-{uuid.uuid4().hex[:4].upper()}"
