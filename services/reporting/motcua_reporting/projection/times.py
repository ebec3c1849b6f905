"""Instants as reports need them: aware, in UTC for storage, local (Asia/Ho_Chi_Minh) for days."""
from datetime import date, datetime, time, timedelta, timezone

from motcua_shared.workcal import VIETNAM_TZ


def parse(value: str | None) -> datetime | None:
    """An RFC 3339 instant from event data, in UTC."""
    return None if value is None else datetime.fromisoformat(value).astimezone(timezone.utc)


def aware(value: datetime | None) -> datetime | None:
    """A stored instant, in UTC. SQLite hands back naive datetimes; they were written in UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def text(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(timezone.utc).isoformat()


def local_day(value: datetime) -> date:
    return value.astimezone(VIETNAM_TZ).date()


def start_of_day(day: date) -> datetime:
    """00:00 of `day` in Vietnam."""
    return datetime.combine(day, time(0), tzinfo=VIETNAM_TZ)


def end_of_day(day: date) -> datetime:
    """The first instant after `day` in Vietnam (periods are half-open: [start, end))."""
    return start_of_day(day + timedelta(days=1))
