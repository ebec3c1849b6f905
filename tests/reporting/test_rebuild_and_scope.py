"""Rebuilding from the event store gives the live projection, by endpoint and by command, also while
events keep arriving; and a unit's report follows its territory across the 2025 reform."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from sqlalchemy import delete, select

from motcua_shared.events import new_event
from motcua_shared.events.catalogue.calendar import CALENDAR_CHANGED
from motcua_shared.workcal import WorkingCalendar
from motcua_reporting.models import calendar_overrides, counters, dossier_timeline, dossiers
from motcua_reporting.projection.dossier import project
from motcua_reporting.projection.store import load_timeline
from motcua_testing.system import System

from reporting import history
from reporting.history import Story


def rebuild(reporting, role: str = "admin"):
    """Ask for a rebuild; when it is queued (202), run it as the worker would and answer the finished job
    (GET /api/v1/admin/jobs/{id}, whose `result` holds the figures); any other answer as it came."""
    headers = {"Authorization": f"Bearer {System.token(role, unit='14')}"}
    client = reporting.app.test_client()
    queued = client.post("/api/v1/admin/projections/rebuild", headers=headers)
    if queued.status_code != 202:
        return queued
    assert queued.headers["Location"] == f"/api/v1/admin/jobs/{queued.get_json()['id']}"
    reporting.run_jobs()
    return client.get(queued.headers["Location"], headers=headers)


def test_the_rebuild_endpoint_gives_the_live_projection(reporting, shuffled):
    reporting.feed(shuffled(history.events(), seed=5))
    live = reporting.snapshot()
    answer = rebuild(reporting)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["state"] == "done"
    body = answer.get_json()["result"]
    assert (body["events"], body["dossiers"]) == (len(history.events()), len(history.stories()))
    assert body["timeline_entries"] == len(history.events())
    assert reporting.snapshot() == live
    assert reporting.summary() == history.EXPECTED


def test_only_an_admin_may_rebuild(reporting):
    reporting.feed(history.events())
    for role in ("leader", "auditor"):
        answer = rebuild(reporting, role)
        assert answer.status_code == 403 and answer.get_json()["code"] == "forbidden_role"


def test_the_rebuild_command_restores_wiped_projections(reporting):
    reporting.feed(history.events())
    live = reporting.snapshot()
    with reporting.runtime.sessions.begin() as session:  # as after an upgrade that adds a projection
        for table in (dossier_timeline, dossiers, counters):
            session.execute(delete(table))
    assert reporting.summary()["received"]["total"] == 0
    done = subprocess.run([sys.executable, "-m", "motcua_reporting", "rebuild"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "REPORTING_DATABASE_URL": reporting.url})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["events"] == len(history.events())
    assert "Dựng lại số liệu" in done.stderr and "(100%)" in done.stderr  # plain progress lines: not a terminal
    assert reporting.snapshot() == live


def test_events_consumed_during_a_rebuild_are_neither_lost_nor_counted_twice(reporting):
    events = history.events()
    reporting.feed(events[: len(events) // 2])
    feeder = threading.Thread(target=reporting.feed, args=(events[len(events) // 2:],))
    feeder.start()
    for _ in range(3):
        assert rebuild(reporting).status_code == 200
    feeder.join(timeout=60)
    raced = reporting.snapshot()
    assert rebuild(reporting).status_code == 200
    assert reporting.snapshot() == raced
    assert reporting.summary() == history.EXPECTED


# -- units across the reform ------------------------------------------------------------------------
def reform_stories() -> list[Story]:
    two_level = {"04222": "14.04222", "04204": "14.04204"}
    return [
        Story("H52.04213-250310-0001", unit="04213", path="14.126.04213")
        .received("2025-03-10T08:00:00+07:00", "2025-03-13T08:00:00+07:00"),
        Story("H52.04222-250401-0001", unit="04222").received("2025-04-01T08:00:00+07:00", "2025-04-04T08:00:00+07:00"),
        Story("H52.04222-250805-0001", unit="04222", path=two_level["04222"])
        .received("2025-08-05T08:00:00+07:00", "2025-08-08T08:00:00+07:00"),
        Story("H52.04204-250901-0001", unit="04204", path=two_level["04204"])
        .received("2025-09-01T08:00:00+07:00", "2025-09-04T08:00:00+07:00"),
    ]


@pytest.mark.parametrize("officer,unit,first,last,received", [
    ("04222", "04222", "2025-01-01", "2025-12-31", 3),  # the merged commune: old 04222 + old 04213 + new
    ("04222", "04222", "2025-01-01", "2025-06-30", 1),  # before the reform: the old commune alone
    ("14", "126", "2025-01-01", "2025-12-31", 2),  # the district, abolished on 30/06/2025
    ("14", "14", "2025-01-01", "2025-12-31", 4),
    ("126", "04213", "2025-01-01", "2025-06-30", 1),
])
def test_a_unit_covers_its_territory_in_either_hierarchy(reporting, officer, unit, first, last, received):
    reporting.feed(event for story in reform_stories() for event in story.events)
    answer = reporting.get("/api/v1/reports/summary", officer=officer, unit=unit, **{"from": first, "to": last})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["received"]["total"] == received


@pytest.mark.parametrize("officer,unit,last", [
    ("04222", "04213", "2025-12-31"),  # merged into 04222, but not below it on its own last day
    ("126", "04222", "2025-12-31"),  # the district's leader: 04222 is under the province by then
    ("04204", "04222", "2019-12-31"),
])
def test_the_scope_is_checked_on_the_day_the_unit_is_read(reporting, officer, unit, last):
    answer = reporting.get("/api/v1/reports/summary", officer=officer, unit=unit, **{"from": "2019-01-01", "to": last})
    assert answer.status_code == 403 and answer.get_json()["code"] == "unit_out_of_scope"


def test_handling_times_follow_the_provinces_declared_days_live_and_after_a_rebuild(reporting):
    """A day off the province declared (intake's calendar.changed, consumed before the dossiers' events)
    shortens the handling times that span it; a rebuild restores the calendar copy from the event store
    before it measures, so it gives the same rows."""
    declared = new_event(CALENDAR_CHANGED, source="/motcua/intake", subject="2019-03-13", data={
        "day": "2019-03-13", "kind": "day_off", "note": "Nghỉ theo Quyết định của UBND tỉnh",
        "changed_at": "2019-03-01T08:00:00+07:00"})
    reporting.feed([declared, *history.events()])
    live = reporting.snapshot()
    statutory = {row["code"]: row["handling_minutes"] for row in live["dossiers"]}
    with reporting.runtime.sessions() as session:
        statutory = {code: project(code, load_timeline(session, code), calendar=WorkingCalendar())["handling_minutes"]
                     for code in statutory}
    shorter = [row["code"] for row in live["dossiers"]
               if row["handling_minutes"] is not None and row["handling_minutes"] < statutory[row["code"]]]
    assert shorter, "no handling time spans the declared day: the test proves nothing"
    with reporting.runtime.sessions.begin() as session:
        for table in (dossier_timeline, dossiers, counters, calendar_overrides):
            session.execute(delete(table))
    assert rebuild(reporting).status_code == 200
    assert reporting.snapshot() == live
    with reporting.runtime.engine.connect() as conn:
        assert [(str(row.day), row.kind) for row in conn.execute(select(calendar_overrides))] == [
            ("2019-03-13", "day_off")]
