"""Imported reference sets as each service keeps them: one table per database, one row per import.

Intake writes a row when an administrator imports a set (and announces it, `vn.motcua.reference.changed`);
every other service writes the same row when the announcement reaches it. A process computes with the
newest row (highest `sequence`): at start, when it consumed the announcement (after the transaction
commits), and every MOTCUA_REFERENCE_REFRESH_SECONDS for the processes that did not (the API processes,
a second worker). Without any row the set read from the shipped files and MOTCUA_REFERENCE_DIR applies.
Rows are never updated or deleted: they are the history an administrator rolls back from.
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import nullcontext

from sqlalchemy import JSON, event, BigInteger, Column, DateTime, MetaData, String, Table, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from ..db import dialect_insert
from .current import current, install
from .sets import InvalidReferenceSet, ReferenceSet, build, verified

log = logging.getLogger("motcua.reference")

TABLE = "reference_sets"


def reference_sets_table(metadata: MetaData) -> Table:
    return Table(
        TABLE, metadata,
        Column("sequence", BigInteger, primary_key=True, autoincrement=False),
        Column("version", String(64), nullable=False),
        Column("label", String(200), nullable=True),
        Column("files", JSON, nullable=False),
        Column("imported_at", DateTime(timezone=True), nullable=False),
    )


def newest_sequence(connection: Connection | Session, table: Table) -> int:
    return connection.execute(select(func.coalesce(func.max(table.c.sequence), 0))).scalar_one()


def keep(session: Session, table: Table, data: dict) -> ReferenceSet | None:
    """Store an announced set (`data` of reference.changed, loaded) and return it checked; None when it is not
    newer than the newest one kept. The set is checked first: a service never stores what it could not use."""
    if data["sequence"] <= newest_sequence(session, table):
        return None
    # Content that is not the version announced, or breaks a rule, is refused (apply_announcement).
    checked = verified(data["files"], data["version"], label=data["label"], sequence=data["sequence"],
                       origin="import")
    inserted = session.execute(dialect_insert(session)(table).values(
        sequence=data["sequence"], version=data["version"], label=data["label"], files=dict(data["files"]),
        imported_at=data["imported_at"]).on_conflict_do_nothing(index_elements=["sequence"])
        .returning(table.c.sequence)).first()
    return checked if inserted is not None else None


def apply_announcement(session: Session, table: Table, data: dict) -> None:
    """A consumer's handler: keep the set, and compute with it once the transaction has committed (a rolled
    back delivery leaves the process on the set it had).

    A set this service refuses (content not matching its version, a rule of this release it breaks) is
    recorded as handled and changes nothing: intake checked it before announcing it, so the refusal
    means two releases disagree, which no retry or dead-letter replay can mend; importing a set both
    accept does. The service stays on its set and says so: the log line below, and its
    `motcua_reference_version_info` differing from intake's (alert MotcuaReferenceVersionsDiffer)."""
    try:
        checked = keep(session, table, data)
    except InvalidReferenceSet as refused:
        log.error("reference_set_refused", extra={
            "sequence": data["sequence"], "version": data["version"], "problems_total": len(refused.problems),
            "problems": [str(problem) for problem in refused.problems[:20]]})
        return
    if checked is not None:
        event.listen(session, "after_commit", lambda _session: install(checked), once=True)


def sync(bind: Engine | Session, table: Table) -> ReferenceSet:
    """Compute with the newest stored set if it is newer than the one in use; returns the set in use."""
    with (bind.connect() if isinstance(bind, Engine) else nullcontext(bind)) as connection:
        newest = newest_sequence(connection, table)
        if not newest:
            return current()  # nothing imported: the shipped files and the mounted directory
        version = connection.execute(select(table.c.version).where(table.c.sequence == newest)).scalar_one()
        in_use = current()
        if (newest, version) != (in_use.sequence, in_use.version):
            # The database's newest row is this service's truth (rows are only added when newer), so it is
            # installed whatever the process held before.
            row = connection.execute(select(table).where(table.c.sequence == newest)).mappings().one()
            install(_from_row(dict(row)), force=True)
    return current()


class Refresher:
    """Calls `sync` at most every `seconds` (an API process's requests, a worker's idle loop)."""

    def __init__(self, engine: Engine, table: Table, seconds: float) -> None:
        self._engine, self._table, self._seconds = engine, table, seconds
        self._next = 0.0
        self._lock = threading.Lock()

    def __call__(self) -> None:
        now = time.monotonic()
        if now < self._next or not self._lock.acquire(blocking=False):
            return
        try:
            self._next = now + self._seconds
            sync(self._engine, self._table)
        except Exception as exc:  # the database being away is /readyz's business: keep the set in use
            log.warning("reference_refresh_failed", extra={"error": type(exc).__name__})
        finally:
            self._lock.release()


def _from_row(row: dict) -> ReferenceSet:
    return build(row["files"], label=row["label"], sequence=row["sequence"], origin="import")



def announcement_handler(table: Table):
    """The consumer handler of `vn.motcua.reference.changed` for a service keeping its sets in `table`."""
    from ..events import registry
    from ..events.catalogue.reference import REFERENCE_CHANGED

    def on_reference_changed(session: Session, event) -> None:
        apply_announcement(session, table, registry.load_data(REFERENCE_CHANGED, event.data))

    return on_reference_changed
