"""Contacts a citizen typed themselves: limited until confirmed (issue 15).

A citizen's online or postal submission carries whatever phone and e-mail they typed, and each one
used to send an urgent SMS and e-mail there: anyone could make the province message any number. So a
contact is trusted only when someone stands behind it:

- an officer entered it (a counter reception, with the applicant in front of them; a postal arrival):
  the address is then confirmed for good, for every dossier (`confirmed_addresses`);
- a desk received the dossier it belongs to: intake's dossier.received says `applicant.confirmed`, and
  that dossier's contact is trusted from then on (`recipients.contact_confirmed`). For that dossier
  only: the officer checked the papers, not the phone, and one accepted dossier must not open the
  address to every submission naming it;
- or its owner confirmed it: the receipt e-mail to an unconfirmed address carries a link
  (`/api/v1/contact-confirmations?t=...`, signed with NOTIFICATION_SECRET, naming only the address's
  key); following it and pressing the button confirms that e-mail address. An SMS has no room for a
  second link in its one segment: a phone waits for the desk or an officer;
- until then the address may get one message a local day, across all dossiers, and only the
  submission's receipt (`dossier_submitted`): the citizen learns their dossier arrived, a stranger's
  phone gets at most one text a day however many submissions name it. Every other notice skips such an
  address with the reason `unconfirmed_contact`.

The day's allowance is a row inserted with ON CONFLICT DO NOTHING: two workers addressing two dossiers
that name one address serialise on it, and only one of them gets it.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from motcua_shared.constant_time import equal
from motcua_shared.events import Event
from motcua_shared.events.catalogue import dossier

from . import addresses
from .dialect import insert
from .models import confirmed_addresses, unconfirmed_sends

RECEIPT = "dossier_submitted"  # the one template an unconfirmed address may receive
UNCONFIRMED = "unconfirmed_contact"
OFFICER = "officer"  # entered by an officer
LINK = "link"  # its owner followed the link in the receipt


def entered_by_officer(event: Event) -> bool:
    """dossier.submitted or dossier.received whose contact an officer typed: a submission intake says is
    confirmed (an officer entered it), or a reception at the counter. Not a desk's acceptance of a
    citizen's online or postal submission: that confirms the dossier's contact, not the address."""
    confirmed = event.data["applicant"].get("confirmed", True) is not False
    if event.type == dossier.DOSSIER_SUBMITTED:
        return confirmed
    return confirmed and event.data["channel"] == "counter"


def confirm(session: Session, secret: str, applicant: dict, *, dossier_code: str, now: datetime,
            source: str = OFFICER) -> None:
    """Record the applicant's phone and e-mail as confirmed (idempotent; an unusable address is skipped)."""
    for channel, raw in ((addresses.SMS, applicant.get("phone")), (addresses.EMAIL, applicant.get("email"))):
        if not raw:
            continue
        try:
            address = addresses.address(secret, channel, raw)
        except addresses.InvalidAddress:
            continue
        session.execute(insert(session, confirmed_addresses).values(
            address_key=address.key, channel=channel, source=source, dossier_code=dossier_code, confirmed_at=now)
            .on_conflict_do_nothing(index_elements=["address_key"]))


def confirmed(session: Session, keys: Iterable[str]) -> set[str]:
    """Of these address keys, the confirmed ones."""
    keys = set(keys)
    if not keys:
        return set()
    return set(session.execute(select(confirmed_addresses.c.address_key)
                               .where(confirmed_addresses.c.address_key.in_(keys))).scalars())


def take_allowance(session: Session, address: addresses.Address, dossier_code: str, now: datetime, tz) -> bool:
    """The unconfirmed address's one message of the local day: True if this caller got it."""
    today = now.astimezone(tz).date()
    session.execute(delete(unconfirmed_sends).where(unconfirmed_sends.c.day < today - timedelta(days=1)))
    taken = session.execute(insert(session, unconfirmed_sends).values(
        address_key=address.key, day=today, channel=address.channel, dossier_code=dossier_code, created_at=now)
        .on_conflict_do_nothing(index_elements=["address_key", "day"]).returning(unconfirmed_sends.c.address_key))
    return taken.first() is not None


def confirmation_token(secret: str, address_key: str) -> str:
    # A purpose of its own: an unsubscribe token (same key, same secret) never confirms, nor the reverse.
    signature = hmac.new(secret.encode(), f"confirm:{address_key}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{address_key}.{signature}"


def key_from_confirmation_token(secret: str, token: str) -> str | None:
    """The address key a genuine token names, or None for anything forged or mangled."""
    address_key, _, _ = token.partition(".")
    if len(address_key) != 64 or not equal(confirmation_token(secret, address_key), token):
        return None
    return address_key


def confirm_key(session: Session, address_key: str, channel: str, *, now: datetime) -> None:
    session.execute(insert(session, confirmed_addresses).values(
        address_key=address_key, channel=channel, source=LINK, dossier_code=None, confirmed_at=now)
        .on_conflict_do_nothing(index_elements=["address_key"]))
