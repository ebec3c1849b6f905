"""Applying a staged import, part by part.

A part is the next `INTAKE_IMPORT_PART_SIZE` records not applied yet, in the file's order, and one
transaction: their `dossiers` rows (historical), their `dossier_history` rows, the records marked applied,
the import's progress and ONE outbox event `vn.motcua.history.imported`. A crash loses at most the part
in hand, which the next run applies again from the start (its ids are deterministic, events.py).

Two appliers (the CLI and the worker, or two workers) lock the import's row first (FOR UPDATE; SQLite's
BEGIN IMMEDIATE serialises writers anyway), so they take parts one after the other and never apply a
record twice: the second waits for the first's commit, then reads the records still unapplied.

Every write is one statement per table per part: executemany, which psycopg sends as one pipeline
(measured faster than multi-row VALUES for the history's thousand rows), never a round trip per dossier.

Logbook numbers: an imported dossier takes the next numbers of its receiving unit's book of its year
(Sổ theo dõi hồ sơ, Mẫu 06), in the order received within the part, exactly as a live reception takes
one (sequences.py): the 2019 book printed from motcua then lists every 2019 dossier with a number, and a
live dossier received later in the same year continues after them. The old system's numbers are not in
the file (the export formats do not carry them), so they cannot be kept.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import bindparam, insert, literal_column, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from motcua_shared.db import dialect_insert
from motcua_shared.events import isoformat
from motcua_shared.reference import fold
from motcua_shared.workcal import VIETNAM_TZ

from .. import restore_guard
from ..desk import Desk
from ..models import dossiers, history, import_records, imports, logbook_sequences
from . import events, stored
from .events import Life

log = logging.getLogger("motcua.intake.imports")
# PostgreSQL's statistics of the tables an import fills, refreshed every this many parts. Without it a
# year's import into fresh tables slowed fourfold: the driver's prepared statements kept the plans made
# while `dossiers` was nearly empty (a sequential scan to find the part's codes), and autovacuum had
# not analysed it yet. ANALYZE invalidates those plans; it costs a fraction of one part.
ANALYZE_EVERY_PARTS = 20


@dataclass(frozen=True)
class Progress:
    import_id: str
    part: int | None  # the part just applied (None: nothing was left)
    dossiers: int  # dossiers written by it
    applied: int  # records of the import applied so far
    total: int  # records to apply (the file's, less those intake held already)
    done: bool


def unfinished(session: Session) -> list[str]:
    """Imports with records still to apply, oldest first."""
    query = select(imports.c.id).where(imports.c.status != "done").order_by(imports.c.created_at, imports.c.id)
    return list(session.execute(query).scalars())


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(timezone.utc)


def _logbook_numbers(session: Session, lives: list[Life]) -> dict[str, int]:
    """The next numbers of each (unit, year) book, one upsert per book, in the order received."""
    books: dict[tuple[str, int], list[Life]] = defaultdict(list)
    for life in sorted(lives, key=lambda item: (item.record.received_at, item.record.line)):
        books[(life.record.receiving_unit, life.record.received_at.astimezone(VIETNAM_TZ).year)].append(life)
    numbers = {}
    if books:
        restore_guard.check(session)  # a restored database numbers nothing before after-restore
    for (unit, year), members in sorted(books.items()):
        stmt = dialect_insert(session)(logbook_sequences).values(unit=unit, year=year, last_value=len(members))
        stmt = stmt.on_conflict_do_update(
            index_elements=["unit", "year"],
            set_={"last_value": logbook_sequences.c.last_value + literal_column(str(len(members)))},
        ).returning(logbook_sequences.c.last_value)
        last = session.execute(stmt).scalar_one()
        for offset, life in enumerate(members):
            numbers[life.record.code] = last - len(members) + 1 + offset
    return numbers


def applied_record(data: dict) -> dict:
    return {"code": data["code"], "fingerprint": data.get("fingerprint")}


def _dossier_row(desk: Desk, life: Life, *, admin: str, number: int, now: datetime) -> dict:
    record, applicant = life.record, life.record.applicant
    return {
        "code": record.code, "procedure_code": record.procedure_code, "channel": record.channel,
        "status": life.status, "receiving_unit": record.receiving_unit,
        "receiving_unit_path": record.receiving_unit_path, "competent_unit": record.competent_unit,
        "competent_unit_path": record.competent_unit_path,
        # As receiving.submit: the search column keeps the first 200 characters of the folded name.
        "applicant_name": applicant.full_name, "applicant_name_folded": fold(applicant.full_name)[:200],
        "applicant_id_encrypted": desk.identity_numbers.encrypt(applicant.id_number),
        "applicant_id_hash": desk.identities.digest(applicant.id_number),
        "applicant_phone": applicant.phone, "applicant_email": applicant.email, "applicant_address": applicant.address,
        "return_method": record.return_method, "delivery_address": record.delivery_address,
        "documents": list(record.documents), "fee_vnd": record.fee_vnd,
        "submitted_at": _utc(record.received_at), "received_at": _utc(record.received_at),
        "due_at": _utc(life.due_at), "rescheduled_due_at": None, "paused_from": _utc(life.paused_from),
        "supplement_stage": life.supplement_stage, "redirected_to": None, "result": record.result,
        "processed_at": _utc(record.processed_at), "returned_at": _utc(record.returned_at),
        "returned_by": (record.returned_by or record.return_method) if record.returned_at else None,
        "postal_issue": None, "postal_issue_at": None, "logbook_number": number,
        "last_event_at": _utc(life.last_event_at), "received_by": admin, "received_by_name": record.received_by,
        "created_by": admin, "idempotency_key": None,
        # The record's fingerprint: validation.py tells a file imported before (same content) by it.
        "request_hash": record.fingerprint, "created_at": now, "historical": True,
    }


def _history_rows(life: Life) -> list[dict]:
    rows = []
    for change in life.changes:
        details = change.details
        if change.action == "receive":
            details = {"due_at": isoformat(life.record.due_at)}  # as receiving.submit writes it
        rows.append({"dossier_code": life.record.code, "action": change.action, "status": change.status,
                     "occurred_at": _utc(change.at), "actor": change.actor, "actor_name": change.actor_name,
                     "unit": change.unit, "ref": change.ref, "note": change.note, "details": details})
    return rows


def _existing_codes(session: Session, codes: list[str]) -> set[str]:
    return set(session.execute(select(dossiers.c.code).where(dossiers.c.code.in_(codes))).scalars())


def _lock(session: Session, import_id: str) -> dict | None:
    row = session.execute(select(imports).where(imports.c.id == import_id).with_for_update()).mappings().first()
    return dict(row) if row else None


def apply_part(session: Session, desk: Desk, import_id: str, *, part_size: int) -> Progress | None:
    """Apply the next part of `import_id` in the caller's transaction; None if there is no such import."""
    row = _lock(session, import_id)
    if row is None:
        return None
    to_apply = row["total"] - row["already"]
    if row["status"] == "done":
        return Progress(import_id, None, 0, row["applied"], to_apply, True)
    if (row["parts"] + 1) % ANALYZE_EVERY_PARTS == 0 and session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE dossiers, dossier_history, import_records"))
    pending = session.execute(
        select(import_records.c.line, import_records.c.record)
        .where(import_records.c.import_id == import_id, ~import_records.c.applied)
        .order_by(import_records.c.line).limit(part_size)).all()
    now = datetime.now(timezone.utc)
    admin = row["created_by"]
    records = [stored.load(data) for _line, data in pending]
    # A dossier that entered intake since the file was checked (another import of the same dossier
    # finished first) is not written twice: it counts as already there.
    present = _existing_codes(session, [record.code for record in records]) if records else set()
    calendar = desk.calendars.calendar(session)
    lives = [events.life(record, calendar, import_id=import_id, admin=admin)
             for record in records if record.code not in present]
    part = None
    if lives:
        part = row["parts"] + 1
        numbers = _logbook_numbers(session, lives)
        session.execute(insert(dossiers), [_dossier_row(desk, life, admin=admin, number=numbers[life.record.code],
                                                        now=now) for life in lives])
        session.execute(insert(history), [entry for life in lives for entry in _history_rows(life)])
        desk.outbox.add(session, events.part_event(import_id, part, lives))
    if pending:
        # An applied record keeps only what tells the same record brought in again (validation._existing):
        # the applicant's name, identity number and contacts now live in `dossiers`, the number encrypted.
        session.execute(update(import_records).where(import_records.c.import_id == import_id,
                                                     import_records.c.line == bindparam("applied_line"))
                        .values(applied=True, record=bindparam("kept")),
                        [{"applied_line": line, "kept": applied_record(data)} for line, data in pending])
    applied = row["applied"] + len(lives)
    already = row["already"] + len(records) - len(lives)
    remaining = session.execute(select(import_records.c.line).where(
        import_records.c.import_id == import_id, ~import_records.c.applied).limit(1)).first()
    done = remaining is None
    session.execute(update(imports).where(imports.c.id == import_id).values(
        applied=applied, already=already, parts=part or row["parts"], status="done" if done else "applying",
        finished_at=now if done else None))
    if part:
        log.info("import_part_applied", extra={"import_id": import_id, "part": part, "dossiers": len(lives)})
    if done:
        log.info("import_done", extra={"import_id": import_id, "applied": applied, "already": already})
    return Progress(import_id, part, len(lives), applied, row["total"] - already, done)


