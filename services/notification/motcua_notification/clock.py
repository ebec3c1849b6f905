"""The time the notification service acts on.

Quiet hours, back-off and retention run on the wall clock shifted by MOTCUA_CLOCK_OFFSET_SECONDS (a
test clock; 0 in production). Code takes a `Clock` so tests can hand it any instant.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable

Clock = Callable[[], datetime]


def system_clock(offset_seconds: float = 0.0) -> Clock:
    offset = timedelta(seconds=offset_seconds)
    return lambda: datetime.now(timezone.utc) + offset


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone-aware columns; they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment
