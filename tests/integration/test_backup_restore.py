"""Backups that restore (docs/backups.md): point-in-time recovery into a fresh cluster with the shipped
scripts (scripts/backup/), on a private PostgreSQL cluster archiving its WAL as deploy/postgres says.

The short test (make test, about 20 s): intake restored to a moment between two receptions refuses to
number anything, after-restore moves its counters past the codes given out since, and the next dossier
gets a new code. The long one (make restore-test, about 90 s, real workers and broker): the whole
procedure for a consumer (reporting: replay from its producers) and for intake, then every dossier
counted once, no code issued twice, nobody notified twice about one dossier.
"""
from __future__ import annotations

import collections
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from motcua_shared import migrations
from motcua_shared.broker.setup import declare_system
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

from motcua_testing.archiving import SCRIPTS, ArchivingPostgres, restore
from motcua_testing.infra import unavailable
from motcua_testing.private_infra import PrivatePostgres
from motcua_testing.system import RETRY_DELAYS, System, spec_of
from motcua_testing.waiting import wait_for

SERVICES = ("intake", "reporting", "notification")


def dossier() -> dict:
    return {
        "procedure_code": "1.004873", "channel": "counter", "receiving_unit": "04222",
        "applicant": {"full_name": "Lò Thị Mai", "id_number": "014090001234", "phone": "0912345678",
                      "email": "mai@example.vn", "address": "Bản Hưng Mai, xã Chiềng Khương"},
        "return_method": "counter",
        "documents": [{"name": "Tờ khai", "copy_type": "original", "count": 1}],
    }


@pytest.fixture
def cluster():
    if not PrivatePostgres.available():
        unavailable("the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup)")
    pg = ArchivingPostgres().start()
    yield pg
    pg.shutdown()


@pytest.fixture
def make_stack(request, cluster, tmp_path):
    """A System on the private cluster with databases (migrated) for `services` only; with `broker`, on a
    vhost of its own with the system's topology (without, nothing may publish: no worker runs)."""
    made = []

    def make(*services: str, broker: bool = True) -> System:
        amqp_url, vhost = "amqp://guest:guest@127.0.0.1:1/%2F", "/"  # refused at once, should anything try
        if broker:
            vhost = request.getfixturevalue("vhost")
            amqp_url = request.getfixturevalue("broker").url_for(vhost)
            declare_system(amqp_url, RETRY_DELAYS)
        admin = cluster.admin()
        with admin.connect() as conn:
            for service in services:
                conn.exec_driver_sql(f'CREATE DATABASE "{service}"')
        admin.dispose()
        urls = {service: cluster.url_for(service) for service in services}
        for service in services:
            migrations.upgrade(spec_of(service), urls[service])
        (tmp_path / "var").mkdir()
        made.append(System(amqp_url=amqp_url, vhost=vhost, database_urls=urls, var_dir=tmp_path / "var"))
        return made[-1]

    yield make
    for system in made:
        system.close()


def received_count(system) -> int:
    counters = {row["name"]: row["value"] for row in system.rows("reporting", "counters")}
    return counters.get(DOSSIER_RECEIVED, 0)


