"""Check calendar files before installing them: `python -m motcua_shared.workcal check DIR [DIR ...]`.

Prints each year found with its days off and worked weekend days, or every problem (file, line,
problem) and exits 1, exactly as a service would refuse to start with those files in
MOTCUA_CALENDAR_DIR. `check` with no directory checks the shipped files.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .official import BUILT_IN_DIR, read_directory
from .schedule_file import ScheduleFileError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m motcua_shared.workcal",
                                     description="Check yearly calendar files (YYYY.csv).")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check the YYYY.csv files of directories")
    check.add_argument("directories", nargs="*", type=Path, help="default: the shipped files")
    args = parser.parse_args(argv)
    failed = False
    for directory in args.directories or [BUILT_IN_DIR]:
        try:
            years = read_directory(directory)
        except ScheduleFileError as exc:
            failed = True
            for problem in exc.problems:
                print(f"LỖI {problem}", file=sys.stderr)
            continue
        if not years:
            print(f"{directory}: no YYYY.csv file")
        for year, schedule in sorted(years.items()):
            print(f"{schedule.origin}: {year} ổn — {len(schedule.days_off)} ngày nghỉ, "
                  f"{len(schedule.workdays)} ngày làm bù")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
