"""Check a reference set before mounting or importing it: `python -m motcua_shared.reference check [DIR]`
(`make reference-check DIR=...`).

Checks the shipped files replaced by those of DIR exactly as a service does at start and as intake does
on import: every problem is printed with its file and line, and the exit status is 1. A valid set prints
its version (the SHA-256 of its files), its label and what it holds. Without DIR: the shipped files.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .sets import CALENDAR_FILE, InvalidReferenceSet, from_directory


def check(directory: Path | None) -> int:
    try:
        checked = from_directory(directory)
    except InvalidReferenceSet as exc:
        print(f"LỖI: bộ dữ liệu {directory or 'gốc'} không hợp lệ ({len(exc.problems)} lỗi):", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 1
    years = sorted(int(found.group(1)) for name in checked.files if (found := CALENDAR_FILE.match(name)))
    print(f"{directory or 'shipped files'}: ổn — phiên bản {checked.version}"
          f"{' (' + checked.label + ')' if checked.label else ''}")
    print(f"  {len(checked.units.all())} phiên bản đơn vị, {len(checked.agencies.all())} phiên bản cơ quan, "
          f"{len(checked.catalogue.all())} thủ tục, lịch các năm {', '.join(map(str, years))}; "
          f"{checked.size // 1024} KB")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m motcua_shared.reference",
                                     description="Check a reference data set (units, agencies, procedures, calendar).")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="check the shipped files replaced by those of DIR").add_argument(
        "directory", type=Path, nargs="?", default=None)
    args = parser.parse_args(argv)
    return check(args.directory)


if __name__ == "__main__":
    sys.exit(main())
