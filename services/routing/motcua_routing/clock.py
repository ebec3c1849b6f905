"""The service's notion of "now" for what the data cannot date: deadline sweeps, officers' actions,
the arrival of an answer.

It is the wall clock plus MOTCUA_CLOCK_OFFSET_SECONDS (0 in production), so a test can push a worker
days ahead and watch deadlines fall due. Times the events carry (receipt, completion) are always
taken from the events.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone


def now(settings) -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=settings.motcua_clock_offset_seconds)

