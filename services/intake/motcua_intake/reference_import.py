"""An administrator imports a new reference set: `python -m motcua_intake reference import DIR`.

DIR is laid out like MOTCUA_REFERENCE_DIR (units.csv, agencies.csv, procedures.csv,
procedure_documents.csv, calendar/YYYY.csv, version.txt); a file it does not hold is the shipped one.
The whole set is checked first (motcua_shared.reference.sets): any problem prints the report, file,
line and problem, and nothing is stored (exit 1). Otherwise the set is stored with the next import
sequence and announced (`vn.motcua.reference.changed`, in the same transaction, through the outbox):
every service stores it and computes with it from then on. The same set as the newest one stored
changes nothing (exit 0). Rolling back is importing the previous set again: it gets a new sequence.

`reference list` prints the sets stored, newest first; `reference check DIR` only checks. The same import
is offered to a province administrator by the API (`POST /api/v1/reference/sets`, api/reference).
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua_shared import logs
from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.reference import REFERENCE_CHANGED
from motcua_shared.reference.current import install
from motcua_shared.reference.sets import (InvalidReferenceSet, ReferenceSet, build, compose, from_directory,
                                          shipped_files)
from motcua_shared.reference.store import newest_sequence

from .lifecycle import SOURCE
from .models import reference_sets


@dataclass(frozen=True)
class Imported:
    set: ReferenceSet
    stored: bool  # False: the same set as the newest stored, nothing changed


def import_set(session: Session, outbox, candidate: ReferenceSet) -> Imported:
    """Store and announce `candidate` (already checked) unless it is the newest set stored."""
    newest = newest_sequence(session, reference_sets)
    if newest:
        version = session.execute(select(reference_sets.c.version)
                                  .where(reference_sets.c.sequence == newest)).scalar_one()
        if version == candidate.version:
            return Imported(candidate, False)
    now = datetime.now(timezone.utc)
    stored = build(candidate.files, label=candidate.label, sequence=newest + 1, origin="import")
    session.execute(reference_sets.insert().values(sequence=stored.sequence, version=stored.version,
                                                   label=stored.label, files=dict(stored.files), imported_at=now))
    data = {"sequence": stored.sequence, "version": stored.version, "label": stored.label,
            "files": dict(stored.files), "imported_at": isoformat(now)}
    outbox.add(session, new_event(REFERENCE_CHANGED, source=SOURCE, subject=stored.version, data=data))
    return Imported(stored, True)


def import_directory(runtime, directory: str | Path) -> Imported:
    """Check, store, announce, and compute with the set in this process once committed.
    Raises InvalidReferenceSet with the report."""
    return _store(runtime, from_directory(directory))


def import_files(runtime, texts: dict[str, str], label: str | None) -> Imported:
    """The same for files sent to the API: those given replace the shipped ones, by name."""
    return _store(runtime, build(compose(shipped_files(), texts), label=label, origin="import"))


def _store(runtime, candidate: ReferenceSet) -> Imported:
    with runtime.sessions.begin() as session:
        result = import_set(session, runtime.outbox, candidate)
    if result.stored:
        install(result.set, force=True)  # the newest row of intake's database, which this process serves
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m motcua_intake reference",
                                     description="Dữ liệu dùng chung: đơn vị, cơ quan, thủ tục, lịch năm.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("import", help="check, store and announce the set of DIR").add_argument("directory", type=Path)
    sub.add_parser("check", help="check the set of DIR only").add_argument("directory", type=Path)
    sub.add_parser("list", help="the sets stored, newest first")
    args = parser.parse_args(argv)
    if args.command == "check":
        from motcua_shared.reference.__main__ import check

        return check(args.directory)
    from motcua_shared.service import Runtime

    from .service import SPEC

    runtime = Runtime(SPEC)
    logs.configure("intake", "reference", runtime.settings.log_level)
    try:
        if args.command == "list":
            with runtime.engine.connect() as connection:
                for row in connection.execute(select(reference_sets).order_by(reference_sets.c.sequence.desc())):
                    print(f"{row.sequence}\t{row.version}\t{row.imported_at.isoformat()}\t{row.label or ''}")
            return 0
        try:
            result = import_directory(runtime, args.directory)
        except InvalidReferenceSet as exc:
            print(f"Bộ dữ liệu {args.directory} không hợp lệ, không nhập gì:\n{exc}", file=sys.stderr)
            return 1
        if result.stored:
            print(f"Đã nhập bộ dữ liệu số {result.set.sequence}, phiên bản {result.set.version}"
                  f"{' (' + result.set.label + ')' if result.set.label else ''}; đã thông báo cho các dịch vụ.")
        else:
            print(f"Bộ dữ liệu {result.set.version} đã là bộ mới nhất: không thay đổi gì.")
        return 0
    finally:
        runtime.close()
