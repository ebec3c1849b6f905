"""What the citizen asked for: the channels chosen for a dossier, and addresses that opted out."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from . import addresses
from .dialect import insert
from .delivery import ledger
from .models import channel_choices, messages, opt_outs

OFFICER = "officer"
UNSUBSCRIBE_LINK = "unsubscribe-link"


def choose_channels(session: Session, dossier_code: str, *, sms: bool, email: bool, by: str, at: datetime) -> int:
    """Record the choice; messages of a declined channel still waiting are cancelled (one a sender holds
    right now goes, and the ledger says so). Returns how many were cancelled."""
    stmt = insert(session, channel_choices).values(dossier_code=dossier_code, sms=sms, email=email, chosen_by=by,
                                                   chosen_at=at)
    session.execute(stmt.on_conflict_do_update(index_elements=["dossier_code"],
                                               set_={"sms": sms, "email": email, "chosen_by": by, "chosen_at": at}))
    declined = [channel for channel, wanted in (("sms", sms), ("email", email)) if not wanted]
    if not declined:
        return 0
    return session.execute(update(messages).where(
        messages.c.dossier_code == dossier_code, messages.c.channel.in_(declined),
        messages.c.status.in_(ledger.DUE), or_(messages.c.claimed_until.is_(None), messages.c.claimed_until < at),
    ).values(status=ledger.CANCELLED, status_reason="declined", completed_at=at, updated_at=at, claimed_until=None,
             claimed_by=None)).rowcount


def opted_out(session: Session, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Of these (channel, address key) pairs, the ones that opted out."""
    if not pairs:
        return set()
    rows = session.execute(select(opt_outs.c.channel, opt_outs.c.address_key)
                           .where(opt_outs.c.address_key.in_({key for _, key in pairs})))
    return {(row.channel, row.address_key) for row in rows} & set(pairs)


def opt_out(session: Session, address: addresses.Address, *, source: str, at: datetime) -> tuple[dict, bool]:
    """Record the opt-out (idempotent); returns the row and whether it is new."""
    created = session.execute(insert(session, opt_outs).values(
        id=str(uuid.uuid4()), channel=address.channel, address_key=address.key, address_masked=address.masked,
        source=source, created_at=at).on_conflict_do_nothing(index_elements=["channel", "address_key"])
        .returning(opt_outs.c.id)).first()
    row = session.execute(select(opt_outs).where(opt_outs.c.channel == address.channel,
                                                 opt_outs.c.address_key == address.key)).mappings().one()
    return dict(row), created is not None


def cancel_opt_out(session: Session, opt_out_id: str) -> bool:
    return session.execute(delete(opt_outs).where(opt_outs.c.id == opt_out_id)).rowcount > 0
