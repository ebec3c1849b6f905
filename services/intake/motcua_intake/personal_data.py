"""`python -m motcua_intake personal-data`: the operator's commands for a citizen's request about their data.

    python -m motcua_intake personal-data find 014090001234
    python -m motcua_intake personal-data erase-contacts H52.04222-190315-0001 [CODE ...]

`find` lists the dossiers of a citizen (as applicant, or submitted by them online) with their status:
the number is stored only hashed and encrypted, so no query of the table by the number can do it.
`erase-contacts` erases the telephone and e-mail of dossiers that are over (refused, stopped, returned):
they served only to reach the citizen about the dossier. The dossier itself (who applied, for what,
the papers, the history) is the administration's record, kept as the archive rules require; an open
dossier keeps its contacts, or the citizen would not hear of its result. docs/personal-data.md has the
whole procedure, service by service.
"""
from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from motcua_shared import logs
from motcua_shared.service import Runtime

from .desk import Desk
from .models import dossiers
from .service import SPEC

# Statuses after which intake sends the citizen nothing more.
OVER = ("refused", "stopped", "returned")

log = logging.getLogger("motcua.intake.personal_data")


@dataclass(frozen=True)
class Found:
    code: str
    status: str
    as_applicant: bool
    as_submitter: bool


def find(session: Session, desk: Desk, id_number: str) -> list[Found]:
    digest, creator = desk.identities.digest(id_number), desk.identities.creator(id_number)
    rows = session.execute(select(dossiers.c.code, dossiers.c.status, dossiers.c.applicant_id_hash,
                                  dossiers.c.created_by)
                           .where(or_(dossiers.c.applicant_id_hash == digest, dossiers.c.created_by == creator))
                           .order_by(dossiers.c.code)).all()
    return [Found(code, status, applicant_hash == digest, created_by == creator)
            for code, status, applicant_hash, created_by in rows]


def erase_contacts(session: Session, codes: list[str]) -> tuple[list[str], list[str]]:
    """(erased, kept): the dossiers among `codes` that are over lose their phone and e-mail."""
    statuses = dict(session.execute(select(dossiers.c.code, dossiers.c.status)
                                    .where(dossiers.c.code.in_(codes))).all())
    erased = sorted(code for code, status in statuses.items() if status in OVER)
    if erased:
        session.execute(update(dossiers).where(dossiers.c.code.in_(erased))
                        .values(applicant_phone=None, applicant_email=None))
    return erased, sorted(set(codes) - set(erased))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m motcua_intake personal-data",
                                     description="A citizen's request about their personal data")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("find", help="the dossiers of a citizen").add_argument("id_number")
    commands.add_parser("erase-contacts", help="erase phone and e-mail of dossiers that are over") \
        .add_argument("codes", nargs="+")
    args = parser.parse_args(argv)
    runtime = Runtime(SPEC)
    logs.configure(SPEC.name, "personal-data", runtime.settings.log_level)
    try:
        if args.command == "find":
            with runtime.sessions() as session:
                for found in find(session, Desk.from_settings(runtime.settings), args.id_number):
                    roles = ",".join(role for role, yes in (("applicant", found.as_applicant),
                                                            ("submitter", found.as_submitter)) if yes)
                    print(f"{found.code}\t{found.status}\t{roles}")
        else:
            with runtime.sessions.begin() as session:
                erased, kept = erase_contacts(session, args.codes)
            log.info("dossier_contacts_erased", extra={"erased": erased, "kept": kept})
            print(f"erased the phone and e-mail of {len(erased)} dossier(s): {' '.join(erased) or '-'}")
            if kept:
                print(f"kept (not over, or unknown): {' '.join(kept)}")
    finally:
        runtime.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
