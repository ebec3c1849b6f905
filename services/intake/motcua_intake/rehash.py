"""`python -m motcua_intake rehash [--detach]`: bring every stored identity number under the current keys.

Run once after rotating INTAKE_ID_HASH_KEY or INTAKE_ID_ENCRYPTION_KEY (the old encryption key listed in
INTAKE_ID_PREVIOUS_ENCRYPTION_KEYS meanwhile), accepting that lookups by identity number fail for the
dossiers not yet re-keyed until it ends. Each number is decrypted, hashed under the current hash key and,
when it was encrypted under a previous key, encrypted again under the current one.

It is a background job (motcua_shared.jobs) in chunks of dossiers, each chunk committed with its
checkpoint: the command queues it and follows it with a progress bar (running the chunks itself unless
the intake worker claims them first), `--detach` only queues it for the worker. An interrupted run
resumes where it stopped; a chunk done twice is harmless (re-keying under the current keys again changes
nothing). One at a time.

A citizen's `created_by` is the hash of their token's subject, which is not stored anywhere else: it is
recomputed when the citizen submitted for themself (the same hash as the applicant's, the usual case);
a dossier a citizen submitted for someone else stays visible to its applicant, and to its submitter
again only if the hash key is put back (docs/personal-data.md).
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
import uuid
from typing import TextIO

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from motcua_shared import logs
from motcua_shared.jobs import DONE, Chunk, JobRunning, Jobs
from motcua_shared.progress import Bar
from motcua_shared.service import Runtime

from .desk import Desk
from .identity import CITIZEN_CREATOR
from .models import dossiers, jobs as jobs_table
from .service import SPEC

KIND = "identities.rehash"
BATCH = 1000


def step_for(desk: Desk):
    """The job's chunk (motcua_shared.jobs.Step) with the service's current keys."""
    hasher, cipher = desk.identities, desk.identity_numbers

    def step(session: Session, _params: dict, checkpoint: dict | None) -> Chunk:
        if checkpoint is None:
            total = session.execute(select(func.count()).select_from(dossiers)).scalar_one()
            return Chunk(done=0, total=total, stage="dossiers", checkpoint={
                "last_id": 0, "total": total, "counts": {"dossiers": 0, "reencrypted": 0, "creators": 0}})
        counts = dict(checkpoint["counts"])
        batch = session.execute(select(dossiers.c.id, dossiers.c.applicant_id_encrypted,
                                       dossiers.c.applicant_id_hash, dossiers.c.created_by)
                                .where(dossiers.c.id > checkpoint["last_id"]).order_by(dossiers.c.id)
                                .limit(BATCH)).all()
        for row_id, encrypted, old_hash, created_by in batch:
            id_number = cipher.decrypt(encrypted)
            values = {"applicant_id_hash": hasher.digest(id_number)}
            if not cipher.is_current(encrypted):
                values["applicant_id_encrypted"] = cipher.encrypt(id_number)
                counts["reencrypted"] += 1
            if created_by == CITIZEN_CREATOR + old_hash:
                values["created_by"] = hasher.creator(id_number)
                counts["creators"] += 1
            session.execute(update(dossiers).where(dossiers.c.id == row_id).values(**values))
        counts["dossiers"] += len(batch)
        total = max(checkpoint["total"], counts["dossiers"])
        if not batch:
            return Chunk(done=counts["dossiers"], total=total, checkpoint=None, stage="done", finished=True,
                         result=counts)
        return Chunk(done=counts["dossiers"], total=total, stage="dossiers",
                     checkpoint={"last_id": batch[-1][0], "total": total, "counts": counts})

    return step


def jobs(runtime: Runtime, desk: Desk | None = None) -> Jobs:
    return Jobs(jobs_table, runtime.sessions, {KIND: step_for(desk or Desk.from_settings(runtime.settings))})


def runner_name(role: str) -> str:
    return f"intake-{role}@{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def periodic(runtime: Runtime) -> list:
    """The worker runs the jobs between deliveries."""
    return [jobs(runtime).periodic(runner_name("worker"))]


def rehash(runtime: Runtime, desk: Desk, on_progress=lambda job: None, *, by: str = "command line") -> dict:
    """Queue the job (or take the one queued or running) and see it to its end; its counts."""
    queue = jobs(runtime, desk)
    try:
        job = queue.enqueue(KIND, by=by)
    except JobRunning as running:
        job = running.job
    job = queue.follow(job["id"], runner_name("command"), on_progress)
    if job["state"] != DONE:
        raise RuntimeError(f"rehash failed: {job['error']}")
    return job["result"]


def run(argv: list[str] | None = None, *, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="python -m motcua_intake rehash",
                                     description="Băm và mã hoá lại số định danh theo khoá hiện hành.")
    parser.add_argument("--detach", action="store_true", help="queue the job for the worker and return")
    args = parser.parse_args(argv)
    runtime = Runtime(SPEC)
    # The JSON log lines would break the progress bar: only warnings and errors from here on.
    logs.configure(SPEC.name, "rehash", "WARNING")
    try:
        desk = Desk.from_settings(runtime.settings)
        if args.detach:
            try:
                job = jobs(runtime, desk).enqueue(KIND, by="command line")
            except JobRunning as running:
                job = running.job
            print(job["id"], file=out)
            return 0
        bar = Bar(err, "Băm lại số định danh", None, unit="hồ sơ")
        try:
            counts = rehash(runtime, desk, lambda job: bar.update(job["progress"]["done"], job["progress"]["total"]))
        except RuntimeError as exc:
            print(str(exc), file=err)
            return 1
        finally:
            bar.close()
        print(f"Đã băm lại {counts['dossiers']} hồ sơ ({counts['reencrypted']} mã hoá lại, "
              f"{counts['creators']} người nộp trực tuyến).", file=out)
        return 0
    finally:
        runtime.close()


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(argv if argv is not None else sys.argv[2:]))
