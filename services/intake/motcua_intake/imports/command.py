"""`python -m motcua_intake import FILE [--check] [--by NAME]` (`make import FILE=...`): bring a district's
past dossiers in from a CSV, XLSX or JSON-lines file.

The file is checked whole first; any problem prints the report ("Dòng 12, Ngày tiếp nhận: ...") and
nothing is stored (exit 1). Otherwise it is staged in one transaction and applied part by part with a
progress bar on standard error (plain lines when that is not a terminal). The same file again is the
same import: a finished one changes nothing, an interrupted one continues where it stopped (exit 0).

It uses the service's own settings (INTAKE_DATABASE_URL, or the SQLite file under MOTCUA_VAR_DIR that
`make run` uses), so it imports into the database the running services read. The running worker applies
the same import's parts too; both lock the import per part, so no record is applied twice.
"""
from __future__ import annotations

import argparse
import getpass
import hashlib
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Callable, TextIO

from motcua_shared import logs
from motcua_shared.progress import Bar
from motcua_shared.service import Runtime
from motcua_shared.workcal import VIETNAM_TZ

from ..desk import Desk
from ..service import SPEC
from . import applying, report, staging
from .reading import format_of

FORMATS_TEXT = "CSV, XLSX hoặc JSON lines (.csv, .xlsx, .jsonl)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m motcua_intake import",
                                     description="Nhập hồ sơ đã giải quyết trước đây (CSV, XLSX, JSON lines).")
    parser.add_argument("file", type=Path, help="the file of past dossiers")
    parser.add_argument("--check", action="store_true", help="check the file only; store nothing")
    parser.add_argument("--by", default=None, help="who imports (recorded as the import's and dossiers' creator)")
    return parser


def _apply(runtime: Runtime, desk: Desk, row: dict, err: TextIO, out: TextIO) -> int:
    to_apply = row["total"] - row["already"]
    bar = Bar(err, "Đang nhập hồ sơ", to_apply, row["applied"], unit="hồ sơ")
    started = time.monotonic()

    def on_part(progress: applying.Progress) -> None:
        bar.update(progress.applied, progress.total)

    try:
        progress = applying.apply_all(runtime.sessions, desk, row["id"],
                                      part_size=runtime.settings.intake_import_part_size, on_part=on_part)
    finally:
        bar.close()
    applied = progress.applied if progress else row["applied"]
    already = row["total"] - (progress.total if progress else to_apply)
    print(f"Đã nhập {applied} hồ sơ" + (f" ({already} hồ sơ đã có từ trước)" if already else "")
          + f" trong {time.monotonic() - started:.1f} giây. Mã lần nhập: {row['id']}.", file=out)
    return 0


def run(argv: list[str] | None = None, *, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
        runtime_factory: Callable[[], Runtime] = lambda: Runtime(SPEC)) -> int:
    args = _parser().parse_args(argv)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"Không đọc được tệp {args.file}: {exc.strerror or exc}", file=err)
        return 2
    runtime = runtime_factory()
    # The JSON log lines would break the progress bar: only warnings and errors from here on.
    logs.configure(SPEC.name, "import", "WARNING")
    try:
        desk = Desk.from_settings(runtime.settings, outbox=runtime.outbox)
        sha256 = hashlib.sha256(data).hexdigest()
        with runtime.sessions() as session:
            existing = staging.find(session, sha256)
        if existing is not None:
            when = existing["created_at"].astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M")
            if existing["status"] == "done":
                print(f"Tệp này đã được nhập lúc {when} ({existing['applied']} hồ sơ); không có gì thay đổi.",
                      file=out)
                return 0
            if args.check:
                print(f"Tệp này đã được đưa vào lúc {when} và đang được nhập ({existing['applied']}/"
                      f"{existing['total'] - existing['already']} hồ sơ).", file=out)
                return 0
            print(f"Tệp này đã được đưa vào lúc {when}; tiếp tục nhập từ chỗ đã dừng.", file=err)
            return _apply(runtime, desk, existing, err, out)
        if format_of(args.file.name, data) is None:
            print(f"Không nhận dạng được định dạng của tệp: cần {FORMATS_TEXT}.", file=err)
            return 1
        from .validation import check_file

        print("Đang kiểm tra tệp...", file=err, flush=True)
        started = time.monotonic()
        today = datetime.now(VIETNAM_TZ).date()
        with runtime.sessions() as session:
            checked = check_file(data, args.file.name, session=session, today=today, desk=desk)
        if checked.problems:
            total = max(checked.problems_total, len(checked.problems))
            print(f"Tệp có {total} lỗi; chưa nhập hồ sơ nào:", file=out)
            for line in report.lines(checked.problems, total):
                print(line, file=out)
            return 1
        print(f"Tệp hợp lệ: {checked.total} hồ sơ, {len(checked.records)} cần nhập"
              + (f", {checked.already} đã có từ trước" if checked.already else "")
              + f" (kiểm tra trong {time.monotonic() - started:.1f} giây).", file=out)
        if args.check:
            return 0
        with runtime.sessions.begin() as session:
            staged = staging.stage(session, checked, filename=args.file.name, sha256=sha256,
                                   created_by=args.by or f"cli:{getpass.getuser()}")
        if staged.problems:
            print(f"Tệp có {len(staged.problems)} lỗi; chưa nhập hồ sơ nào:", file=out)
            for line in report.lines(staged.problems):
                print(line, file=out)
            return 1
        return _apply(runtime, desk, staged.row, err, out)
    finally:
        runtime.close()


def main() -> None:
    sys.exit(run(sys.argv[2:]))
