"""Staging a checked file: its `imports` row and every record in `import_records`, in ONE transaction.

Nothing is half-staged: the caller's transaction holds the row and all the records, or neither. The same
file again (same sha256) is the import already made, whatever its state: nothing is staged twice, and an
unfinished one is simply continued. A code waiting in another import not yet applied would be brought
in twice: the same content counts as already there, another content is a problem of this file.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert

from ..lifecycle import as_dict
from ..models import import_records, imports
from . import stored
from .records import Checked, Problem, Record

LOOKUP_CHUNK = 1000  # codes per query when looking for codes waiting in other imports
INSERT_CHUNK = 2000  # records per executemany (bounded memory for the driver's batches)


@dataclass
class Staged:
    row: dict | None  # the import (None when problems stopped it)
    created: bool  # False: this file was imported (or staged) before
    problems: list[Problem]


def find(session: Session, sha256: str) -> dict | None:
    row = session.execute(select(imports).where(imports.c.sha256 == sha256)).mappings().first()
    return as_dict(row) if row else None


def get(session: Session, import_id: str) -> dict | None:
    row = session.execute(select(imports).where(imports.c.id == import_id)).mappings().first()
    return as_dict(row) if row else None


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _waiting_elsewhere(session: Session, codes: list[str]) -> dict[str, tuple[str, str]]:
    """code → (fingerprint, import id) of the records not yet applied in other imports."""
    found: dict[str, tuple[str, str]] = {}
    for chunk in _chunks(codes, LOOKUP_CHUNK):
        query = select(import_records.c.code, import_records.c.record, import_records.c.import_id).where(
            import_records.c.code.in_(chunk), import_records.c.applied.is_(False))
        for code, record, import_id in session.execute(query):
            found[code] = (record["fingerprint"], import_id)
    return found


def _against_pending(session: Session, records: list[Record]) -> tuple[list[Record], int, list[Problem]]:
    waiting = _waiting_elsewhere(session, [record.code for record in records])
    if not waiting:
        return records, 0, []
    kept, already, problems = [], 0, []
    for record in records:
        other = waiting.get(record.code)
        if other is None:
            kept.append(record)
        elif other[0] == record.fingerprint:
            already += 1  # the same dossier, waiting in another import: it will be there
        else:
            problems.append(Problem(record.line, "code", "code_taken",
                                    "Mã hồ sơ đang chờ nhập trong một tệp khác với nội dung khác."))
    return kept, already, problems


def stage(session: Session, checked: Checked, *, filename: str, sha256: str, created_by: str,
          now: datetime | None = None) -> Staged:
    """Stage a file `check_file` found no problem in. Call inside one transaction."""
    existing = find(session, sha256)
    if existing is not None:
        return Staged(existing, False, [])
    records, already_pending, problems = _against_pending(session, list(checked.records))
    if problems:
        return Staged(None, False, problems)
    now = now or datetime.now(timezone.utc)
    import_id = str(uuid.uuid4())
    done = not records
    row = {"id": import_id, "filename": filename[:255], "sha256": sha256, "status": "done" if done else "pending",
           "total": checked.total, "applied": 0, "already": checked.already + already_pending, "parts": 0,
           "created_by": created_by, "created_at": now, "finished_at": now if done else None}
    # Two uploads of one file at once: the second finds the first's row (unique sha256) and stages nothing.
    inserted = session.execute(dialect_insert(session)(imports).values(**row)
                               .on_conflict_do_nothing(index_elements=["sha256"]).returning(imports.c.id)).first()
    if inserted is None:
        return Staged(find(session, sha256), False, [])
    for chunk in _chunks(records, INSERT_CHUNK):
        session.execute(insert(import_records), [
            {"import_id": import_id, "line": record.line, "code": record.code, "record": stored.dump(record),
             "applied": False} for record in chunk])
    return Staged(row, True, [])


def listing(session: Session, *, limit: int = 100) -> list[dict]:
    query = select(imports).order_by(imports.c.created_at.desc(), imports.c.id).limit(limit)
    return [as_dict(row) for row in session.execute(query).mappings()]
