"""Contacts a citizen typed in their own submission are limited until confirmed (issue 15, item 3).

Such an address gets the submission's receipt only, and at most one message a Vietnam day however
many submissions name it; a desk's reception of the dossier (or an officer entering the contact)
confirms it for good. Counter contacts are trusted as before, and imported dossiers stay silent. On the
real SMTP server and SMS gateway of tests/notification, and notification's real PostgreSQL.
"""
from __future__ import annotations

import dataclasses
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from motcua_shared.events.catalogue import dossier

from motcua_notification import addresses, contacts

from notification.support import EMAIL, PHONE, PUBLIC, Events

PHONE_E164 = "+84912345678"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


class Typed(Events):
    """Events of a dossier a citizen submitted online with a contact they typed (intake says
    `applicant.confirmed: false` on dossier.submitted; a desk's dossier.received vouches for it)."""

    def _facts(self, event_type: str) -> dict:
        data = super()._facts(event_type)
        data["channel"] = "online"
        data["applicant"]["confirmed"] = event_type != dossier.DOSSIER_SUBMITTED
        return data


def reasons(service, code: str) -> list[list[dict] | None]:
    return [notice["skipped"] for notice in service.notices(code)]


def test_a_typed_contact_gets_the_receipt_and_nothing_else_until_confirmed(local, gateway, mail):
    service = local()
    ev = Typed()
    service.handle(ev.submitted(), ev.refused())
    service.deliver()
    assert len(gateway.texts_to(PHONE_E164)) == 1 and len(mail.to(EMAIL)) == 1
    assert "dang cho tiep nhan" in gateway.texts_to(PHONE_E164)[0]  # the receipt
    assert [r["template"] for r in service.rows(ev.code)] == ["dossier_submitted", "dossier_submitted"]
    assert reasons(service, ev.code)[1] == [{"channel": "sms", "reason": "unconfirmed_contact"},
                                           {"channel": "email", "reason": "unconfirmed_contact"}]


def test_many_submissions_naming_one_address_send_it_one_message_a_day(local, gateway, mail):
    service = local()
    floods = [Typed() for _ in range(5)]
    for ev in floods:
        service.handle(ev.submitted())
    service.deliver()
    assert len(gateway.texts_to(PHONE_E164)) == 1 and len(mail.to(EMAIL)) == 1
    assert sum(len(service.rows(ev.code)) for ev in floods) == 2
    # Another citizen's own contact is not held back by the flood.
    other = Typed(phone="0987654321", email="mai@example.vn")
    service.handle(other.submitted())
    service.deliver()
    assert len(gateway.texts_to("+84987654321")) == 1 and len(mail.to("mai@example.vn")) == 1


def test_a_desk_reception_confirms_the_contact_of_that_dossier_only(local, gateway, mail):
    service = local()
    ev = Typed()
    service.handle(ev.submitted(), ev.received(), ev.supplement_requested())
    service.deliver()
    assert [r["template"] for r in service.rows(ev.code, "sms")] == [
        "dossier_submitted", "dossier_received", "supplement_requested"]
    # One accepted dossier does not open the address to every submission naming it: the same phone
    # typed again the same day is still limited, and today's one message is spent.
    again = Typed()
    service.handle(again.submitted(), again.refused())
    service.deliver()
    assert service.rows(again.code) == []
    assert reasons(service, again.code) == [[{"channel": "sms", "reason": "unconfirmed_contact"},
                                             {"channel": "email", "reason": "unconfirmed_contact"}]] * 2
    assert len(gateway.texts_to(PHONE_E164)) == 3


def test_officer_entered_contacts_are_trusted_and_imported_dossiers_stay_silent(local, gateway, mail):
    service = local()
    counter = Events()  # dossier.received at the counter: an officer entered the contact
    service.handle(counter.received(), counter.supplement_requested(), counter.processed())
    service.deliver()
    assert len(gateway.texts_to(PHONE_E164)) == 3 and len(mail.to(EMAIL)) == 3
    # Confirmed for good: the same phone and e-mail typed online later are not limited.
    typed = Typed()
    service.handle(typed.submitted(), typed.refused())
    service.deliver()
    assert [r["template"] for r in service.rows(typed.code, "sms")] == ["dossier_submitted", "dossier_refused"]
    assert all("xác nhận địa chỉ" not in m.text for m in mail.to(EMAIL)[-2:])  # no link to a confirmed address

    old = Typed(phone="0987654321", email="mai@example.vn")
    event, producer = old.submitted()
    service.handle((dataclasses.replace(event, data={**event.data, "historical": True}), producer))
    service.deliver()
    assert service.rows(old.code) == [] and gateway.texts_to("+84987654321") == []


