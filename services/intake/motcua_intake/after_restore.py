"""`python -m motcua_intake after-restore`: after intake's database was restored, never give a code or a
logbook number out twice.

A restored database's counters stand where they stood at the restore point; the codes issued since are
on receipts, in SMS and in the other services' databases. This command reads the dossier codes the
other services know (routing's routes, notification's recipients, postal's shipments, reporting's
dossiers, from their <SERVICE>_DATABASE_URL, or files of codes gathered elsewhere with --codes) and,
in one transaction:

- raises each agency's daily counters (the desk's 0001-5000 and the citizens' 5001-9999) above the
  highest number known anywhere, so the next dossier of that day gets a code nobody holds;
- raises each unit's logbook counter of the year by the dossiers reporting saw received there that
  intake no longer holds as received (each took one number of that book);
- records the server the database is on now, which lifts restore_guard.py's refusal.

It lists the codes known elsewhere that intake no longer has: dossiers received after the restore
point, to be entered again from their receipts (their codes stay theirs: `POST /api/v1/dossiers` by
an administrator with `received_at`). Run it with intake's API stopped or refusing (restore_guard),
after the replays into intake (docs/backups.md). Running it again is safe: at worst a logbook
skips numbers, never repeats one.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert
from motcua_shared.workcal import VIETNAM_TZ

from . import restore_guard
from .models import citizen_sequences, daily_sequences, dossiers, logbook_sequences
from .sequences import DESK_LAST

CODE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<number>\d{4})$")

# Where each service keeps the codes of the dossiers it has heard of (its own schema, read-only here).
CODE_SOURCES = {
    "routing": "SELECT dossier_code FROM dossier_routes",
    "notification": "SELECT dossier_code FROM recipients",
    "postal": "SELECT dossier_code FROM shipments",
    "reporting": "SELECT code FROM dossiers",
}
# Dossiers reporting counts as received, with where and when: each took a logbook number.
RECEIVED_SQL = "SELECT code, receiving_unit, received_at FROM dossiers WHERE received_at IS NOT NULL"


@dataclass
class Outcome:
    known: int = 0
    sources: list[str] = field(default_factory=list)
    counters_raised: int = 0
    logbook_raised: int = 0
    missing: list[str] = field(default_factory=list)


def _source_url(service: str, var_dir: str) -> str | None:
    url = os.environ.get(f"{service.upper()}_DATABASE_URL")
    if url:
        return url
    sqlite = Path(var_dir) / f"{service}.db"
    return f"sqlite:///{sqlite.resolve()}" if sqlite.exists() else None


def _read(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url, pool_pre_ping=True)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _greatest(session: Session, a, b):
    return func.greatest(a, b) if session.get_bind().dialect.name == "postgresql" else func.max(a, b)


def _raise_to(session: Session, table, key: dict, value: int) -> bool:
    """Set the counter to at least `value`; True when it moved."""
    before = session.execute(select(table.c.last_value).filter_by(**key)).scalar()
    if before is not None and before >= value:
        return False
    stmt = dialect_insert(session)(table).values(**key, last_value=value)
    session.execute(stmt.on_conflict_do_update(index_elements=list(key),
                                               set_={"last_value": _greatest(session, table.c.last_value, value)}))
    return True


def run(session: Session, *, urls: dict[str, str], code_files: list[Path]) -> Outcome:
    outcome = Outcome()
    known: set[str] = set()
    for service, url in urls.items():
        known.update(row[0] for row in _read(url, CODE_SOURCES[service]))
        outcome.sources.append(service)
    for path in code_files:
        known.update(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        outcome.sources.append(str(path))
    outcome.known = len(known)

    # The highest number known per agency and day, in each of the two ranges (sequences.py).
    desk: dict[tuple[str, date], int] = defaultdict(int)
    citizen: dict[tuple[str, date], int] = defaultdict(int)
    for code in known:
        match = CODE.match(code)
        if match is None:
            continue  # an imported dossier's code from the old system: never produced by the counters
        key = (match["agency"], datetime.strptime(match["day"], "%y%m%d").date())
        number = int(match["number"])
        if number <= DESK_LAST:
            desk[key] = max(desk[key], number)
        else:
            citizen[key] = max(citizen[key], number - DESK_LAST)
    for counters, table in ((desk, daily_sequences), (citizen, citizen_sequences)):
        for (agency, day), value in sorted(counters.items()):
            outcome.counters_raised += _raise_to(session, table, {"agency_id": agency, "day": day}, value)

    held: dict[str, bool] = {}  # code -> intake holds it as received (with a logbook number)
    ordered = sorted(known)
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start:start + 1000]
        for code, number in session.execute(select(dossiers.c.code, dossiers.c.logbook_number)
                                            .where(dossiers.c.code.in_(chunk))):
            held[code] = number is not None
    outcome.missing = [code for code in ordered if code not in held]

    if "reporting" in urls:
        taken: dict[tuple[str, int], int] = defaultdict(int)
        for code, unit, received_at in _read(urls["reporting"], RECEIVED_SQL):
            if not held.get(code) and unit:
                moment = received_at if isinstance(received_at, datetime) else datetime.fromisoformat(str(received_at))
                year = (moment.astimezone(VIETNAM_TZ) if moment.tzinfo else moment).year
                taken[(unit, year)] += 1
        for (unit, year), count in sorted(taken.items()):
            current = session.execute(select(logbook_sequences.c.last_value)
                                      .filter_by(unit=unit, year=year)).scalar() or 0
            # Each of them took one number of the book after the restored counter.
            outcome.logbook_raised += _raise_to(session, logbook_sequences, {"unit": unit, "year": year},
                                                current + count)

    identity = restore_guard.server_identity(session)
    if identity is not None:
        restore_guard.record(session, identity)
    return outcome


def main(argv: list[str] | None = None) -> int:
    from .service import SPEC
    from motcua_shared import logs
    from motcua_shared.service import Runtime

    parser = argparse.ArgumentParser(prog="motcua-intake after-restore", description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="sources", action="append", default=[], metavar="SERVICE=URL",
                        help="a service database to read codes from (default: each <SERVICE>_DATABASE_URL set, "
                             "or its SQLite file under MOTCUA_VAR_DIR)")
    parser.add_argument("--codes", action="append", default=[], type=Path, metavar="FILE",
                        help="a file of dossier codes known elsewhere, one a line (receipts, SMS gateway, province)")
    args = parser.parse_args(argv)
    runtime = Runtime(SPEC)
    logs.configure("intake", "after-restore", runtime.settings.log_level)
    urls = {}
    for service in CODE_SOURCES:
        url = _source_url(service, runtime.settings.motcua_var_dir)
        if url:
            urls[service] = url
    for item in args.sources:
        service, _, url = item.partition("=")
        if service not in CODE_SOURCES or not url:
            parser.error(f"--from takes SERVICE=URL with SERVICE one of {', '.join(CODE_SOURCES)}")
        urls[service] = url
    if not urls and not args.codes:
        parser.error("no source of codes: set ROUTING_/REPORTING_/NOTIFICATION_/POSTAL_DATABASE_URL, --from or --codes")
    with runtime.sessions.begin() as session:
        outcome = run(session, urls=urls, code_files=args.codes)
    runtime.close()
    print(f"after-restore: {outcome.known} codes known to {', '.join(outcome.sources)}; "
          f"{outcome.counters_raised} daily counters and {outcome.logbook_raised} logbook counters raised; "
          f"{len(outcome.missing)} dossiers known elsewhere are missing here")
    for code in outcome.missing:
        print(f"missing {code}")
    print("after-restore: intake may number again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
