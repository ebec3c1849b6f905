"""motcua_shared.jobs on a real SQLite database (the PostgreSQL path runs in tests/reporting/test_rebuild_job.py):
chunks with checkpoints, one job of a kind at a time, leases, failures."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from motcua_shared import jobs as jobs_module
from motcua_shared.db import make_engine, new_metadata, session_factory
from motcua_shared.jobs import Chunk, JobRunning, Jobs, jobs_table


def counting(session, params, checkpoint):
    """Counts to params["to"], one per chunk."""
    at = 0 if checkpoint is None else checkpoint["at"] + 1
    if at >= params["to"]:
        return Chunk(done=at, total=params["to"], checkpoint=None, finished=True, result={"counted": at})
    return Chunk(done=at, total=params["to"], checkpoint={"at": at}, stage="counting")


def failing(session, params, checkpoint):
    raise ValueError("the data cannot be read")


@pytest.fixture
def queue(tmp_path):
    metadata = new_metadata()
    table = jobs_table(metadata)
    engine = make_engine(f"sqlite:///{tmp_path / 'jobs.sqlite'}")
    metadata.create_all(engine)
    yield Jobs(table, session_factory(engine), {"count": counting, "fail": failing})
    engine.dispose()


def lapse(queue: Jobs) -> None:
    with queue.sessions.begin() as session:
        session.execute(update(queue.table).values(lease_until=datetime.now(timezone.utc) - timedelta(seconds=1)))


def test_a_job_runs_in_chunks_to_its_result(queue):
    job = queue.enqueue("count", by="test", params={"to": 5})
    assert job["state"] == "queued" and job["progress"] == {"done": 0, "total": None}
    assert queue.work("a", budget=30) == 6
    done = queue.get(job["id"])
    assert (done["state"], done["result"], done["progress"]) == ("done", {"counted": 5}, {"done": 5, "total": 5})
    assert queue.work("a", budget=1) == 0  # nothing left


def test_one_job_of_a_kind_at_a_time_until_it_ends(queue):
    first = queue.enqueue("count", by="test", params={"to": 2})
    with pytest.raises(JobRunning) as running:
        queue.enqueue("count", by="test", params={"to": 2})
    assert running.value.job["id"] == first["id"]
    other_kind = queue.enqueue("fail", by="test")  # another kind may run beside it
    assert other_kind["state"] == "queued"
    queue.work("a", budget=30)
    assert queue.get(first["id"])["state"] == "done"
    assert queue.enqueue("count", by="test", params={"to": 1})["state"] == "queued"


def test_a_failing_job_is_failed_with_its_reason_and_frees_its_kind(queue):
    job = queue.enqueue("fail", by="test")
    queue.work("a", budget=5)
    failed = queue.get(job["id"])
    assert failed["state"] == "failed" and failed["error"] == "ValueError: the data cannot be read"
    assert failed["finished_at"] is not None
    assert queue.enqueue("fail", by="test")["state"] == "queued"


def test_a_lease_keeps_others_off_until_it_lapses_and_the_next_runner_resumes(queue):
    job = queue.enqueue("count", by="test", params={"to": 6})
    assert queue.work("a", budget=30, max_chunks=3) == 3  # then runner a dies
    assert queue.work("b", budget=2) == 0
    lapse(queue)
    assert queue.work("b", budget=30) == 4  # at 2 of 6: the chunks for 3, 4 and 5, and the end
    assert queue.get(job["id"])["result"] == {"counted": 6}
    assert queue.work("a", budget=2) == 0  # a's held job is no longer a's


def test_a_job_whose_runs_keep_crashing_is_given_up(queue, monkeypatch):
    monkeypatch.setattr(jobs_module, "MAX_ATTEMPTS", 2)
    job = queue.enqueue("count", by="test", params={"to": 50})
    for runner in ("a", "b"):
        assert queue.work(runner, budget=30, max_chunks=1) == 1
        lapse(queue)
    assert queue.work("c", budget=2) == 0
    gave_up = queue.get(job["id"])
    assert gave_up["state"] == "failed" and gave_up["error"] == "gave up after 2 interrupted runs"
