"""The working-time calendar: appointment dates, per-step due times, pauses, elapsed time.

Reports compare completion instants with the due instants computed here, so the rules are
stated exactly. Intake, routing and reporting must all use this module instead of their own
arithmetic (peer systems that did not got "appointment date wrong" and "overdue on the day of
submission" complaints).

Rules
-----
Time and resolution
    Every instant must be timezone-aware (naive → ValueError). The calendar works in wall
    clock time of its zone (default Asia/Ho_Chi_Minh, which has no DST) and returns instants
    in that zone. The resolution is one minute: seconds and below of an input instant are
    dropped (truncated), and every returned instant is a whole minute.

Durations
    Counted in whole working minutes (integers; no floats, no rounding). One working day is
    the length of the office day: 8 h for the default 07:00–11:30 + 13:30–17:00, so
    8 giờ làm việc = 1 ngày làm việc. An amount that is not a whole number of minutes, or
    is negative, is refused with ValueError (see `durations`).

Working days (ngày làm việc)
    An admin override (day_off / working_day) wins; else the year's official schedule decides
    (its data file, `official`; for a year without one the `holidays` package): holidays, nghỉ bù
    and swapped bridge days are off, make-up Saturdays (làm bù) are on; else Saturday and Sunday
    are off and Monday–Friday are on.

Start of count (`start_of_count`, applied by `add`)
    Office periods and the cut-off are half-open: a receipt at hh:mm counts from hh:mm when
    the office is open at that minute and the minute is before the cut-off. The cut-off must
    lie inside an office period or at its closing (not in the lunch break), which makes
    start_of_count idempotent: add(start_of_count(t), x) == add(t, x).
    - before opening on a working day → that day's opening (07:00);
    - in the lunch break → the afternoon opening (13:30);
    - at or after the cut-off (default 15:00:00; None disables it), at or after closing,
      or on a day off → the opening of the next working day.

Due instant of working hours / working days (`add`, `advance`)
    The EARLIEST instant at which the working time elapsed since the start of count equals
    the duration. Consequences: N working days from a 09:00 start end at 09:00 on the N-th
    following working day; a duration that fills a period ends at that period's closing
    (11:30 or 17:00), never at the next opening, so 1 working day from 07:00 is 17:00 the
    same day. A zero duration returns the start of count itself.

Due instant of calendar days (`add` with unit calendar_days)
    The date of the start of count plus N calendar days; if that date is not a working day,
    the next working day. The due instant is the CLOSING of office hours (17:00) of that
    date: a date deadline lasts the whole office day and never ends on a day off.
    (`advance` counts from the date of the first office minute at or after its instant.)

Due instant of same day (`add` with unit same_day, value 0: "trong ngày")
    The CLOSING of office hours (17:00) of the day of the start of count. The start of count
    carries the law's cut-off ("sau 15 giờ"): received before the cut-off on a working day →
    closing that day; at or after the cut-off, or on a day off → closing of the next working
    day (a Friday 15:30 receipt is due Monday 17:00). No fixed number of working hours does
    this: 8 hours would give a 10:00 receipt until 10:00 the next day. The working time of
    the window (for budgets) is whatever lies between the start of count and that closing.
    (`advance` uses the day of the first office minute at or after its instant, no cut-off.)

On time
    A dossier is on time when it completes at or before its due instant (completed_at <=
    due). Completion after closing on the due day is late, as the appointment slip says.

Pauses (`extend`)
    A pause (waiting for a supplement, bổ sung hồ sơ) pushes the due instant by the working
    time inside the pause, measured exactly as `working_minutes_between`, for every unit.
    A pause with no working time in it leaves the due instant unchanged; repeated pauses
    are applied one after the other.

Cut-off and later steps
    The cut-off is a reception rule. `add` applies it; `advance` does not (per-step due
    times from a transfer instant, extensions): it only skips time outside office hours.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Context, Decimal
from zoneinfo import ZoneInfo

from .days import WorkingDays, require_date
from .durations import Amount, Unit, as_unit, require_same_day, to_calendar_days, to_working_minutes
from .office_hours import DEFAULT_OFFICE_HOURS, MINUTES_PER_HOUR, OfficeHours, minute_of_day
from .overrides import CalendarOverride

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
VIETNAM_TZ = ZoneInfo(DEFAULT_TIMEZONE)  # the one zone every local day, receipt and report is counted in


def vietnam_today() -> date:
    """Today in Viet Nam, not the host's today: on a UTC host that is still yesterday until 07:00."""
    return datetime.now(VIETNAM_TZ).date()
