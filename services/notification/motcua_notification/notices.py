"""From an event to ledger rows, inside the consumer's transaction.

Every citizen-facing event becomes one notice (keyed by the event id). A notice is addressed as soon
as the dossier's contact is known: one message per channel the citizen can be reached on, rendered
with the template's current version and written `created`; the delivery job sends it later, outside
this transaction. Until the contact arrives (events may come out of order) the notice waits, and the
contact's arrival addresses every notice waiting for it, so no message is ever lost to ordering.

The unique key (notice, channel, recipient) makes a second addressing of the same notice a no-op.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Mapping

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import addresses, contacts, preferences, templates, wording
from .clock import aware
from .dialect import insert
from .models import channel_choices, messages, notices, recipients
from .notice_drafts import NoticeDraft
from .options import Options

AWAITING_CONTACT = "awaiting_contact"
ADDRESSED = "addressed"
UNREACHABLE = "unreachable"
STALE = "stale"

# Where the links in a message lead, after MOTCUA_PUBLIC_BASE_URL: this service's pages (api/unsubscribe,
# api/contact_confirmations), which the HTTPS proxy routes here from the one public address.
UNSUBSCRIBE_PATH = "/api/v1/unsubscribe"
CONFIRMATION_PATH = "/api/v1/contact-confirmations"


def record_contact(session: Session, data: Mapping[str, Any], *, as_of: datetime, now: datetime) -> None:
    """Upsert the dossier's contact and facts; an older event arriving late never overwrites a newer one."""
    applicant = data["applicant"]
    facts = {
        "phone": applicant.get("phone"), "email": applicant.get("email"),
        "receiving_unit": data["receiving_unit"], "receiving_unit_path": data["receiving_unit_path"],
        "return_method": data["return_method"], "procedure_code": data["procedure_code"],
        "contact_as_of": as_of, "erased_at": None,
        # Typed by the citizen in their own submission, not yet vouched for (contacts.py); absent: trusted.
        "contact_confirmed": applicant.get("confirmed", True) is not False,
    }
    historical = bool(data.get("historical"))
    stmt = insert(session, recipients).values(dossier_code=data["code"], recorded_at=now, last_activity_at=now,
                                              historical=historical, **facts)
    session.execute(stmt.on_conflict_do_update(
        index_elements=["dossier_code"], set_={**facts, "last_activity_at": now},
        where=(recipients.c.contact_as_of.is_(None)) | (recipients.c.contact_as_of <= stmt.excluded.contact_as_of)))
    if historical:  # once historical, always: whichever of its events comes first or last
        session.execute(update(recipients).where(recipients.c.dossier_code == data["code"])
                        .values(historical=True))


def read_contact(session: Session, dossier_code: str):
    """The dossier's recipient row (contact, facts, `historical`: brought in from the past, as its
    dossier.submitted / received said) with the citizen's channel choices
    (`chose_sms`, `chose_email`), or None while no event has brought the contact yet."""
    return session.execute(
        select(recipients, channel_choices.c.sms.label("chose_sms"), channel_choices.c.email.label("chose_email"))
        .outerjoin(channel_choices, channel_choices.c.dossier_code == recipients.c.dossier_code)
        .where(recipients.c.dossier_code == dossier_code)).first()


def record_notice(session: Session, *, event_id: str, event_type: str, correlation_id: str, draft: NoticeDraft,
                  now: datetime) -> None:
    session.execute(insert(session, notices).values(
        event_id=event_id, event_type=event_type, correlation_id=correlation_id, dossier_code=draft.dossier_code,
        template=draft.template, occurred_at=draft.occurred_at, personalisation=draft.values, status=AWAITING_CONTACT,
        created_at=now).on_conflict_do_nothing(index_elements=["event_id"]))
    session.execute(update(recipients).where(recipients.c.dossier_code == draft.dossier_code)
                    .values(last_activity_at=now))


def address_pending(session: Session, dossier_code: str, options: Options, channels: tuple[str, ...],
                    now: datetime, *, contact=None) -> int:
    """Create the messages of every notice of this dossier still waiting; returns how many were created.
    `contact`: the dossier's `read_contact` row when the caller has just read it in this transaction."""
    if contact is None:
        contact = read_contact(session, dossier_code)
    if contact is None:
        return 0
    waiting = session.execute(
        select(notices).where(notices.c.dossier_code == dossier_code, notices.c.status == AWAITING_CONTACT)
        .order_by(notices.c.occurred_at, notices.c.id).with_for_update()).all()
    if not waiting:
        return 0
    reachable, skipped = _reachable(session, contact, options, channels)
    trusted = contacts.confirmed(session, [a.key for a in reachable]) if not contact.contact_confirmed else None
    rows = []
    for notice in waiting:
        if options.max_event_age and now - aware(notice.occurred_at) > options.max_event_age:
            _settle(session, notice.id, STALE, [], now)
            continue
        to, limited = _allowed(session, notice, reachable, trusted, options, now)
        rows += [_message(notice, address, contact, options, now,
                          confirm=trusted is not None and address.key not in trusted) for address in to]
        _settle(session, notice.id, ADDRESSED if to else UNREACHABLE, skipped + limited, now)
    if not rows:
        return 0
    stmt = insert(session, messages).on_conflict_do_nothing(index_elements=["notice_id", "channel", "recipient_key"])
    return len(session.execute(stmt.returning(messages.c.id), rows).all())


