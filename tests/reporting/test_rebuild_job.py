"""The rebuild is a background job (motcua_shared.jobs): queued by the API (202, Location), followed by
GET /api/v1/admin/jobs/{id}, run in chunks by whoever holds its lease, resumed from its checkpoint
after a crash with the figures of an uninterrupted run, and one at a time."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from motcua_reporting.jobs import jobs
from motcua_reporting.models import event_store, jobs as jobs_table
from motcua_reporting.projection import rebuild as rebuild_module
from motcua_reporting.service import SPEC
from motcua_testing.system import System

from reporting import history

ADMIN = {"Authorization": f"Bearer {System.token('admin', unit='14')}"}


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few events and dossiers, so the history here takes many of them."""
    monkeypatch.setattr(rebuild_module, "EVENTS_PER_CHUNK", 7)
    monkeypatch.setattr(rebuild_module, "PARTS_PER_CHUNK", 7)
    monkeypatch.setattr(rebuild_module, "DOSSIERS_PER_CHUNK", 3)


def post_rebuild(reporting):
    return reporting.app.test_client().post("/api/v1/admin/projections/rebuild", headers=ADMIN)


def get_job(reporting, location: str):
    return reporting.app.test_client().get(location, headers=ADMIN)


def test_the_api_queues_the_job_shows_its_progress_and_allows_one_at_a_time(reporting, small_chunks):
    reporting.feed(history.events())
    queued = post_rebuild(reporting)
    assert queued.status_code == 202, queued.get_json()
    job = queued.get_json()
    assert (job["kind"], job["state"], job["progress"]) == ("projections.rebuild", "queued", {"done": 0, "total": None})
    location = queued.headers["Location"]
    assert location == f"/api/v1/admin/jobs/{job['id']}"

    again = post_rebuild(reporting)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert (again.get_json()["code"], again.get_json()["job"]) == ("job_running", job["id"])
    assert again.headers["Location"] == location

    assert reporting.run_jobs(max_chunks=3) == 3
    running = get_job(reporting, location).get_json()
    assert running["state"] == "running" and running["stage"] == "events"
    assert 0 < running["progress"]["done"] < running["progress"]["total"]
    assert post_rebuild(reporting).status_code == 409  # still one at a time while it runs

    reporting.run_jobs()
    done = get_job(reporting, location).get_json()
    assert done["state"] == "done" and done["error"] is None and done["finished_at"]
    assert done["progress"]["done"] == done["progress"]["total"]
    assert done["result"]["events"] == len(history.events())
    assert reporting.summary() == history.EXPECTED
    assert post_rebuild(reporting).status_code == 202  # the previous one ended: a new one may start


def test_an_unknown_job_is_a_documented_404(reporting):
    answer = get_job(reporting, "/api/v1/admin/jobs/00000000-0000-4000-8000-000000000000")
    assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    assert answer.get_json()["code"] == "job_not_found"
    assert reporting.app.test_client().get("/api/v1/admin/jobs/short", headers=ADMIN).status_code == 404


def test_only_a_province_administrator_follows_jobs(reporting):
    for role, unit, code in (("leader", "14", "forbidden_role"), ("admin", "126", "province_admin_only")):
        answer = reporting.app.test_client().get(
            "/api/v1/admin/jobs/00000000-0000-4000-8000-000000000000",
            headers={"Authorization": f"Bearer {System.token(role, unit=unit)}"})
        assert answer.status_code == 403 and answer.get_json()["code"] == code


def test_a_rebuild_interrupted_mid_job_resumes_and_ends_with_the_uninterrupted_figures(reporting, small_chunks):
    events = history.events()
    reporting.feed(events[: len(events) // 2])
    queue = jobs(reporting.runtime)
    job = queue.enqueue(rebuild_module.KIND, by="test")

    # The first runner does a few chunks, then dies (a killed worker): it never renews its lease.
    assert queue.work("worker-1", budget=60, max_chunks=4) == 4
    # Events keep arriving meanwhile, into the live tables and the store; these committed late but are
    # placed before the rebuild's checkpoint (as a transaction begun earlier would stamp them): only
    # the last step's difference with what the rebuild took in can find them.
    reporting.feed(events[len(events) // 2:])
    late = [event.id for event in events[len(events) // 2:]]
    with reporting.runtime.sessions.begin() as session:
        session.execute(update(event_store).where(event_store.c.event_id.in_(late))
                        .values(stored_at=datetime(2000, 1, 1, tzinfo=timezone.utc)))
    interrupted = queue.get(job["id"])
    assert interrupted["state"] == "running" and interrupted["progress"]["done"] > 0

    # A new worker cannot take it while the lease holds...
    assert queue.work("worker-2", budget=5) == 0
    # ...and resumes it from its checkpoint once the lease has lapsed.
    with reporting.runtime.sessions.begin() as session:
        session.execute(update(jobs_table).where(jobs_table.c.id == job["id"])
                        .values(lease_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
    resumed_chunks = queue.work("worker-2", budget=120)
    resumed = queue.get(job["id"])
    assert resumed["state"] == "done", resumed
    # The dead runner's late chunk is refused: it no longer holds the lease.
    assert queue.work("worker-1", budget=5) == 0
    interrupted_rows = reporting.snapshot()

    # The same store rebuilt in one go gives the same rows.
    again = queue.enqueue(rebuild_module.KIND, by="test")
    whole_chunks = reporting.run_jobs()
    # Resumed, not started over: the second runner did only what the first had not.
    assert 0 < resumed_chunks <= whole_chunks - 3
    assert queue.get(again["id"])["result"] | {"seconds": 0} == resumed["result"] | {"seconds": 0}
    assert reporting.snapshot() == interrupted_rows
    assert resumed["result"]["events"] == len(events)
    assert reporting.summary() == history.EXPECTED


def test_the_worker_runs_queued_jobs_between_deliveries(reporting):
    reporting.feed(history.events())
    live = reporting.snapshot()
    job = jobs(reporting.runtime).enqueue(rebuild_module.KIND, by="test")
    [periodic] = [p for p in SPEC.periodic(reporting.runtime) if p.name == "jobs"]
    for _ in range(20):
        periodic.run(reporting.runtime.sessions)
        if jobs(reporting.runtime).get(job["id"])["state"] == "done":
            break
    assert jobs(reporting.runtime).get(job["id"])["state"] == "done"
    assert reporting.snapshot() == live


def test_the_command_with_detach_only_queues_the_job(reporting):
    reporting.feed(history.events())
    queued = subprocess.run([sys.executable, "-m", "motcua_reporting", "rebuild", "--detach"], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "REPORTING_DATABASE_URL": reporting.url})
    assert queued.returncode == 0, queued.stderr
    job = jobs(reporting.runtime).get(queued.stdout.strip())
    assert job["state"] == "queued" and job["created_by"] == "command line"
    reporting.run_jobs()  # the worker's part
    assert jobs(reporting.runtime).get(job["id"])["state"] == "done"