DEFAULT_CUTOFF = time(15, 0)
_HOURS_CONTEXT = Context(prec=28)

Moment = tuple[date, int]
"""A local wall-clock minute: (date, minute of day). All internal arithmetic uses these."""


class WorkingCalendar:
    """Working-time arithmetic for one office (per tenant: its own hours, cut-off, overrides).

    Immutable after construction and safe to share between threads. The official schedules are
    loaded once per process (they do not depend on the tenant); overrides are per instance.
    """

    def __init__(
        self,
        *,
        office_hours: OfficeHours = DEFAULT_OFFICE_HOURS,
        cutoff: time | None = DEFAULT_CUTOFF,
        overrides: Iterable[CalendarOverride] = (),
        tz: str | tzinfo = DEFAULT_TIMEZONE,
    ) -> None:
        self._office = office_hours
        self._days = WorkingDays(overrides)
        self._tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self._cutoff = cutoff
        self._cutoff_minute = None if cutoff is None else _cutoff_minute(cutoff, office_hours)

    @property
    def tz(self) -> tzinfo:
        return self._tz

    @property
    def office_hours(self) -> OfficeHours:
        return self._office

    @property
    def cutoff(self) -> time | None:
        return self._cutoff

    @property
    def working_day_minutes(self) -> int:
        return self._office.day_minutes

    # Days -----------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a ngày làm việc (override, else package, else weekend rule)."""
        return self._days.is_working_day(require_date(day))

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self._days.next_working_day(require_date(day))

    # Instants -------------------------------------------------------------------------

    def start_of_count(self, received_at: datetime) -> datetime:
        """The instant the deadline starts running for a dossier received at `received_at`."""
        return self._at(self._count_start(self._local(received_at, "received_at")))

    def add(self, start: datetime, value: Amount, unit: Unit | str) -> datetime:
        """Due instant of a processing time of `value` `unit` for a dossier received at `start`.

        Applies the reception rules (cut-off, lunch, days off) through `start_of_count`.
        """
        unit = as_unit(unit)
        return self._add_from(self._count_start(self._local(start, "start")), value, unit)

    def advance(self, instant: datetime, value: Amount, unit: Unit | str) -> datetime:
        """Due instant of `value` `unit` of work begun at `instant`, without the cut-off.

        For per-step due times and extensions: time outside office hours and days off is
        skipped, the reception cut-off is not applied. Zero working time returns `instant`
        (truncated to the minute) unchanged, even outside office hours; same_day returns the
        closing of the day of the first office minute at or after `instant`.
        """
        unit = as_unit(unit)
        moment = self._local(instant, "instant")
        if unit in (Unit.CALENDAR_DAYS, Unit.SAME_DAY):
            moment = self._first_open(moment, cutoff_minute=None)
        return self._add_from(moment, value, unit)

    def extend(self, due: datetime, paused_from: datetime, paused_to: datetime) -> datetime:
        """`due` pushed by the working time between `paused_from` and `paused_to`."""
        moment = self._local(due, "due")
        start, end = self._local(paused_from, "paused_from"), self._local(paused_to, "paused_to")
        if paused_to < paused_from:
            raise ValueError("a pause must not end before it starts")
        return self._at(self._walk(moment, self._minutes_between(start, end)))

    # Elapsed working time -------------------------------------------------------------

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Working minutes elapsed from `a` to `b`; negative when `b` is before `a`.

        Exact; reports should sum these rather than hours.
        """
        start, end = self._local(a, "a"), self._local(b, "b")
        if end < start:
            return -self._minutes_between(end, start)
        return self._minutes_between(start, end)

    def working_hours_between(self, a: datetime, b: datetime) -> Decimal:
        """`working_minutes_between` in hours: exact when the minutes are a multiple of 3
        (i.e. the hours have a finite decimal form), else correct to 28 significant digits."""
        return _HOURS_CONTEXT.divide(Decimal(self.working_minutes_between(a, b)), MINUTES_PER_HOUR)

    # Internals ------------------------------------------------------------------------

    def _local(self, value: datetime, what: str) -> Moment:
        if not isinstance(value, datetime):
            raise TypeError(f"{what} must be a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{what} must be timezone-aware (e.g. tzinfo={DEFAULT_TIMEZONE})")
        local = value.astimezone(self._tz)
        return local.date(), local.hour * MINUTES_PER_HOUR + local.minute

    def _at(self, moment: Moment) -> datetime:
        day, minute = moment
        hour, minute = divmod(minute, MINUTES_PER_HOUR)
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self._tz)

    def _count_start(self, moment: Moment) -> Moment:
        return self._first_open(moment, cutoff_minute=self._cutoff_minute)

    def _first_open(self, moment: Moment, *, cutoff_minute: int | None) -> Moment:
        """First office minute at or after `moment`; at/after the cut-off → next working day."""
        day, minute = moment
        if self._days.is_working_day(day) and (cutoff_minute is None or minute < cutoff_minute):
            opening = self._office.next_open_minute(minute)
            if opening is not None:
                return day, opening
        return self._days.next_working_day(day), self._office.opening_minute

    def _add_from(self, moment: Moment, value: Amount, unit: Unit) -> datetime:
        try:
            if unit is Unit.CALENDAR_DAYS:
                return self._at(self._calendar_due(moment[0], to_calendar_days(value)))
            if unit is Unit.SAME_DAY:
                # `moment` is already an office minute of a working day (start of count, or
                # advance's first open minute), so its own day's closing is the due instant.
                require_same_day(value)
                return self._at((moment[0], self._office.closing_minute))
            minutes = to_working_minutes(value, unit, self.working_day_minutes)
            return self._at(self._walk(moment, minutes))
        except OverflowError as exc:
            raise ValueError("the due instant falls beyond the year 9999") from exc

    def _walk(self, moment: Moment, minutes: int) -> Moment:
        """Earliest moment at which `minutes` working minutes have elapsed since `moment`.

        One step per working day, so 10 years of working days is ~2,600 steps.
        """
        if minutes == 0:
            return moment
        day, minute = moment
        if self._days.is_working_day(day):
            done = self._office.worked_before(minute)
        else:
            day, done = self._days.next_working_day(day), 0
        remaining = minutes
        while remaining > self.working_day_minutes - done:
            remaining -= self.working_day_minutes - done
            day, done = self._days.next_working_day(day), 0
        return day, self._office.minute_reached(done + remaining)

    def _calendar_due(self, day: date, days: int) -> Moment:
        last = self._days.working_day_on_or_after(day + timedelta(days=days))
        return last, self._office.closing_minute

    def _minutes_between(self, start: Moment, end: Moment) -> int:
        """Working minutes from `start` to a later-or-equal `end`: whole working days in
        [start day, end day), minus what was worked before `start`, plus before `end`."""
        (first, first_minute), (last, last_minute) = start, end
        working_days = sum(
            self._days.is_working_day(first + timedelta(days=offset))
            for offset in range((last - first).days)
        )
        return (
            working_days * self.working_day_minutes
            - self._worked_on(first, first_minute)
            + self._worked_on(last, last_minute)
        )

    def _worked_on(self, day: date, minute: int) -> int:
        return self._office.worked_before(minute) if self._days.is_working_day(day) else 0


def _cutoff_minute(cutoff: time, office_hours: OfficeHours) -> int:
    """The cut-off must lie inside an office period or at its closing (start < cut-off <= end).

    A cut-off in a break (say 12:00) would let a receipt at 11:45 count from 13:30, an instant
    already past the cut-off: start_of_count would not be idempotent, and recomputing a due
    date from a stored start of count would give another day.
    """
    minute = minute_of_day(cutoff, "cutoff")
    if not office_hours.is_open_until(minute):
        raise ValueError(
            f"cutoff {cutoff.isoformat()} must fall inside an office period or at its closing"
        )
    return minute
