"""The desk's time limit for accepting or refusing a dossier submitted online or by post.

Decree 61 leaves the time of reception of an electronic dossier to the sector rules; the rule this
system follows by default is the one written for electronic dossiers received by an agency (Circular
87/2021/TT-BTC Art. 10, and the same in Decree 45/2020): a dossier sent outside working hours is
received on the next working day, and the agency answers within 8 working hours. Hence
`INTAKE_ACCEPTANCE_LIMIT_HOURS` (default 8) working hours counted from the submission, office hours
and days off skipped, no reception cut-off (a dossier sent at 16:00 has its first hour that day):
`WorkingCalendar.advance`.

The limit is stamped on the dossier (`acceptance_due_at`) when it reaches the desk, so the desk's queue
can show the time left and sort by it: an online dossier at its submission, a postal one when the post
delivers its papers to the desk (until then there is nothing to check). The worker's sweep flags a
dossier still `submitted` after its limit
once (`acceptance_overdue_at`, one `dossier.acceptance_deadline_passed` event for monitoring).
It never accepts anything: only an officer who has checked the papers may (Decree 61 Art. 15). A
dossier put back to the citizen for a supplement at reception has had its answer in time.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.acceptance import DOSSIER_ACCEPTANCE_OVERDUE
from motcua_shared.messaging import PeriodicJob
from motcua_shared.workcal import WorkingCalendar

from .desk import Desk
from .lifecycle import SOURCE, aware
from .models import dossiers

log = logging.getLogger("motcua.intake.acceptance")
EVERY_SECONDS = 60.0
BATCH = 200  # dossiers flagged per transaction; the next run takes the rest


def limit_applies(record: dict) -> bool:
    """At submission: an online dossier is at the desk at once. A postal one is not until the post brings
    the papers (`papers_arrived`): the desk cannot check what it does not have."""
    return record["status"] == "submitted" and record["channel"] == "online" and not record.get("historical")


def papers_arrived(session: Session, desk: Desk, dossier: dict, at: datetime) -> None:
    """The post delivered a postal submission's papers to the desk: its time limit starts then (once)."""
    if dossier["status"] != "submitted" or dossier["channel"] != "postal" or dossier.get("historical") \
            or dossier.get("acceptance_due_at") is not None:
        return
    due = due_at(desk.calendars.calendar(session), at, desk.settings.intake_acceptance_limit_hours)
    session.execute(update(dossiers).where(dossiers.c.code == dossier["code"]).values(acceptance_due_at=due))
    dossier["acceptance_due_at"] = due


def due_at(calendar: WorkingCalendar, submitted_at: datetime, hours: int) -> datetime:
    return calendar.advance(submitted_at, hours, "working_hours").astimezone(timezone.utc)


def remaining_minutes(calendar: WorkingCalendar, dossier: dict, now: datetime) -> int | None:
    """Working minutes the desk has left (negative: that many past the limit); None when no limit runs."""
    if dossier["status"] != "submitted" or dossier.get("acceptance_due_at") is None:
        return None
    return calendar.working_minutes_between(now, dossier["acceptance_due_at"])


def is_overdue(dossier: dict, now: datetime) -> bool:
    due = dossier.get("acceptance_due_at")
    return dossier["status"] == "submitted" and due is not None and now > due


def flag_overdue(session: Session, desk: Desk, now: datetime, limit: int = BATCH) -> list[str]:
    """Flag (once) the submitted dossiers past their limit; returns their codes."""
    query = (select(dossiers).where(dossiers.c.status == "submitted", dossiers.c.acceptance_due_at < now,
                                    dossiers.c.acceptance_overdue_at.is_(None))
             .order_by(dossiers.c.acceptance_due_at).limit(limit).with_for_update(skip_locked=True))
    flagged = []
    for row in session.execute(query).mappings().all():
        session.execute(update(dossiers).where(dossiers.c.id == row["id"]).values(acceptance_overdue_at=now))
        data = {"code": row["code"], "receiving_unit": row["receiving_unit"],
                "receiving_unit_path": row["receiving_unit_path"], "channel": row["channel"],
                "submitted_at": isoformat(aware(row["submitted_at"])),
                "acceptance_due_at": isoformat(aware(row["acceptance_due_at"])), "found_at": isoformat(now),
                "historical": bool(row["historical"])}
        desk.outbox.add(session, new_event(DOSSIER_ACCEPTANCE_OVERDUE, source=SOURCE, subject=row["code"], data=data))
        flagged.append(row["code"])
    if flagged:
        log.info("acceptance_overdue_flagged", extra={"count": len(flagged)})
    return flagged


def job(runtime) -> PeriodicJob:
    desk = Desk.from_settings(runtime.settings, outbox=runtime.outbox)

    def run(sessions) -> None:
        with sessions.begin() as session:
            flag_overdue(session, desk, datetime.now(timezone.utc))

    return PeriodicJob("acceptance_deadline", EVERY_SECONDS, run)
