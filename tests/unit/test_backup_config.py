"""The archiving settings are written once and used everywhere: deploy/postgres/archiving.conf (a server
installed by hand, the restore test's private cluster) and docker-compose.yml's postgres command agree;
the archive command never overwrites a segment with different content (the PostgreSQL manual's rule)."""
from __future__ import annotations

import gzip
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
POSTGRES = REPO / "deploy" / "postgres"


def conf_settings() -> dict[str, str]:
    settings = {}
    for line in (POSTGRES / "archiving.conf").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            key, value = (part.strip() for part in line.split("=", 1))
            settings[key] = value.strip("'")
    return settings


def test_compose_runs_postgres_with_the_archiving_settings_of_deploy_postgres():
    service = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]["postgres"]
    command = service["command"]
    flags = dict(command[i + 1].split("=", 1) for i in range(len(command) - 1) if command[i] == "-c")
    assert flags == conf_settings()
    assert flags["archive_mode"] == "on" and flags["wal_level"] == "replica" and int(flags["archive_timeout"]) <= 60
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in service["volumes"]}
    assert mounts["/usr/local/bin/motcua-archive-wal"] == "./deploy/postgres/archive-wal.sh"
    assert mounts["/usr/local/bin/motcua-restore-wal"] == "./deploy/postgres/restore-wal.sh"
    assert mounts["/var/lib/postgresql/archive"] == "postgres-archive"
    assert flags["archive_command"].endswith(" /var/lib/postgresql/archive")


def test_the_archive_command_is_atomic_idempotent_and_never_overwrites(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    segment = tmp_path / "000000010000000000000001"
    segment.write_bytes(b"wal" * 1000)

    def archive_it() -> int:
        return subprocess.run([str(POSTGRES / "archive-wal.sh"), str(segment), segment.name, str(archive)],
                              capture_output=True).returncode

    assert archive_it() == 0
    assert gzip.decompress((archive / f"{segment.name}.gz").read_bytes()) == segment.read_bytes()
    assert archive_it() == 0  # the same segment again (a retry after a crash): fine
    segment.write_bytes(b"other")
    assert archive_it() != 0  # a different file under that name: refused, the archived one kept
    assert gzip.decompress((archive / f"{segment.name}.gz").read_bytes()) == b"wal" * 1000
    assert [p.name for p in archive.iterdir()] == [f"{segment.name}.gz"]  # no temporary left behind

    restored = tmp_path / "restored"

    def run(name: str) -> int:
        return subprocess.run([str(POSTGRES / "restore-wal.sh"), name, str(restored), str(archive)],
                              capture_output=True).returncode

    assert run(segment.name) == 0 and restored.read_bytes() == b"wal" * 1000
    assert run("000000010000000000000002") == 1  # past the end of the archive: "not there", quietly
