"""Re-keying the identity numbers is a background job (motcua_shared.jobs): resumed where it stopped
after a crash, run by the worker or by the command, which shows its progress."""
from __future__ import annotations

import base64
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from motcua_intake import rehash as rehash_module
from motcua_intake.identity import IdentityCipher
from motcua_intake.models import jobs as jobs_table
from motcua_intake.service import SPEC

from intake.support import APPLICANT, IntakeDesk
from intake.test_identity_storage import keyed_hash, rows

KEY_A = base64.urlsafe_b64encode(bytes(range(32))).decode()
KEY_B = base64.urlsafe_b64encode(bytes(range(32, 64))).decode()
ROTATED = {"INTAKE_ID_ENCRYPTION_KEY": KEY_B, "INTAKE_ID_PREVIOUS_ENCRYPTION_KEYS": KEY_A,
           "INTAKE_ID_HASH_KEY": "a-new-identity-hash-key-2026"}


def three_dossiers_under_key_a(database_url: str) -> None:
    before = IntakeDesk.on(database_url, INTAKE_ID_ENCRYPTION_KEY=KEY_A)
    try:
        for _ in range(3):
            before.receive()
    finally:
        before.close()


def all_under_the_new_keys(desk) -> bool:
    stored = rows(desk, "dossiers")
    return len(stored) == 3 and all(
        row["applicant_id_hash"] == keyed_hash(APPLICANT["id_number"], ROTATED["INTAKE_ID_HASH_KEY"])
        and IdentityCipher(KEY_B).decrypt(row["applicant_id_encrypted"]) == APPLICANT["id_number"] for row in stored)


def test_an_interrupted_rehash_resumes_where_it_stopped(intake_database, monkeypatch):
    three_dossiers_under_key_a(intake_database)
    after = IntakeDesk.on(intake_database, **ROTATED)
    try:
        monkeypatch.setattr(rehash_module, "BATCH", 1)
        queue = rehash_module.jobs(after.runtime)
        job = queue.enqueue(rehash_module.KIND, by="test")
        assert queue.work("worker-1", budget=30, max_chunks=2) == 2  # the count, then one dossier; then it dies
        assert queue.get(job["id"])["progress"] == {"done": 1, "total": 3}
        with after.runtime.sessions.begin() as session:  # its lease lapses
            session.execute(update(jobs_table).values(lease_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
        [periodic] = [p for p in SPEC.periodic(after.runtime) if p.name == "jobs"]
        periodic.run(after.runtime.sessions)  # the next worker start
        done = queue.get(job["id"])
        # Started over, the first dossier (already under KEY_B) would not count as re-encrypted.
        assert done["state"] == "done" and done["result"] == {"dossiers": 3, "reencrypted": 3, "creators": 0}
        assert all_under_the_new_keys(after)
    finally:
        after.close()


def test_the_command_runs_the_job_with_a_progress_bar_and_detach_leaves_it_to_the_worker(intake_database):
    three_dossiers_under_key_a(intake_database)
    env = {**os.environ, "INTAKE_DATABASE_URL": intake_database, **ROTATED}
    queued = subprocess.run([sys.executable, "-m", "motcua_intake", "rehash", "--detach"], capture_output=True,
                            text=True, timeout=120, env=env)
    assert queued.returncode == 0, queued.stderr
    job_id = queued.stdout.strip()
    after = IntakeDesk.on(intake_database, **ROTATED)
    try:
        assert rehash_module.jobs(after.runtime).get(job_id)["state"] == "queued"
        assert not all_under_the_new_keys(after)  # only queued
        # The command follows the job already queued (one at a time) and runs it itself: no worker here.
        done = subprocess.run([sys.executable, "-m", "motcua_intake", "rehash"], capture_output=True, text=True,
                              timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        assert "Đã băm lại 3 hồ sơ (3 mã hoá lại" in done.stdout
        assert "Băm lại số định danh: 3/3 hồ sơ (100%)" in done.stderr and '"level"' not in done.stderr
        assert rehash_module.jobs(after.runtime).get(job_id)["state"] == "done"
        assert all_under_the_new_keys(after)
    finally:
        after.close()