def dossier_values(contact, options: Options, on) -> dict[str, Any]:
    return {"code": contact.dossier_code, "unit_name": wording.unit_name(contact.receiving_unit, on),
            "return_method": contact.return_method or "counter",
            "link": templates.lookup_link(options.public_base_url, contact.dossier_code)}


def unsubscribe_url(options: Options, address_key: str) -> str:
    return f"{options.public_base_url}{UNSUBSCRIBE_PATH}?t={addresses.unsubscribe_token(options.secret, address_key)}"


def _reachable(session: Session, contact, options: Options,
               channels: tuple[str, ...]) -> tuple[list[addresses.Address], list[dict]]:
    """The addresses the dossier's messages go to, and why a channel has none."""
    candidates, skipped = [], []
    chosen = {addresses.SMS: contact.chose_sms, addresses.EMAIL: contact.chose_email}
    for channel in channels:
        raw = contact.phone if channel == addresses.SMS else contact.email
        if not raw:
            skipped.append({"channel": channel, "reason": "no_address"})
        elif chosen[channel] is False:
            skipped.append({"channel": channel, "reason": "declined"})
        else:
            try:
                candidates.append(addresses.address(options.secret, channel, raw))
            except addresses.InvalidAddress:
                skipped.append({"channel": channel, "reason": "invalid_address"})
    opted_out = preferences.opted_out(session, [(a.channel, a.key) for a in candidates])
    skipped += [{"channel": a.channel, "reason": "opted_out"} for a in candidates if (a.channel, a.key) in opted_out]
    return [a for a in candidates if (a.channel, a.key) not in opted_out], skipped


def _allowed(session: Session, notice, reachable: list[addresses.Address], trusted: set[str] | None,
             options: Options, now: datetime) -> tuple[list[addresses.Address], list[dict]]:
    """Of the reachable addresses, those this notice may go to: all of them for a confirmed contact
    (`trusted` None); for a contact the citizen typed, the confirmed ones, and the others only for the
    receipt and only with the address's one message of the day (contacts.py)."""
    if trusted is None:
        return reachable, []
    to, limited = [], []
    for address in reachable:
        if address.key in trusted or (notice.template == contacts.RECEIPT and contacts.take_allowance(
                session, address, notice.dossier_code, now, options.tz)):
            to.append(address)
        else:
            limited.append({"channel": address.channel, "reason": contacts.UNCONFIRMED})
    return to, limited


def confirmation_url(options: Options, address_key: str) -> str:
    return (f"{options.public_base_url}{CONFIRMATION_PATH}?t="
            f"{contacts.confirmation_token(options.secret, address_key)}")


def _message(notice, address: addresses.Address, contact, options: Options, now: datetime, *,
             confirm: bool = False) -> dict[str, Any]:
    template = templates.get(notice.template)
    version = template.current
    values = {**(notice.personalisation or {}),
              **dossier_values(contact, options, aware(notice.occurred_at).astimezone(options.tz).date())}
    if confirm and address.channel == addresses.EMAIL:  # the receipt to an address a citizen typed
        values["confirm_link"] = confirmation_url(options, address.key)
    return dict(id=str(uuid.uuid4()), notice_id=notice.id, dossier_code=notice.dossier_code, channel=address.channel,
                recipient_key=address.key, recipient=address.value, recipient_masked=address.masked,
                template=template.key, template_version=version.number, urgent=template.urgent,
                personalisation=values, status="created", attempts=0, not_before=now, created_at=now, updated_at=now,
                **_render(address.channel, version, values, address, options))


def _render(channel: str, version, values, address: addresses.Address, options: Options) -> dict[str, Any]:
    # Every row of a multi-row INSERT carries the same columns.
    if channel == addresses.SMS:
        sms = templates.render_sms(version, values, unicode=options.sms_unicode)
        return {"subject": None, "body": sms.text, "html_body": None, "attachment_name": None, "attachment": None,
                "segments": sms.segments}
    mail = templates.render_email(version, values, unsubscribe_url=unsubscribe_url(options, address.key))
    return {"subject": mail.subject, "body": mail.text, "html_body": mail.html,
            "attachment_name": mail.attachment.filename if mail.attachment else None,
            "attachment": mail.attachment.content if mail.attachment else None, "segments": None}


def _settle(session: Session, notice_id: int, status: str, skipped: list[dict], now: datetime) -> None:
    session.execute(update(notices).where(notices.c.id == notice_id)
                    .values(status=status, skipped=skipped or None, addressed_at=now))

