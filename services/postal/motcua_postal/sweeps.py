"""The worker's periodic sweeps: pickups the partner has not accepted in time; contacts kept too long
(retention.py).

A pickup still `requested` POSTAL_PICKUP_ACCEPT_MINUTES after its last announcement is announced
again (the same data under a new event id: the partner deduplicates on shipment_id), up to
POSTAL_PICKUP_REANNOUNCEMENTS times; one window after the last it is escalated to the desk, once.
The sweep reads the service's clock (MOTCUA_CLOCK_OFFSET_SECONDS moves it in tests), and several
workers may sweep at once: each takes the rows no other holds.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from motcua_shared.messaging import PeriodicJob

from . import retention, shipments
from .config import PostalConfig
from .models import shipments as table

BATCH = 200

log = logging.getLogger("motcua.postal.sweeps")


@dataclass
class SweepResult:
    announced: int = 0
    escalated: int = 0


def sweep_unaccepted(sessions: sessionmaker, config: PostalConfig, now: datetime) -> SweepResult:
    result = SweepResult()
    with sessions.begin() as session:
        due = session.execute(
            select(table).where(table.c.status == "requested", table.c.escalated_at.is_(None),
                                table.c.last_announced_at <= now - config.accept_within)
            .order_by(table.c.last_announced_at).limit(BATCH).with_for_update(skip_locked=True)).mappings().all()
        for row in due:
            if row["announcements"] <= config.reannouncements:
                shipments.announce_again(session, row, now)
                result.announced += 1
            else:
                shipments.escalate_unaccepted(session, row, now)
                result.escalated += 1
    if result.announced or result.escalated:
        log.info("unaccepted_pickups_swept", extra={"announced": result.announced, "escalated": result.escalated})
    return result


def periodic_jobs(config: PostalConfig) -> list[PeriodicJob]:
    return [PeriodicJob("postal_unaccepted_pickups", config.sweep_every,
                        lambda sessions: sweep_unaccepted(sessions, config, config.now())),
            # Personal data kept no longer than needed (retention.py).
            PeriodicJob("postal_contact_retention", config.sweep_every,
                        lambda sessions: retention.erase_expired_contacts(sessions, config, config.now()))]
