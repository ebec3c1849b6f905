"""Reporting on its own real PostgreSQL database: events applied by the consumer's handler, each in its
own transaction as the worker does, and the HTTP API on top. The broker tests use `system` instead."""
from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from motcua_shared.service import Runtime
from motcua_shared.settings import load

from motcua_reporting.app import create_app
from motcua_reporting.handlers import store_and_project
from motcua_reporting.models import counters, dossier_timeline, dossiers
from motcua_reporting.service import SPEC
from motcua_testing.system import TEST_SECRET, System


@dataclass
class Reporting:
    url: str
    runtime: Runtime
    app: object

    def feed(self, events) -> None:
        for event in events:
            with self.runtime.sessions.begin() as session:
                store_and_project(session, event)

    def run_jobs(self, max_chunks: int | None = None) -> int:
        """What the worker does between deliveries: run the queued background jobs (the rebuild)."""
        from motcua_reporting.jobs import jobs

        return jobs(self.runtime).work("test-worker", budget=300, max_chunks=max_chunks)

    def get(self, path: str, *, role: str | None = "leader", officer: str | None = "126", **params):
        """GET as an officer with `role` at unit `officer` (the district of Sông Mã by default)."""
        headers = {"Authorization": f"Bearer {System.token(role, unit=officer)}"} if role else {}
        return self.app.test_client().get(path, query_string=params, headers=headers)

    def summary(self, unit: str = "126", first: str = "2019-03-01", last: str = "2019-03-31", **params):
        answer = self.get("/api/v1/reports/summary", unit=unit, **{"from": first, "to": last}, **params)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return answer.get_json()

    def snapshot(self) -> dict[str, list[dict]]:
        """Every projection row, in a stable order: what "the same numbers" means row by row."""
        with self.runtime.engine.connect() as conn:
            return {table.name: [dict(row) for row in conn.execute(select(table).order_by(*table.primary_key))
                                 .mappings()]
                    for table in (dossiers, dossier_timeline, counters)}


@pytest.fixture
def reporting(database_factory, tmp_path):
    name = database_factory.create(SPEC)
    settings = load("reporting", SPEC.settings, environ={
        "REPORTING_DATABASE_URL": database_factory.url(name), "MOTCUA_JWT_SECRET": TEST_SECRET,
        "MOTCUA_VAR_DIR": str(tmp_path)})
    app = create_app(settings)
    runtime = app.extensions["motcua"]
    yield Reporting(url=database_factory.url(name), runtime=runtime, app=app)
    runtime.close()
    database_factory.drop(name)


@pytest.fixture
def shuffled():
    """A shuffle with a fixed seed, so a failure can be replayed."""
    def shuffle(items, seed: int = 7):
        items = list(items)
        random.Random(seed).shuffle(items)
        return items
    return shuffle
