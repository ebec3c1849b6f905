"""Which addresses a desk may opt out, or opt back in.

An opt-out is province-wide (an address, not a dossier), so letting every desk record one for any
address would let one commune's officer silence any citizen of the province. A desk acts only on the
addresses of dossiers in its scope, the scope of every other endpoint here (the dossier's receiving
unit path holds the officer's unit): the phone or e-mail of such a dossier, or a message sent to it
(which outlives the contact's retention). The province's administrator acts on any address. Outside
the scope the answer is 404, the same whether the address is unknown, another unit's, or already
opted out: nothing is learnt about other units' citizens.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from motcua_shared.web import scope
from motcua_shared.web.auth import Principal
from motcua_shared.web.province_admin import is_province_admin

from ... import addresses
from ...models import messages, recipients


def _within(principal: Principal) -> ColumnElement[bool]:
    return scope.clause(principal, recipients.c.receiving_unit_path)


def _messaged(session: Session, principal: Principal, channel: str, key: str) -> bool:
    found = session.execute(
        select(messages.c.id).join(recipients, recipients.c.dossier_code == messages.c.dossier_code)
        .where(messages.c.channel == channel, messages.c.recipient_key == key, _within(principal)).limit(1)).first()
    return found is not None


def may_opt_out(session: Session, principal: Principal, address: addresses.Address) -> bool:
    if is_province_admin(principal):
        return True
    if address.channel == addresses.SMS:
        national = address.value.removeprefix("+84")  # intake keeps the number as typed: 0… or +84…
        contact = recipients.c.phone.in_(("0" + national, "+84" + national, "84" + national))
    else:
        contact = func.lower(recipients.c.email) == address.value.lower()
    on_a_dossier = session.execute(select(recipients.c.id).where(contact, _within(principal)).limit(1)).first()
    return on_a_dossier is not None or _messaged(session, principal, address.channel, address.key)


def may_cancel(session: Session, principal: Principal, opt_out: dict) -> bool:
    """Only the key of the address is kept: a message to it on a dossier in scope says it is theirs."""
    return is_province_admin(principal) or _messaged(session, principal, opt_out["channel"], opt_out["address_key"])