def cli(system, service: str, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", f"motcua_{service}", *args], env={**os.environ, **system.env},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    return result


def stop(system, name: str) -> None:
    import signal

    system.processes.kill(name, signal.SIGTERM)


LONG = pytest.mark.skipif(os.environ.get("MOTCUA_RESTORE_TEST_LONG") != "1",
                          reason="about 90 s: make restore-test runs it")


def test_a_restored_intake_numbers_nothing_until_after_restore_then_never_a_code_given_out(
        make_stack, cluster, tmp_path):
    from motcua_intake import after_restore

    system = make_stack("intake", broker=False)  # nothing consumed: no worker, no broker traffic
    intake = system.client("intake")
    desk = system.auth("receptionist", unit="04222")

    def receive():
        return intake.post("/api/v1/dossiers", json=dossier(), headers=desk)

    codes = [receive().get_json()["code"] for _ in range(2)]
    backup = cluster.base_backup()
    time.sleep(0.3)
    restore_point = datetime.now(timezone.utc)
    time.sleep(0.3)
    codes += [receive().get_json()["code"] for _ in range(2)]
    cluster.archive_everything()

    restored = restore(backup, cluster.archive, target_time=restore_point)
    try:
        cluster.copy_database_from(restored, "intake")
    finally:
        restored.shutdown()
    assert system.count("intake", "dossiers") == 2  # the restore stopped at the point, not the archive's end

    refused = receive()
    assert refused.status_code == 503, refused.get_json()
    assert refused.content_type == "application/problem+json" and refused.get_json()["code"] == "restore_pending"
    assert system.count("intake", "dossiers") == 2

    # The codes known outside intake: here a file of them (receipts, the SMS gateway's log).
    known = tmp_path / "codes.txt"
    known.write_text("\n".join(codes) + "\n", encoding="utf-8")
    runtime = system.runtime("intake")
    with runtime.sessions.begin() as session:
        outcome = after_restore.run(session, urls={}, code_files=[known])
    assert outcome.missing == sorted(codes[2:]) and outcome.counters_raised == 1

    answer = receive()
    assert answer.status_code == 201, answer.get_json()
    new_code = answer.get_json()["code"]
    assert new_code not in codes
    assert int(new_code.rsplit("-", 1)[1]) == max(int(c.rsplit("-", 1)[1]) for c in codes) + 1

    # Retention: with one backup kept, the WAL before it goes and the WAL it needs stays.
    first_needed = (backup / "motcua-backup.txt").read_text().split("start_wal_file: ")[1].split()[0]
    before = sorted(p.name for p in cluster.archive.iterdir())
    assert any(name < first_needed for name in before)
    subprocess.run([str(SCRIPTS / "prune.sh"), str(cluster.backups), str(cluster.archive), "1"], check=True,
                   capture_output=True, env=cluster.env())
    after = sorted(p.name for p in cluster.archive.iterdir())
    assert after and all(name >= first_needed for name in after) and backup.exists()


@LONG
def test_a_restore_loses_nothing_acknowledged_and_reissues_no_code(make_stack, cluster):
    system = make_stack(*SERVICES)
    system.start_workers(*SERVICES)
    intake = system.client("intake")
    desk = system.auth("receptionist", unit="04222")

    def receive() -> str:
        answer = intake.post("/api/v1/dossiers", json=dossier(), headers=desk)
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()["code"]

    def settled(count: int) -> None:
        wait_for(lambda: received_count(system) == count and system.count("notification", "notices") == count,
                 timeout=60, what=f"reporting and notification to have {count} dossiers")

    codes = [receive(), receive()]
    settled(2)
    backup = cluster.base_backup()
    time.sleep(0.3)  # a clear gap on both sides of the point: commit times have microseconds
    restore_point = datetime.now(timezone.utc)
    time.sleep(0.3)
    codes += [receive(), receive()]
    settled(4)
    cluster.archive_everything()

    # Point-in-time recovery into a fresh cluster: the base backup, then the WAL up to the restore point.
    restored = restore(backup, cluster.archive, target_time=restore_point)
    try:
        # -- a consumer restored: reporting, back at the restore point, has lost two dossiers ----------
        stop(system, "reporting-worker")
        cluster.copy_database_from(restored, "reporting")
        assert received_count(system) == 2
        since = (restore_point - timedelta(minutes=5)).isoformat()
        replayed = cli(system, "intake", "replay", "--since", since, "--to", "reporting").stdout
        # All four dossiers' events go back to reporting's queue; its inbox skips the two it still has.
        assert "replayed 4 of 4 events" in replayed and "reporting.inbox 4" in replayed, replayed
        cli(system, "notification", "replay", "--since", since, "--to", "reporting")
        system.processes.restart("reporting-worker")
        wait_for(lambda: received_count(system) == 4, timeout=60, what="reporting to count the replayed dossiers")

        # -- intake restored: its counters are back at the restore point ---------------------------------
        stop(system, "intake-worker")
        cluster.copy_database_from(restored, "intake")
        assert system.count("intake", "dossiers") == 2
        refused = intake.post("/api/v1/dossiers", json=dossier(), headers=desk)
        assert refused.status_code == 503 and refused.content_type == "application/problem+json"
        assert refused.get_json()["code"] == "restore_pending"
        output = cli(system, "intake", "after-restore").stdout
        assert sorted(line.split()[1] for line in output.splitlines() if line.startswith("missing ")) == codes[2:], output
    finally:
        restored.shutdown()

    new_code = receive()
    assert new_code not in codes
    assert int(new_code.rsplit("-", 1)[1]) == max(int(c.rsplit("-", 1)[1]) for c in codes) + 1
    system.processes.restart("intake-worker")
    settled(5)
    time.sleep(2)  # anything counted or notified twice would have arrived by now

    assert received_count(system) == 5
    assert sorted(row["code"] for row in system.rows("reporting", "dossiers")) == sorted([*codes, new_code])
    per_code = collections.Counter(row["dossier_code"] for row in system.rows("notification", "notices"))
    assert per_code == {code: 1 for code in [*codes, new_code]}
