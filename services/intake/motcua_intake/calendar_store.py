"""The working calendar as this province keeps it: the shared rules plus the override table in intake's
database (days off and working days an administrator declares, seeded from the yearly official schedule:
its file, or the `holidays` package for a year without one).

Appointments are legal promises, so the calendar used for them must reflect an administrator's change
promptly: each process caches the calendar for INTAKE_CALENDAR_CACHE_SECONDS and drops the cache at
once when a change goes through it. Other processes (the other gunicorn workers, the worker) see the
change when their cache expires.

Every change an administrator makes is also published (`vn.motcua.calendar.changed`, in the same
transaction through the outbox) so routing and reporting compute with the same days
(`motcua_shared.province_calendar`). The seeded rows are not: they are the official calendar, which
those services read from the same files without being told.
"""
from __future__ import annotations

import threading
import time
from datetime import date, datetime, timezone

from sqlalchemy import and_, delete, select
from sqlalchemy.orm import Session

from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.calendar import CALENDAR_CHANGED
from motcua_shared.workcal import (CalendarOverride, OfficeHours, OverrideKind, WorkingCalendar, official_year,
                                   parse_cutoff)
from motcua_shared.workcal.vietnam_holidays import PACKAGE_ORIGIN

from .lifecycle import SOURCE
from .models import calendar_overrides
from .rescheduling import reschedule_for_day_off

SEED_ACTOR = "official-schedule"
ADMIN_SOURCE = "admin"


class CalendarStore:
    def __init__(self, *, office_hours: str, cutoff: str, cache_seconds: float, clock=time.monotonic):
        self._office_hours = OfficeHours.parse(office_hours)
        self._cutoff = parse_cutoff(cutoff)
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[float, WorkingCalendar] | None = None

    @classmethod
    def from_settings(cls, settings) -> "CalendarStore":
        return cls(office_hours=settings.motcua_office_hours, cutoff=settings.motcua_reception_cutoff,
                   cache_seconds=settings.intake_calendar_cache_seconds)

    def calendar(self, session: Session) -> WorkingCalendar:
        with self._lock:
            if self._cached and self._clock() - self._cached[0] < self._cache_seconds:
                return self._cached[1]
        built = self.read(session)
        with self._lock:
            self._cached = (self._clock(), built)
        return built

    def read(self, session: Session) -> WorkingCalendar:
        """The calendar from the table as this session sees it now, bypassing the cache.

        Only an administrator's rows are declarations. The seeded rows copy the official schedule for the
        listing; computing with them would let a stale seed win over a corrected file, and routing and
        reporting (which never see them) would count other days than intake."""
        overrides = [CalendarOverride(row.day, OverrideKind(row.kind), row.note) for row in session.execute(
            select(calendar_overrides).where(calendar_overrides.c.source == ADMIN_SOURCE)).all()]
        return WorkingCalendar(office_hours=self._office_hours, cutoff=self._cutoff, overrides=overrides)

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None


def list_overrides(session: Session, year: int | None = None) -> list[dict]:
    query = select(calendar_overrides).order_by(calendar_overrides.c.day)
    if year is not None:
        query = query.where(calendar_overrides.c.day.between(date(year, 1, 1), date(year, 12, 31)))
    return [dict(row) for row in session.execute(query).mappings()]


def find_override(session: Session, day: date) -> dict | None:
    row = session.execute(select(calendar_overrides).where(calendar_overrides.c.day == day)).mappings().first()
    return dict(row) if row else None


def put_override(session: Session, outbox, *, day: date, kind: str, note: str, actor: str,
                 store: CalendarStore | None = None) -> tuple[dict, bool]:
    """Declare `day` a day off or a working day; returns the row and whether it is new.

    With `store` (the API's), a working day turned off moves the open appointments (rescheduling.py)."""
    before = store.read(session) if store else None
    values = {"kind": OverrideKind(kind).value, "note": note, "source": ADMIN_SOURCE, "updated_by": actor,
              "updated_at": datetime.now(timezone.utc)}
    existing = find_override(session, day)
    if existing:
        session.execute(calendar_overrides.update().where(calendar_overrides.c.day == day).values(**values))
    else:
        session.execute(calendar_overrides.insert().values(day=day, **values))
    _announce(session, outbox, day, values["kind"], note, values["updated_at"])
    if store is not None:
        reschedule_for_day_off(session, outbox, day=day, note=note, before=before, after=store.read(session),
                               at=values["updated_at"], actor=actor)
    return {"day": day, **values}, existing is None


def delete_override(session: Session, outbox, day: date, store: CalendarStore | None = None,
                    actor: str = "admin") -> bool:
    """Remove the override: the day goes back to the official schedule (its file, else the package), then
    the weekend. With `store`, a working day that becomes a day off this way moves the open appointments."""
    existing = find_override(session, day)
    before = store.read(session) if store else None
    if session.execute(delete(calendar_overrides).where(calendar_overrides.c.day == day)).rowcount == 0:
        return False
    at = datetime.now(timezone.utc)
    _announce(session, outbox, day, None, None, at)
    if store is not None:
        reschedule_for_day_off(session, outbox, day=day, note=f"Hủy khai báo: {existing['note']}"[:300],
                               before=before, after=store.read(session), at=at, actor=actor)
    return True


def _announce(session: Session, outbox, day: date, kind: str | None, note: str | None, at: datetime) -> None:
    data = {"day": day.isoformat(), "kind": kind, "note": note, "changed_at": isoformat(at)}
    outbox.add(session, new_event(CALENDAR_CHANGED, source=SOURCE, subject=day.isoformat(), data=data))


def seed_years(session: Session, years: range) -> int:
    """Write the official days off and worked weekend days of `years` (the year's file, else the package),
    never touching a day an administrator declared. Rows seeded before are brought in line with the files
    now installed, so a corrected file replaces what an earlier seed wrote. Returns the rows added."""
    first, last = date(years.start, 1, 1), date(years.stop - 1, 12, 31)
    in_range = calendar_overrides.c.day.between(first, last)
    admin = {row.day for row in session.execute(select(calendar_overrides.c.day).where(
        and_(in_range, calendar_overrides.c.source == ADMIN_SOURCE))).all()}
    seeded = {row.day: (row.kind, row.note, row.source) for row in session.execute(
        select(calendar_overrides).where(and_(in_range, calendar_overrides.c.source != ADMIN_SOURCE))).all()}
    now = datetime.now(timezone.utc)
    wanted = {}
    for year in years:
        official = official_year(year)
        source = "package" if official.origin == PACKAGE_ORIGIN else "schedule"
        for day, name in official.days_off.items():
            wanted[day] = (OverrideKind.DAY_OFF.value, name[:300], source)
        for day in sorted(official.weekend_workdays):
            wanted[day] = (OverrideKind.WORKING_DAY.value, _workday_note(official, day), source)
    stale = [day for day, row in seeded.items() if wanted.get(day) != row]
    if stale:
        session.execute(delete(calendar_overrides).where(calendar_overrides.c.day.in_(stale)))
    rows = [{"day": day, "kind": kind, "note": note, "source": source, "updated_by": SEED_ACTOR, "updated_at": now}
            for day, (kind, note, source) in sorted(wanted.items())
            if day not in admin and (day not in seeded or day in stale)]
    if rows:
        session.execute(calendar_overrides.insert(), rows)
    return len(rows)


def _workday_note(official, day: date) -> str:
    return official.workday_names.get(day, "Ngày làm bù")[:300]
