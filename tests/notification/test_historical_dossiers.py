"""A dossier an administrator brought in from the past (issue 17): notification records it and writes
no notice and no message for any event about it: its own dossier events (which carry `historical`),
and routing's and postal's (which do not), before or after its contact arrives. The same dossier
live gets its messages (the proof that the test can fail)."""
from __future__ import annotations

import dataclasses

from motcua_notification.models import recipients
from motcua_shared.events import Event

from notification.support import EMAIL, Events

PHONE_E164 = "+84912345678"


def historical(pair: tuple[Event, str]) -> tuple[Event, str]:
    event, producer = pair
    return dataclasses.replace(event, data={**event.data, "historical": True}), producer


def everything(ev: Events, *, flag) -> list[tuple[Event, str]]:
    """Every citizen-facing event of one dossier; `flag` marks intake's as historical (or not)."""
    return [ev.apology(), flag(ev.received()), flag(ev.supplement_requested()), flag(ev.supplement_received()),
            flag(ev.processed()), ev.shipment_created(), ev.shipment_progressed("delivered"), flag(ev.returned())]


def test_a_historical_dossier_gets_no_notice_and_no_message_whatever_the_event(local, gateway, mail):
    service = local()
    past, live = Events(), Events()
    service.handle(*everything(past, flag=historical))
    service.handle(*everything(live, flag=lambda pair: pair))
    service.deliver()
    service.sweep(service.now)

    # The live dossier: a notice for every event, messages by SMS and e-mail.
    assert len(service.notices(live.code)) == 8 and {n["status"] for n in service.notices(live.code)} == {"addressed"}
    assert {m["channel"] for m in service.rows(live.code)} == {"sms", "email"}
    assert gateway.texts_to(PHONE_E164) and mail.to(EMAIL)
    sent_to_live = (len(gateway.texts_to(PHONE_E164)), len(mail.to(EMAIL)))

    # The historical one: its contact is recorded, nothing is to be sent. The apology came before the
    # contact and waits for nothing: the contact's arrival addresses no notice of a historical dossier.
    assert service.rows(past.code) == []
    assert [n["status"] for n in service.notices(past.code)] in ([], ["awaiting_contact"])
    with service.engine.connect() as conn:
        row = conn.execute(recipients.select().where(recipients.c.dossier_code == past.code)).mappings().one()
    assert row["historical"] is True

    # Routing's and postal's later events (no flag) are not told either.
    service.handle(past.apology(), past.shipment_progressed("failed", minutes=9))
    service.deliver()
    assert service.rows(past.code) == [] and len(service.notices(past.code)) <= 1
    assert (len(gateway.texts_to(PHONE_E164)), len(mail.to(EMAIL))) == sent_to_live
