"""The citizen's say: opting out (at the desk, or with the link in every e-mail), opting back in, and
the channels chosen for one dossier. Nothing is sent where the citizen said no."""
from __future__ import annotations

import re

from notification.support import EMAIL, PHONE, PUBLIC, Events

PHONE_E164 = "+84912345678"
DESK = {"roles": ("receptionist",), "unit": "04222"}


def statuses(service, code: str) -> dict[str, str]:
    return {r["channel"]: r["status"] for r in service.rows(code)}


def test_an_opted_out_phone_gets_no_sms_and_one_waiting_is_cancelled(local, gateway, mail):
    service = local()
    waiting = Events()
    service.handle(waiting.received())  # written before the opt-out, not sent yet

    client, auth = service.client(), service.auth(*DESK["roles"], unit=DESK["unit"])
    first = client.post("/api/v1/opt-outs", json={"channel": "sms", "address": "+84 912 345 678"}, headers=auth)
    assert first.status_code == 200
    assert first.get_json()["address"] == "0912***678" and first.get_json()["channel"] == "sms"
    # The same answer again: whether an address had opted out is nobody's business (issue 15).
    again = client.post("/api/v1/opt-outs", json={"channel": "sms", "address": PHONE}, headers=auth)
    assert again.status_code == 200 and again.get_json() == first.get_json()

    later = Events()
    service.handle(later.received())
    service.deliver()
    assert gateway.requests == [] and len(mail.to(EMAIL)) == 2
    assert statuses(service, waiting.code) == {"sms": "cancelled", "email": "delivered"}
    assert statuses(service, later.code) == {"email": "delivered"}
    assert service.notices(later.code)[0]["skipped"] == [{"channel": "sms", "reason": "opted_out"}]

    assert client.delete(f"/api/v1/opt-outs/{first.get_json()['id']}", headers=auth).status_code == 204
    assert client.delete(f"/api/v1/opt-outs/{first.get_json()['id']}", headers=auth).get_json()["code"] == \
        "opt_out_not_found"
    back = Events()
    service.handle(back.received())
    service.deliver()
    assert len(gateway.texts_to(PHONE_E164)) == 1


def test_the_unsubscribe_link_in_an_email_stops_further_emails(local, gateway, mail):
    service = local()
    ev = Events()
    service.handle(ev.received())
    service.deliver()
    [received] = mail.to(EMAIL)
    link = re.search(r"Ngừng nhận thư thông báo về hồ sơ qua địa chỉ này: (\S+)", received.text).group(1)
    assert received.parsed["List-Unsubscribe"] == f"<{link}>"
    assert link.startswith(f"{PUBLIC}/api/v1/")  # MOTCUA_PUBLIC_BASE_URL; the proxy routes the path here
    path = link.removeprefix(PUBLIC)

    client = service.client()
    page = client.get(path)  # what a mail scanner does: it must change nothing
    assert page.status_code == 200 and "h***@example.vn" in page.get_data(as_text=True)
    assert "Xác nhận ngừng nhận thư" in page.get_data(as_text=True)
    assert EMAIL not in page.get_data(as_text=True)
    service.handle(ev.apology())
    assert len(service.rows(ev.code, channel="email")) == 2  # the page view opted nothing out

    done = client.post(path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and "Đã ghi nhận" in done.get_data(as_text=True)
    service.handle(ev.processed())
    service.deliver()
    emails = {r["template"]: r["status"] for r in service.rows(ev.code, channel="email")}
    assert emails == {"dossier_received": "delivered", "apology_issued": "cancelled"}
    assert len(gateway.texts_to(PHONE_E164)) == 3  # the phone did not opt out

    tampered = client.post(path[:-1] + ("0" if path[-1] != "0" else "1"))
    assert tampered.status_code == 404 and "Liên kết không hợp lệ" in tampered.get_data(as_text=True)


def test_channels_chosen_for_a_dossier_are_the_only_ones_used(local, gateway, mail):
    service = local()
    ev = Events()
    service.handle(ev.received())
    client = service.client()
    answer = client.put(f"/api/v1/dossiers/{ev.code}/channels", json={"sms": False, "email": True},
                        headers=service.auth("receptionist", unit="04222"))
    assert answer.status_code == 200 and answer.get_json()["sms"] is False and answer.get_json()["cancelled"] == 1
    service.handle(ev.supplement_requested())
    service.deliver()
    assert gateway.requests == [] and len(mail.to(EMAIL)) == 2
    assert statuses(service, ev.code)["sms"] == "cancelled"  # the one written before the choice
    assert service.notices(ev.code)[1]["skipped"] == [{"channel": "sms", "reason": "declined"}]

    other_commune = client.put(f"/api/v1/dossiers/{ev.code}/channels", json={"sms": True, "email": True},
                               headers=service.auth("receptionist", unit="04168"))
    assert other_commune.status_code == 404 and other_commune.get_json()["code"] == "dossier_not_found"
    for body in ({"sms": True}, {"sms": "yes", "email": True}, {"sms": True, "email": True, "zalo": True}):
        bad = client.put(f"/api/v1/dossiers/{ev.code}/channels", json=body,
                         headers=service.auth("receptionist", unit="04222"))
        assert bad.status_code == 422 and bad.get_json()["code"] == "validation_failed", body
    specialist = client.put(f"/api/v1/dossiers/{ev.code}/channels", json={"sms": True, "email": True},
                            headers=service.auth("specialist", unit="04222"))
    assert specialist.status_code == 403


def test_an_address_that_is_no_address_is_refused_clearly(local):
    service = local()
    auth = service.auth("receptionist", unit="04222")
    for body in ({"channel": "sms", "address": "12345"}, {"channel": "email", "address": "not-an-email"}):
        answer = service.client().post("/api/v1/opt-outs", json=body, headers=auth)
        assert answer.status_code == 422 and answer.get_json()["invalid_params"][0]["name"] == "address"
    assert service.client().post("/api/v1/opt-outs", json={"channel": "fax", "address": PHONE},
                                 headers=auth).status_code == 422