def test_two_workers_racing_on_one_address_give_it_one_message(local, gateway, mail):
    service = local()
    racers = [Typed() for _ in range(6)]
    barrier = threading.Barrier(len(racers))

    def handle(ev):
        event = ev.submitted()
        barrier.wait()
        service.handle(event)

    with ThreadPoolExecutor(max_workers=len(racers)) as pool:
        list(pool.map(handle, racers))
    service.deliver()
    assert len(gateway.texts_to(PHONE_E164)) == 1 and len(mail.to(EMAIL)) == 1


def test_the_allowance_is_one_per_vietnam_day(local):
    service = local()
    phone = addresses.address("k", addresses.SMS, PHONE)
    with service.runtime.sessions.begin() as session:
        # 16:59 UTC on 07/12/2026 is 23:59 in Vietnam; 17:00 UTC is midnight, a new day.
        assert contacts.take_allowance(session, phone, "A", datetime(2026, 12, 7, 16, 59, tzinfo=timezone.utc), VN)
        assert not contacts.take_allowance(session, phone, "B", datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc), VN)
        assert contacts.take_allowance(session, phone, "C", datetime(2026, 12, 7, 17, 0, tzinfo=timezone.utc), VN)
        assert not contacts.take_allowance(session, phone, "D", datetime(2026, 12, 8, 16, 59, tzinfo=timezone.utc), VN)
        mail = addresses.address("k", addresses.EMAIL, EMAIL)  # each address has its own
        assert contacts.take_allowance(session, mail, "E", datetime(2026, 12, 8, 16, 59, tzinfo=timezone.utc), VN)


def test_the_receipt_e_mail_carries_a_link_that_confirms_the_address_after_one_press(local, gateway, mail):
    service = local()
    ev = Typed()
    service.handle(ev.submitted())
    service.deliver()
    [receipt] = mail.to(EMAIL)
    link = re.search(r"vui lòng xác nhận địa chỉ: (\S+)", receipt.text).group(1)
    assert "/api/v1/contact-confirmations?t=" in link
    assert "xác nhận" not in gateway.texts_to(PHONE_E164)[0]  # the SMS has no room for it
    assert link.startswith(f"{PUBLIC}/api/v1/")  # MOTCUA_PUBLIC_BASE_URL; the proxy routes the path here
    path = link.removeprefix(PUBLIC)

    client = service.client()
    page = client.get(path)  # what a mail scanner does: it must confirm nothing
    assert page.status_code == 200 and "h***@example.vn" in page.get_data(as_text=True)
    service.handle(ev.refused())
    service.deliver()
    assert len(mail.to(EMAIL)) == 1
    forged = client.post(path[:-1] + ("0" if path[-1] != "0" else "1"))
    assert forged.status_code == 404 and "Liên kết không hợp lệ" in forged.get_data(as_text=True)
    assert client.post(path.replace("?t=", "?t=đ")).status_code == 404  # non-ASCII: refused, not a 500

    done = client.post(path)
    assert done.status_code == 200 and "Đã xác nhận" in done.get_data(as_text=True)
    later = Typed()  # the same e-mail typed again: confirmed now; the phone is not
    service.handle(later.submitted(), later.supplement_requested())
    service.deliver()
    assert [r["template"] for r in service.rows(later.code, "email")] == ["dossier_submitted",
                                                                        "supplement_requested"]
    assert all("xác nhận địa chỉ" not in m.text for m in mail.to(EMAIL)[-2:])  # no link to a confirmed address
    assert [r["template"] for r in service.rows(later.code, "sms")] == []  # today's one text is spent
