"""When a message may go: quiet hours, the per-recipient hourly limit, and the back-off after a
temporary failure. Pure functions of the time they are given."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

RATE_WINDOW = timedelta(hours=1)


def quiet_until(now: datetime, quiet: tuple[time, time] | None, tz: ZoneInfo) -> datetime | None:
    """The end of the quiet period `now` falls in (local time), or None when it is not quiet.

    "21:00-07:00" spans midnight: 22:30 waits for 07:00 the next morning, 05:00 for 07:00 today.
    """
    if quiet is None:
        return None
    start, end = quiet
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    spans_midnight = start > end
    inside = (clock >= start or clock < end) if spans_midnight else (start <= clock < end)
    if not inside:
        return None
    morning = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if morning <= local:
        morning = datetime.combine(local.date() + timedelta(days=1), end, tzinfo=tz)
    return morning


def rate_limited_until(sent_times: list[datetime], limit: int, now: datetime) -> datetime | None:
    """With `sent_times` the sends to one recipient within the last hour, the moment the next may go.

    None when it may go now. Excess messages wait for the oldest send to leave the window.
    """
    recent = sorted(t for t in sent_times if t > now - RATE_WINDOW)
    if limit <= 0 or len(recent) < limit:
        return None
    return recent[len(recent) - limit] + RATE_WINDOW


def backoff(attempts: int, base: float, maximum: float) -> timedelta:
    """Delay before attempt `attempts + 1`: base, 2×base, 4×base... capped, with ±10 % jitter so a
    gateway that comes back is not hit by every waiting message in the same second."""
    delay = min(base * (2 ** max(0, attempts - 1)), maximum)
    return timedelta(seconds=delay * random.uniform(0.9, 1.1))
