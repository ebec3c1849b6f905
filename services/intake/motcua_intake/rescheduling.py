"""A day declared off moves the appointments already given (issue 14, item 3).

An appointment (ngày hẹn trả) is a promise of an amount of working time. When a province
administrator turns a working day into a day off, on that day or a later one, every open dossier
whose appointment lies on or after it loses that day's working time: the appointment moves by it
(`motcua_shared.workcal.day_off_moves`), in the same transaction as the declaration, and each move is
announced (`vn.motcua.dossier.rescheduled`) so routing moves the open steps, reporting's copy
follows and notification tells the citizen.

Not moved: dossiers already processed, returned, refused, withdrawn or stopped (their appointment is
history), historical dossiers (imported from the past: nothing is ever sent about them), and every
appointment when a day off becomes a working day (the citizen keeps the date given: docs/calendar.md).
A declaration of a past day changes no appointment: the past is what happened.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, time

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from motcua_shared.db import aware
from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.reschedule import DOSSIER_RESCHEDULED
from motcua_shared.reference import UnknownProcedure, load_catalogue
from motcua_shared.reference.procedures import ProcessingTimeUnit
from motcua_shared.workcal import WorkingCalendar
from motcua_shared.workcal.day_off_moves import moved_by_day_off

from . import lifecycle
from .lifecycle import SOURCE
from .models import dossiers

log = logging.getLogger("motcua.intake.rescheduling")

# The statuses whose appointment still runs (a paused dossier's too: its pause is measured later on the
# new calendar, which no longer holds the day, so the move here is not counted twice).
OPEN_STATUSES = ("received", "in_progress", "supplement_required", "awaiting_payment", "withdrawal_requested")


def reschedule_for_day_off(session: Session, outbox, *, day: date, note: str, before: WorkingCalendar,
                           after: WorkingCalendar, at: datetime, actor: str) -> int:
    """Move the open appointments `day` takes working time from; returns how many moved."""
    if before.is_working_day(day) == after.is_working_day(day) or after.is_working_day(day):
        return 0  # not a working day turned off: nothing is lost
    if day < at.astimezone(before.tz).date():
        return 0
    start = datetime.combine(day, time(0), tzinfo=before.tz)
    rows = session.execute(
        select(dossiers.c.id, dossiers.c.code, dossiers.c.status, dossiers.c.procedure_code, dossiers.c.due_at,
               dossiers.c.rescheduled_due_at)
        .where(and_(dossiers.c.status.in_(OPEN_STATUSES), dossiers.c.historical.is_(False),
                    dossiers.c.due_at >= start))
        .order_by(dossiers.c.id).with_for_update()).mappings().all()
    moved = 0
    for row in rows:
        row = {**row, "due_at": aware(row["due_at"]), "rescheduled_due_at": aware(row["rescheduled_due_at"])}
        calendar_days = _counts_calendar_days(row["procedure_code"])
        due = moved_by_day_off(row["due_at"], day, before, after, calendar_days=calendar_days)
        if due == row["due_at"]:
            continue
        values = {"due_at": due}
        if row["rescheduled_due_at"] is not None:  # an apology's new date loses the same day
            values["rescheduled_due_at"] = moved_by_day_off(row["rescheduled_due_at"], day, before, after,
                                                            calendar_days=calendar_days)
        session.execute(update(dossiers).where(dossiers.c.id == row["id"]).values(**values))
        # In the dossier's history (the officer's trail, the citizen's lookup); the status does not change.
        lifecycle.record(session, row, action="rescheduled", at=at, actor=actor, note=note, details={
            "day": day.isoformat(), "previous_due_at": isoformat(row["due_at"]), "due_at": isoformat(due)})
        outbox.add(session, new_event(DOSSIER_RESCHEDULED, source=SOURCE, subject=row["code"], data={
            "code": row["code"], "occurred_at": isoformat(at), "day": day.isoformat(), "note": note,
            "previous_due_at": isoformat(row["due_at"]), "due_at": isoformat(due)}))
        moved += 1
    log.info("appointments_rescheduled", extra={"day": day.isoformat(), "dossiers": moved})
    return moved


def _counts_calendar_days(procedure_code: str) -> bool:
    try:
        return load_catalogue().get(procedure_code).processing_time.unit is ProcessingTimeUnit.CALENDAR_DAYS
    except UnknownProcedure:
        return False  # a procedure no longer in the catalogue: its time was counted in working time
