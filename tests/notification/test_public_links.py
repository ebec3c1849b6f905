"""Every link the system gives out starts with MOTCUA_PUBLIC_BASE_URL (docs/contracts.md §8): a dossier
received at intake's real API, its events through the real broker to the real intake and notification
workers, its SMS at a real HTTP gateway and its e-mail at a real SMTP server. Each link is then followed,
its path on the service the HTTPS proxy sends it to."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from motcua_testing.waiting import wait_for
from notification.support import EMAIL, Events

BASE = "https://motcua.example.gov.vn"
URL = re.compile(r"https?://[^\s<>\"')]+")
PHONE_E164 = "+84912345678"


def dossier() -> dict:
    return {
        "procedure_code": "1.004873", "channel": "counter", "receiving_unit": "04222",
        "applicant": {"full_name": "Lò Văn Hùng", "id_number": "014090001234", "phone": "0912345678",
                      "email": EMAIL, "address": "Bản Hưng Mai, xã Chiềng Khương"},
        "return_method": "counter",
        "documents": [{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "copy_type": "original", "count": 1}],
    }


def test_receipt_sms_email_and_unsubscribe_links_start_with_the_public_address(system, notification, gateway, mail):
    system.env["MOTCUA_PUBLIC_BASE_URL"] = BASE + "/"  # a trailing slash is not doubled in any link
    system.start_workers("intake", "notification")
    intake = system.client("intake")
    answer = intake.post("/api/v1/dossiers", json=dossier(), headers=system.auth("receptionist", unit="04222"))
    assert answer.status_code == 201, answer.get_json()
    code = answer.get_json()["code"]
    assert answer.get_json()["receipt_url"] == f"{BASE}/api/v1/dossiers/{code}/receipt"

    wait_for(lambda: gateway.texts_to(PHONE_E164) and mail.to(EMAIL), what="the receipt's SMS and e-mail")
    [sms] = gateway.texts_to(PHONE_E164)
    [received] = mail.to(EMAIL)
    lookup = f"{BASE}/tra-cuu?ma={code}"
    assert sms.endswith(f"Tra cuu: {lookup}") and URL.findall(sms) == [lookup]

    unsubscribe = received.parsed["List-Unsubscribe"].strip("<>")
    text_links = set(URL.findall(received.text))
    html_links = set(re.findall(r'href="([^"]+)"', received.html))
    assert {lookup, unsubscribe} <= text_links and {lookup, unsubscribe} <= html_links
    links = text_links | html_links | {unsubscribe}
    assert all(link.startswith(BASE + "/") for link in links), links
    assert urlsplit(unsubscribe).path == "/api/v1/unsubscribe"

    # Followed: each path answers on the service the proxy routes it to.
    unsubscribe_page = system.client("notification").get(unsubscribe.removeprefix(BASE))
    assert unsubscribe_page.status_code == 200 and "h***@example.vn" in unsubscribe_page.get_data(as_text=True)
    receipt = intake.get(urlsplit(answer.get_json()["receipt_url"]).path, headers=system.auth("receptionist", unit="04222"))
    assert receipt.status_code == 200 and f"Tra cứu tình trạng hồ sơ tại {BASE}/tra-cuu" in receipt.get_data(as_text=True)
    assert intake.get(lookup.removeprefix(BASE)).status_code == 200


class Typed(Events):
    """A dossier a citizen submitted online with a contact they typed: its receipt e-mail asks them to
    confirm the address (tests/notification/test_unconfirmed_contacts.py)."""

    def _facts(self, event_type: str) -> dict:
        data = super()._facts(event_type)
        data["channel"] = "online"
        data["applicant"]["confirmed"] = False
        return data


def test_the_contact_confirmation_link_starts_with_the_public_address(local, mail):
    service = local(MOTCUA_PUBLIC_BASE_URL=BASE)
    ev = Typed()
    service.handle(ev.submitted())
    service.deliver()
    [receipt] = mail.to(EMAIL)
    confirm = re.search(r"vui lòng xác nhận địa chỉ: (\S+)", receipt.text).group(1)
    assert confirm.startswith(f"{BASE}/api/v1/contact-confirmations?t=")
    assert all(link.startswith(BASE + "/") for link in URL.findall(receipt.text))
    assert service.client().get(confirm.removeprefix(BASE)).status_code == 200
