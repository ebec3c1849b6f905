"""The ledger's housekeeping, run by the worker every few minutes.

- A message a provider accepted but never confirmed ends in technical-failure after
  NOTIFICATION_SENDING_TIMEOUT_HOURS (GOV.UK Notify times out `sending` after three days).
- Notices still waiting for a contact once they are too old to send are closed as stale.
- Retention: after NOTIFICATION_CONTENT_RETENTION_DAYS a message keeps its ledger facts (template,
  version, channel, status, times, masked address) but loses its texts, attachment, values and the
  address in clear; a dossier's phone and e-mail are erased after NOTIFICATION_CONTACT_RETENTION_DAYS
  without activity.
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import sessionmaker

from motcua_shared.messaging import Outbox

from ..models import messages, notices, recipients
from ..notices import AWAITING_CONTACT, STALE
from ..options import Options
from . import ledger

log = logging.getLogger("motcua.notification.sweeps")


def sweep(sessions: sessionmaker, outbox: Outbox, options: Options, now: datetime) -> dict[str, int]:
    counts = {
        "timed_out": time_out_sending(sessions, outbox, options, now),
        "stale_notices": close_stale_notices(sessions, options, now),
        "erased_messages": erase_contents(sessions, options, now),
        "erased_contacts": erase_contacts(sessions, options, now),
    }
    if any(counts.values()):
        log.info("ledger_swept", extra=counts)
    return counts


def time_out_sending(sessions: sessionmaker, outbox: Outbox, options: Options, now: datetime) -> int:
    cutoff = now - options.sending_timeout
    with sessions.begin() as session:
        ids = session.scalars(select(messages.c.id).where(messages.c.status == ledger.SENDING,
                                                           messages.c.sent_at < cutoff)).all()
        return sum(ledger.move(session, outbox, message_id, ledger.TECHNICAL_FAILURE, now=now,
                               expect=(ledger.SENDING,), status_reason="no delivery receipt")
                   for message_id in ids)


def close_stale_notices(sessions: sessionmaker, options: Options, now: datetime) -> int:
    # A notice too old to send, or past retention, will never be sent: say so instead of waiting forever.
    limits = [now - options.content_retention]
    if options.max_event_age:
        limits.append(now - options.max_event_age)
    with sessions.begin() as session:
        return session.execute(update(notices).where(
            notices.c.status == AWAITING_CONTACT, notices.c.occurred_at < max(limits),
        ).values(status=STALE, addressed_at=now)).rowcount


def erase_contents(sessions: sessionmaker, options: Options, now: datetime) -> int:
    cutoff = now - options.content_retention
    with sessions.begin() as session:
        erased = session.execute(update(messages).where(
            messages.c.created_at < cutoff, messages.c.content_erased_at.is_(None),
            messages.c.status.in_(ledger.TERMINAL),
        ).values(subject=None, body=None, html_body=None, attachment=None, personalisation=None, recipient=None,
                 content_erased_at=now)).rowcount
        session.execute(update(notices).where(
            notices.c.created_at < cutoff, notices.c.personalisation.is_not(None),
            notices.c.status != AWAITING_CONTACT,
        ).values(personalisation=None))
        return erased


def erase_contacts(sessions: sessionmaker, options: Options, now: datetime) -> int:
    cutoff = now - options.contact_retention
    with sessions.begin() as session:
        return session.execute(update(recipients).where(
            recipients.c.last_activity_at < cutoff, recipients.c.erased_at.is_(None),
            or_(recipients.c.phone.is_not(None), recipients.c.email.is_not(None)),
        ).values(phone=None, email=None, erased_at=now)).rowcount
