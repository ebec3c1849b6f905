"""The daily submission limit of a citizen account (INTAKE_CITIZEN_DAILY_LIMIT).

A citizen's token can submit without an officer in the loop, and every submission takes a dossier
number and sends messages: one account may send at most that many dossiers per local day (Vietnam
time). The count is a row per account and day in intake's database, so every API process counts
against the same limit (one kept in process memory would multiply it by their number).

It is incremented with an upsert inside the submission's own transaction: concurrent submissions of
one account serialise on that row, so they cannot slip past the limit together, and a submission that
is refused or fails for any other reason rolls its count back with it (stores nothing, counts nothing).
Officers (counter, postal arrivals) and administrators (imports) are not limited here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, literal_column
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert
from motcua_shared.web.errors import RateLimited
from motcua_shared.workcal import VIETNAM_TZ

from .models import citizen_submissions as counts

TOO_MANY = ("Mỗi tài khoản chỉ được nộp {limit} hồ sơ trong một ngày. Vui lòng nộp tiếp sau 0 giờ "
            "(còn {seconds} giây).")
KEEP_DAYS = 2  # yesterday's row is kept for a submission that began just before midnight


@dataclass(frozen=True)
class CitizenLimit:
    limit: int  # 0 turns the limit off

    def admit(self, session: Session, creator: str, now: datetime) -> None:
        """Count this submission against the account's day; RateLimited (and the caller's transaction
        rolled back with it) once the day's limit is passed."""
        if self.limit <= 0:
            return
        local = now.astimezone(VIETNAM_TZ)
        stmt = dialect_insert(session)(counts).values(creator=creator, day=local.date(), count=1)
        stmt = stmt.on_conflict_do_update(index_elements=["creator", "day"],
                                          set_={"count": counts.c.count + literal_column("1")})
        if session.execute(stmt.returning(counts.c.count)).scalar_one() > self.limit:
            seconds = until_midnight(local)
            raise RateLimited(seconds, TOO_MANY.format(limit=self.limit, seconds=seconds))
        _purge(session, local.date())


def until_midnight(local: datetime) -> int:
    """Whole seconds until the next local midnight, when the account's count starts again (at least 1)."""
    midnight = datetime.combine(local.date() + timedelta(days=1), time(), VIETNAM_TZ)
    return max(1, math.ceil((midnight - local).total_seconds()))


def _purge(session: Session, today: date) -> None:
    # Old days are dropped as new ones are counted: an indexed delete by the primary key's second column
    # is cheap at a few thousand rows a day, and nothing needs a past day's count.
    session.execute(delete(counts).where(counts.c.day < today - timedelta(days=KEEP_DAYS - 1)))
