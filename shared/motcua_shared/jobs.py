"""Long jobs (a projection rebuild, re-keying every identity number) run in the background, in chunks,
with their progress kept in the service's `jobs` table (docs/jobs.md).

Why chunks: a district's history is too long for one request or one transaction. Each chunk is one
transaction that does a slice of the work AND records the job's progress and checkpoint, so a crash
loses at most the chunk in hand and the next run continues from the checkpoint, never redoing or
skipping a slice.

Who runs them: the service's worker between deliveries (`periodic()`, a few seconds of chunks at a time,
so consumption never stalls), or the command that enqueued the job (`follow()`), whichever claims it.
A claim is a lease (`LEASE_SECONDS`) renewed by every chunk; a run that crashed stops renewing it, and
the next claimer resumes the job from its checkpoint once the lease has lapsed. A chunk first locks
the job's row and checks that it still holds the lease, so two runners never both do a slice.

One job of a kind at a time: `active_kind` is the kind while the job is queued or running and NULL
once it ended, and a unique constraint on it refuses a second one (also between two API processes).
"""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Mapping

from sqlalchemy import (JSON, BigInteger, Column, DateTime, Integer, MetaData, String, Table, Text, or_, select,
                        update)
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .messaging import PeriodicJob

log = logging.getLogger("motcua.jobs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)
# Long enough for a slow chunk on a busy machine, short enough that a crashed run resumes soon.
LEASE_SECONDS = 30.0
# A job whose runs crashed this many times is failed instead of being claimed forever.
MAX_ATTEMPTS = 20


def jobs_table(metadata: MetaData) -> Table:
    return Table(
        "jobs", metadata,
        Column("id", String(36), primary_key=True),
        Column("kind", String(60), nullable=False, index=True),
        Column("state", String(10), nullable=False),
        # The kind while queued or running, NULL after: the unique constraint allows one at a time.
        Column("active_kind", String(60), unique=True),
        Column("params", JSON, nullable=False),
        Column("stage", String(40)),  # what the job is doing now, for people (e.g. "events", "dossiers")
        Column("done", BigInteger, nullable=False),
        Column("total", BigInteger),  # None until the job knows it
        Column("checkpoint", JSON),  # where the next chunk starts; the job's own format
        Column("result", JSON),  # the job's figures once done
        Column("error", Text),
        Column("created_by", String(200), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("started_at", DateTime(timezone=True)),
        Column("finished_at", DateTime(timezone=True)),
        Column("lease_owner", String(200)),
        Column("lease_until", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False),
    )


@dataclass(frozen=True)
class Chunk:
    """What one chunk did: the progress so far, where the next one starts, and whether it was the last."""
    done: int
    total: int | None
    checkpoint: dict | None
    stage: str | None = None
    finished: bool = False
    result: dict | None = None


# step(session, params, checkpoint) -> Chunk: one slice of the work in the caller's transaction;
# checkpoint is None for the first chunk.
Step = Callable[[Session, dict, "dict | None"], Chunk]


class JobRunning(Exception):
    """A job of the same kind is already queued or running: `job` is it."""

    def __init__(self, job: dict):
        super().__init__(f"a {job['kind']} job is already {job['state']}")
        self.job = job


class LeaseLost(Exception):
    """Another runner took the job over (this one was too slow to renew its lease)."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _infrastructure(exc: BaseException) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError)) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


def describe(row) -> dict:
    """A job as the API shows it."""
    return {"id": row.id, "kind": row.kind, "state": row.state, "stage": row.stage,
            "progress": {"done": row.done, "total": row.total},
            "created_by": row.created_by, "created_at": row.created_at, "started_at": row.started_at,
            "finished_at": row.finished_at, "result": row.result, "error": row.error}


@dataclass
class Jobs:
    table: Table
    sessions: sessionmaker
    steps: Mapping[str, Step]
    lease_seconds: float = LEASE_SECONDS
    _held: dict[str, str] = field(default_factory=dict)  # runner -> the job id it holds

    # -- asking ------------------------------------------------------------------------------
    def enqueue(self, kind: str, *, by: str, params: dict | None = None) -> dict:
        if kind not in self.steps:
            raise KeyError(kind)
        job_id = str(uuid.uuid4())
        try:
            with self.sessions.begin() as session:
                session.execute(self.table.insert().values(
                    id=job_id, kind=kind, state=QUEUED, active_kind=kind, params=params or {}, done=0,
                    created_by=by, created_at=_now(), attempts=0))
        except IntegrityError:
            running = self.active(kind)
            if running is None:  # it ended between the insert and the read: try once more
                return self.enqueue(kind, by=by, params=params)
            raise JobRunning(running) from None
        log.info("job_queued", extra={"job": job_id, "kind": kind, "by": by})
        return self.get(job_id)

    def get(self, job_id: str) -> dict | None:
        with self.sessions() as session:
            row = session.execute(select(self.table).where(self.table.c.id == job_id)).first()
        return describe(row) if row is not None else None

    def active(self, kind: str) -> dict | None:
        with self.sessions() as session:
            row = session.execute(select(self.table).where(self.table.c.active_kind == kind)).first()
        return describe(row) if row is not None else None

    # -- running -----------------------------------------------------------------------------
    def _claimable(self, runner: str, now: datetime):
        t = self.table
        return or_(t.c.state == QUEUED,
                   (t.c.state == RUNNING) & (t.c.lease_until < now),  # its runner crashed
                   (t.c.state == RUNNING) & (t.c.lease_owner == runner))  # this runner's, held before

    def claim(self, runner: str) -> str | None:
        """Take a queued job, a running one whose lease lapsed (its runner crashed), or one this runner
        already holds (another `Jobs` of the same process); its id or None."""
        t = self.table
        now = _now()
        with self.sessions.begin() as session:
            candidates = session.execute(
                select(t.c.id, t.c.state, t.c.attempts).where(t.c.kind.in_(sorted(self.steps)))
                .where(self._claimable(runner, now))
                .order_by(t.c.created_at)).all()
            for job_id, state, attempts in candidates:
                if attempts >= MAX_ATTEMPTS:
                    self._end(session, job_id, FAILED, error=f"gave up after {attempts} interrupted runs")
                    continue
                # The condition again in the UPDATE itself: a runner that claimed it meanwhile wins.
                taken = session.execute(
                    update(t).where(t.c.id == job_id)
                    .where(self._claimable(runner, now))
                    .values(state=RUNNING, lease_owner=runner, lease_until=now + timedelta(seconds=self.lease_seconds),
                            attempts=t.c.attempts + 1,
                            started_at=t.c.started_at if state == RUNNING else now)).rowcount
                if taken:
                    log.info("job_claimed", extra={"job": job_id, "runner": runner, "resumed": state == RUNNING})
                    self._held[runner] = job_id
                    return job_id
        return None

    def run_chunk(self, job_id: str, runner: str) -> bool:
        """One chunk of the job in one transaction; True while there is more to do."""
        t = self.table
        try:
            with self.sessions.begin() as session:
                row = session.execute(select(t).where(t.c.id == job_id).with_for_update()).first()
                if row is None or row.state != RUNNING or row.lease_owner != runner:
                    raise LeaseLost(job_id)
                chunk = self.steps[row.kind](session, row.params, row.checkpoint)
                values = {"done": chunk.done, "total": chunk.total, "checkpoint": chunk.checkpoint,
                          "stage": chunk.stage, "lease_until": _now() + timedelta(seconds=self.lease_seconds)}
                if chunk.finished:
                    values |= {"state": DONE, "active_kind": None, "finished_at": _now(), "result": chunk.result,
                               "lease_owner": None, "lease_until": None}
                session.execute(update(t).where(t.c.id == job_id).values(**values))
        except (LeaseLost, KeyboardInterrupt, SystemExit):
            self._held.pop(runner, None)
            raise
        except Exception as exc:
            self._held.pop(runner, None)
            if _infrastructure(exc):
                raise  # the database went away: the lease lapses and a later run resumes the job
            log.exception("job_failed", extra={"job": job_id, "error": type(exc).__name__})
            with self.sessions.begin() as session:
                self._end(session, job_id, FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
            return False
        if chunk.finished:
            self._held.pop(runner, None)
            log.info("job_done", extra={"job": job_id, "runner": runner, **(chunk.result or {})})
            return False
        return True

    def work(self, runner: str, *, budget: float, max_chunks: int | None = None) -> int:
        """Run chunks of the held job, or of one claimed now, for about `budget` seconds; chunks run."""
        deadline = time.monotonic() + budget
        ran = 0
        while time.monotonic() < deadline and (max_chunks is None or ran < max_chunks):
            job_id = self._held.get(runner) or self.claim(runner)
            if job_id is None:
                break
            try:
                self.run_chunk(job_id, runner)
            except LeaseLost:
                log.warning("job_lease_lost", extra={"job": job_id, "runner": runner})
                continue  # nothing was done; another job may be claimable
            ran += 1
        return ran

    def periodic(self, runner: str, every: float = 1.0, budget: float = 2.0) -> PeriodicJob:
        """For the worker: a few seconds of chunks between deliveries."""
        return PeriodicJob("jobs", every, lambda _sessions: self.work(runner, budget=budget))

    def follow(self, job_id: str, runner: str, on_progress: Callable[[dict], None],
               poll: float = 0.5) -> dict:
        """Help run the job (whoever claims a chunk does it) and report its progress until it ends."""
        while True:
            job = self.get(job_id)
            on_progress(job)
            if job["state"] in (DONE, FAILED):
                return job
            if not self.work(runner, budget=1.0):
                time.sleep(poll)  # another runner holds it: watch

    def _end(self, session: Session, job_id: str, state: str, *, error: str | None = None) -> None:
        t = self.table
        session.execute(update(t).where(t.c.id == job_id).values(
            state=state, active_kind=None, finished_at=_now(), error=error, lease_owner=None, lease_until=None))


# -- migrations --------------------------------------------------------------------------------------
# Frozen: the `jobs` table as the migrations that add it create it, the same in every service; a later
# change to `jobs_table` gets a migration of its own, never an edit here.
def create_table_migration() -> None:
    import sqlalchemy as sa
    from alembic import op

    tz = sa.DateTime(timezone=True)
    op.create_table(
        'jobs',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('active_kind', sa.String(length=60), nullable=True),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('stage', sa.String(length=40), nullable=True),
        sa.Column('done', sa.BigInteger(), nullable=False),
        sa.Column('total', sa.BigInteger(), nullable=True),
        sa.Column('checkpoint', sa.JSON(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('created_by', sa.String(length=200), nullable=False),
        sa.Column('created_at', tz, nullable=False),
        sa.Column('started_at', tz, nullable=True),
        sa.Column('finished_at', tz, nullable=True),
        sa.Column('lease_owner', sa.String(length=200), nullable=True),
        sa.Column('lease_until', tz, nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
        sa.UniqueConstraint('active_kind', name=op.f('uq_jobs_active_kind')),
    )
    op.create_index(op.f('ix_jobs_kind'), 'jobs', ['kind'], unique=False)


def drop_table_migration() -> None:
    from alembic import op

    op.drop_index(op.f('ix_jobs_kind'), table_name='jobs')
    op.drop_table('jobs')
