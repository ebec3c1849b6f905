"""The consumer's handler builds its statements once per SQL dialect and reuses them for every event
(handlers.py, projection/store.py): one process may serve PostgreSQL and SQLite (`make run`) alike,
so the same events must give the same projection on both, whichever was used first, and a
redelivered event must change nothing on either."""
from __future__ import annotations

from sqlalchemy import select

from motcua_shared import migrations
from motcua_shared.service import Runtime
from motcua_shared.settings import load

from motcua_reporting.handlers import store_and_project
from motcua_reporting.models import counters, dossier_timeline, dossiers, event_store
from motcua_reporting.service import SPEC
from motcua_testing.system import TEST_SECRET

from reporting import history

# Dossier columns that read the same on both databases (SQLite returns its datetimes without an offset).
COMPARED = ("code", "procedure_code", "channel", "receiving_unit", "competent_unit", "end_kind", "end_class",
            "handling_minutes", "supplement_requests", "apologised", "paid_online")


def sqlite_reporting(tmp_path) -> Runtime:
    url = f"sqlite:///{tmp_path / 'reporting.db'}"
    migrations.upgrade(SPEC, url)
    return Runtime(SPEC, load("reporting", SPEC.settings, environ={
        "REPORTING_DATABASE_URL": url, "MOTCUA_JWT_SECRET": TEST_SECRET, "MOTCUA_VAR_DIR": str(tmp_path)}))


def feed(runtime: Runtime, events) -> None:
    for event in events:
        with runtime.sessions.begin() as session:
            store_and_project(session, event)


def figures(runtime: Runtime) -> dict:
    with runtime.engine.connect() as conn:
        return {
            "counters": sorted(tuple(row) for row in conn.execute(select(counters.c.name, counters.c.value))),
            "stored": conn.execute(select(event_store.c.event_id).order_by(event_store.c.event_id)).scalars().all(),
            "timeline": sorted(tuple(row) for row in conn.execute(
                select(dossier_timeline.c.event_id, dossier_timeline.c.code, dossier_timeline.c.kind))),
            "dossiers": [tuple(row) for row in conn.execute(
                select(*(dossiers.c[name] for name in COMPARED)).order_by(dossiers.c.code))],
        }


def test_the_same_events_give_the_same_projection_on_sqlite_and_postgresql(reporting, tmp_path):
    events = history.events()
    lite = sqlite_reporting(tmp_path)
    try:
        feed(lite, events[: len(events) // 2])  # SQLite first, then PostgreSQL, then SQLite again
        feed(reporting.runtime, events)
        feed(lite, events[len(events) // 2:])
        on_sqlite, on_postgresql = figures(lite), figures(reporting.runtime)
        assert on_sqlite == on_postgresql
        assert len(on_sqlite["stored"]) == len(events)
        assert sum(value for _, value in on_sqlite["counters"]) == len(events)
        assert {row[0] for row in on_sqlite["dossiers"]} == {code for _, code, _ in on_sqlite["timeline"]}

        feed(lite, events)  # every event again: stored, counted and projected once
        feed(reporting.runtime, reversed(events))
        assert figures(lite) == on_sqlite and figures(reporting.runtime) == on_postgresql
    finally:
        lite.close()
