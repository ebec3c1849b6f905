"""The message status machine (GOV.UK Notify's vocabulary) and its one guarded way to move.

    created ──send──▶ sending ──receipt──▶ delivered
       │  ▲             │
       │  └─ temporary-failure (retried with back-off) ──budget spent──▶ technical-failure
       ├──▶ permanent-failure (every provider refused it)
       └──▶ cancelled (the address opted out before it went)

`created` and `temporary-failure` are due for sending; `sending` waits for a receipt. The four
terminal states never change again: a late receipt, a retry or a replayed event finds the row
terminal and the guarded UPDATE touches nothing. Entering delivered, permanent-failure or
technical-failure publishes the outcome for reporting, in the same transaction (the outbox).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from motcua_shared.events import new_event
from motcua_shared.events.catalogue.message import MESSAGE_DELIVERED, MESSAGE_FAILED
from motcua_shared.messaging import Outbox

from ..models import messages, notices
from . import metrics

CREATED = "created"
SENDING = "sending"
DELIVERED = "delivered"
TEMPORARY_FAILURE = "temporary-failure"
PERMANENT_FAILURE = "permanent-failure"
TECHNICAL_FAILURE = "technical-failure"
CANCELLED = "cancelled"

DUE = (CREATED, TEMPORARY_FAILURE)
OPEN = (CREATED, SENDING, TEMPORARY_FAILURE)
TERMINAL = (DELIVERED, PERMANENT_FAILURE, TECHNICAL_FAILURE, CANCELLED)
STATUSES = OPEN + TERMINAL
_PUBLISHED = {DELIVERED: MESSAGE_DELIVERED, PERMANENT_FAILURE: MESSAGE_FAILED, TECHNICAL_FAILURE: MESSAGE_FAILED}


class Origin(NamedTuple):
    """The event a message tells of: its outcome event is caused by it and shares its correlation id."""

    event_id: str
    correlation_id: str


def move(session: Session, outbox: Outbox, message_id: str, to: str, *, now: datetime, expect=OPEN,
         held_by: str | None = None, occurred_at: datetime | None = None, medium: str | None = None,
         origin: Origin | None = None, **fields: Any) -> bool:
    """Move one message to `to` if it is still in one of `expect` (and, for a sender, still claimed by
    `held_by`); the sender's claim is released with the move.

    Returns whether it moved. `occurred_at` is when it happened by the provider's account (a receipt's
    time), `now` when we learned it.
    """
    values = {"status": to, "updated_at": now, "claimed_until": None, "claimed_by": None, **fields}
    if to in TERMINAL:
        values["completed_at"] = occurred_at or now
    stmt = update(messages).where(messages.c.id == message_id, messages.c.status.in_(expect))
    if held_by is not None:
        stmt = stmt.where(messages.c.claimed_by == held_by)
    moved = session.execute(stmt.values(**values).returning(
        messages.c.notice_id, messages.c.dossier_code, messages.c.channel, messages.c.template,
        messages.c.template_version, messages.c.provider)).first()
    if moved is not None:
        metrics.entered(moved.channel, to)
    if moved is not None and to in _PUBLISHED:
        if origin is None:
            origin = Origin(*session.execute(select(notices.c.event_id, notices.c.correlation_id)
                                             .where(notices.c.id == moved.notice_id)).one())
        _publish(session, outbox, message_id, moved, to, occurred_at or now, medium, origin)
    return moved is not None


def _publish(session: Session, outbox: Outbox, message_id: str, row, status: str, at: datetime,
             medium: str | None, origin: Origin) -> None:
    event = new_event(_PUBLISHED[status], source="/motcua/notification", subject=row.dossier_code,
                      correlation_id=origin.correlation_id, causation_id=origin.event_id, time=at, data={
                          "message_id": message_id, "dossier_code": row.dossier_code,
                          "channel": medium or row.channel, "template": row.template,
                          "template_version": row.template_version, "status": status,
                          "occurred_at": at.isoformat()})
    outbox.add(session, event)
