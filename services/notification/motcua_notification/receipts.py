"""Delivery receipts: a provider tells us what became of a message it accepted.

Receipts are idempotent and may arrive in any order: each is applied through the status machine,
so a `sent` after `delivered`, a second `delivered`, or a `failed` after `delivered` changes nothing;
only a receipt that moves an open message forward has an effect. A receipt is accepted only for a
message that provider was actually given.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from motcua_shared.messaging import Outbox

from .clock import aware
from .delivery import ledger, schedule
from .models import delivery_attempts, delivery_receipts, messages
from .options import Options

DELIVERED = ("delivered",)
FAILED = ("failed", "rejected", "undeliverable")  # the network will never deliver it
EXPIRED = ("expired",)  # the network gave up for now (phone off for days): worth another attempt
INFORMATIONAL = ("accepted", "sent", "buffered")
STATUSES = DELIVERED + FAILED + EXPIRED + INFORMATIONAL

# Receipts are signed with the provider's receipt secret: `X-Motcua-Signature: sha256=<hex HMAC-SHA256 of
# the raw body>`.
SIGNATURE_HEADER = "X-Motcua-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class UnknownReference(LookupError):
    pass


def apply(session: Session, outbox: Outbox, options: Options, *, provider: str, reference: str, reported: str,
          occurred_at: datetime | None, now: datetime) -> tuple[str, str]:
    """Apply one receipt; returns (the message's status afterwards, the effect: the new status or "none")."""
    message = session.execute(select(messages.c.id, messages.c.status, messages.c.attempts)
                              .where(messages.c.id == reference).with_for_update()).first()
    given = message is not None and session.execute(select(delivery_attempts.c.id).where(
        delivery_attempts.c.message_id == reference, delivery_attempts.c.provider == provider).limit(1)).first()
    if not given:
        raise UnknownReference(reference)
    # A provider's clock may run ahead of ours; an outcome cannot have happened after we heard of it.
    at = min(aware(occurred_at), now) if occurred_at else now
    target = _target(message, reported, options, now)
    moved = target is not None and ledger.move(session, outbox, reference, target[0], now=now, occurred_at=at,
                                               **target[1])
    session.execute(insert(delivery_receipts).values(
        message_id=reference, provider=provider, reported_status=reported, occurred_at=at, received_at=now,
        effect=target[0] if moved else "none"))
    return (target[0] if moved else message.status), (target[0] if moved else "none")


def _target(message, reported: str, options: Options, now: datetime) -> tuple[str, dict] | None:
    if reported in DELIVERED:
        return ledger.DELIVERED, {}
    if reported in FAILED:
        return ledger.PERMANENT_FAILURE, {"status_reason": f"receipt: {reported}"}
    if reported in EXPIRED and message.status == ledger.SENDING:
        if message.attempts < options.max_attempts:
            retry_at = now + schedule.backoff(message.attempts, options.retry_base, options.retry_max)
            return ledger.TEMPORARY_FAILURE, {"expect": (ledger.SENDING,), "not_before": retry_at,
                                              "status_reason": f"receipt: {reported}"}
        return ledger.TECHNICAL_FAILURE, {"expect": (ledger.SENDING,),
                                          "status_reason": f"retries exhausted; receipt: {reported}"}
    return None
