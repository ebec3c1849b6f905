"""A private PostgreSQL cluster with WAL archiving as deploy/postgres configures it, and the steps of
docs/backups.md run on it with the shipped scripts (scripts/backup/): base backup, point-in-time
restore into a fresh cluster, one database carried from the restored cluster into the live one.

Never the shared server on 5432: restoring means starting and stopping clusters, and the archive
settings need a restart.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .private_infra import InfraError, PrivatePostgres, _as_owner, _own, _run

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = REPO / "scripts" / "backup"


class ArchivingPostgres(PrivatePostgres):
    """initdb, deploy/postgres/archiving.conf included, its archive_command pointed at a private archive."""

    def __init__(self):
        super().__init__()
        self.archive = self.base / "archive"
        self.backups = self.base / "backups"

    def start(self) -> "ArchivingPostgres":
        if not self.data.exists():
            self.archive.mkdir()
            self.backups.mkdir()
            _own(self.base, "postgres")
            _run(_as_owner("postgres", [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]))
            # The shipped settings, then the one line a server installed by hand changes: where the archive is.
            with open(self.data / "postgresql.conf", "a") as conf:
                conf.write(f"include '{REPO}/deploy/postgres/archiving.conf'\n")
                conf.write(f"archive_command = '{REPO}/deploy/postgres/archive-wal.sh %p %f {self.archive}'\n")
        super().start()
        return self

    def url_for(self, database: str) -> str:
        return make_url(self.url).set(database=database).render_as_string(hide_password=False)

    def admin(self):
        return create_engine(self.url, isolation_level="AUTOCOMMIT", pool_size=1)

    def env(self) -> dict[str, str]:
        return {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(self.port), "PGUSER": "postgres",
                "PG_BINDIR": str(self.bin)}

    def base_backup(self) -> Path:
        """scripts/backup/base-backup.sh; the directory it wrote."""
        out = subprocess.run([str(SCRIPTS / "base-backup.sh"), str(self.backups)], env=self.env(),
                             capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise InfraError(f"base-backup.sh failed: {out.stderr[-800:]}")
        return Path(out.stdout.strip().splitlines()[-1])

    def archive_everything(self, timeout: float = 30) -> None:
        """Close the current WAL segment and wait until the archiver has it: the end of the archive is now."""
        engine = self.admin()
        try:
            with engine.connect() as conn:
                segment = conn.execute(text("SELECT pg_walfile_name(pg_switch_wal())")).scalar_one()
            deadline = time.monotonic() + timeout
            while True:
                with engine.connect() as conn:
                    last, failed = conn.execute(text(
                        "SELECT last_archived_wal, last_failed_wal FROM pg_stat_archiver")).one()
                if last and last >= segment:
                    return
                if time.monotonic() > deadline:
                    raise InfraError(f"segment {segment} not archived (last {last}, failed {failed})")
                time.sleep(0.1)
        finally:
            engine.dispose()

    def copy_database_from(self, source: PrivatePostgres, database: str) -> None:
        """Replace `database` here by its copy in `source`, as docs/backups.md restores one service's
        database: pg_dump from the restored cluster, a NEW database here, pg_restore into it."""
        dump = self.base / f"{database}.dump"
        _run([str(self.bin / "pg_dump"), "-h", "127.0.0.1", "-p", str(source.port), "-U", "postgres", "-Fc",
              "-f", str(dump), database])
        engine = self.admin()
        try:
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{database}"'))
        finally:
            engine.dispose()
        _run([str(self.bin / "pg_restore"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
              "--no-owner", "-d", database, str(dump)])
        dump.unlink()


def restore(backup: Path, archive: Path, *, target_time: datetime | None = None,
            timeout: float = 60) -> PrivatePostgres:
    """scripts/backup/restore.sh into a fresh cluster, started and waited for until promoted."""
    fresh = PrivatePostgres()
    command = [str(SCRIPTS / "restore.sh"), str(backup), str(fresh.data), "--archive", str(archive)]
    if target_time is not None:
        command += ["--target-time", target_time.isoformat()]
    out = subprocess.run(command, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PG_BINDIR": str(fresh.bin)})
    if out.returncode != 0:
        shutil.rmtree(fresh.base, ignore_errors=True)
        raise InfraError(f"restore.sh failed: {out.stderr[-800:]}")
    _own(fresh.base, "postgres")
    fresh.start()
    engine = create_engine(fresh.url, pool_size=1)
    try:
        deadline = time.monotonic() + timeout
        while True:
            with engine.connect() as conn:
                if not conn.execute(text("SELECT pg_is_in_recovery()")).scalar_one():
                    return fresh
            if time.monotonic() > deadline:
                raise InfraError(f"restored cluster still recovering after {timeout:.0f}s: "
                                 f"{(fresh.base / 'server.log').read_text()[-800:]}")
            time.sleep(0.1)
    finally:
        engine.dispose()
