"""The working calendar as this province keeps it: the shared rules plus the override table in intake's
database (days off and working days an administrator declares, seeded from the `holidays` package).

Appointments are legal promises, so the calendar used for them must reflect an administrator's change
promptly: each process caches the calendar for INTAKE_CALENDAR_CACHE_SECONDS and drops the cache at
once when a change goes through it. Other processes (the other gunicorn workers, the worker) see the
change when their cache expires.

Every change an administrator makes is also published (`vn.motcua.calendar.changed`, in the same
transaction through the outbox) so routing and reporting compute with the same days
(`motcua_shared.province_calendar`). The seeded rows are not: they are the statutory calendar,
which those services apply without being told.
"""
from __future__ import annotations

import threading
import time
from datetime import date, datetime, timezone

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.calendar import CALENDAR_CHANGED
from motcua_shared.workcal import CalendarOverride, OfficeHours, OverrideKind, WorkingCalendar, vietnam_year

from .config import parse_cutoff
from .lifecycle import SOURCE
from .models import calendar_overrides

MAKE_UP_DAY_NOTE = "Ngày làm bù"
SEED_ACTOR = "holidays-package"


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
        return cls(office_hours=settings.intake_office_hours, cutoff=settings.intake_reception_cutoff,
                   cache_seconds=settings.intake_calendar_cache_seconds)

    def calendar(self, session: Session) -> WorkingCalendar:
        with self._lock:
            if self._cached and self._clock() - self._cached[0] < self._cache_seconds:
                return self._cached[1]
        overrides = [CalendarOverride(row.day, OverrideKind(row.kind), row.note)
                     for row in session.execute(select(calendar_overrides)).all()]
        built = WorkingCalendar(office_hours=self._office_hours, cutoff=self._cutoff, overrides=overrides)
        with self._lock:
            self._cached = (self._clock(), built)
        return built

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


def put_override(session: Session, outbox, *, day: date, kind: str, note: str, actor: str) -> tuple[dict, bool]:
    """Declare `day` a day off or a working day; returns the row and whether it is new."""
    values = {"kind": OverrideKind(kind).value, "note": note, "source": "admin", "updated_by": actor,
              "updated_at": datetime.now(timezone.utc)}
    existing = find_override(session, day)
    if existing:
        session.execute(calendar_overrides.update().where(calendar_overrides.c.day == day).values(**values))
    else:
        session.execute(calendar_overrides.insert().values(day=day, **values))
    _announce(session, outbox, day, values["kind"], note, values["updated_at"])
    return {"day": day, **values}, existing is None


def delete_override(session: Session, outbox, day: date) -> bool:
    """Remove the override: the day goes back to the statutory rule (package, then weekend)."""
    if session.execute(delete(calendar_overrides).where(calendar_overrides.c.day == day)).rowcount == 0:
        return False
    _announce(session, outbox, day, None, None, datetime.now(timezone.utc))
    return True


def _announce(session: Session, outbox, day: date, kind: str | None, note: str | None, at: datetime) -> None:
    data = {"day": day.isoformat(), "kind": kind, "note": note, "changed_at": isoformat(at)}
    outbox.add(session, new_event(CALENDAR_CHANGED, source=SOURCE, subject=day.isoformat(), data=data))


def seed_years(session: Session, years: range) -> int:
    """Write the package's days off and make-up working days of `years`, never touching a day already in
    the table (an administrator's decision wins over a re-seed). Returns the number of rows added."""
    present = {row.day for row in session.execute(select(calendar_overrides.c.day)).all()}
    now = datetime.now(timezone.utc)
    rows = []
    for year in years:
        package = vietnam_year(year)
        wanted = [(day, OverrideKind.DAY_OFF, name) for day, name in package.days_off.items()]
        wanted += [(day, OverrideKind.WORKING_DAY, MAKE_UP_DAY_NOTE) for day in sorted(package.weekend_workdays)]
        rows += [{"day": day, "kind": kind.value, "note": note[:300], "source": "package", "updated_by": SEED_ACTOR,
                  "updated_at": now} for day, kind, note in wanted if day not in present]
    if rows:
        session.execute(calendar_overrides.insert(), rows)
    return len(rows)