def apply_all(sessions: sessionmaker, desk: Desk, import_id: str, *, part_size: int,
              on_part: Callable[[Progress], None] | None = None, stop_after: int | None = None) -> Progress | None:
    """Apply parts until the import is done (or `stop_after` parts), one transaction each."""
    progress, parts = None, 0
    while stop_after is None or parts < stop_after:
        with sessions.begin() as session:
            progress = apply_part(session, desk, import_id, part_size=part_size)
        if progress is None or progress.part is None and progress.done:
            return progress
        parts += 1
        if on_part is not None:
            on_part(progress)
        if progress.done:
            return progress
    return progress


def apply_pending(sessions: sessionmaker, desk: Desk, *, part_size: int, budget_seconds: float) -> int:
    """The worker's job: parts of unfinished imports, oldest first, until `budget_seconds` are spent
    (at least one part), so the consumer beside it keeps taking events. Returns the parts applied."""
    started, parts = time.monotonic(), 0
    with sessions() as session:
        waiting = unfinished(session)
    for import_id in waiting:
        while True:
            with sessions.begin() as session:
                progress = apply_part(session, desk, import_id, part_size=part_size)
            if progress is None or progress.part is None and progress.done:
                break
            parts += 1
            if progress.done or time.monotonic() - started >= budget_seconds:
                break
        if time.monotonic() - started >= budget_seconds:
            break
    return parts

