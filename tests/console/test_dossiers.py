"""The dossier pages: search (and the header box's jump to a code), one dossier's page with its
secondary sections failing alone, the same 404 for unknown and out-of-scope dossiers, the prints."""
from __future__ import annotations

import re

from motcua_testing.system import System

from console.support import page
from intake.support import dossier


def receive(console, unit: str = "04222", **overrides) -> str:
    """A dossier received at a commune's desk through intake's own API."""
    headers = {"Authorization": f"Bearer {System.token('receptionist', unit=unit)}"}
    answer = console.services["intake"].test_client().post(
        "/api/v1/dossiers", json=dossier(receiving_unit=unit, **overrides), headers=headers)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["code"]


def test_search_finds_by_name_without_accents_and_links_each_row(console):
    code = receive(console)
    receive(console, applicant={**dossier()["applicant"], "full_name": "Quàng Văn Sơn"})
    client = console.signed_in("specialist", unit="04222")
    soup = page(client.get("/ho-so?q=lo van hung"))
    rows = soup.select("table.table tbody tr")
    links = [a["href"] for row in rows for a in row.find_all("a")]
    applicant = dossier()["applicant"]["full_name"]
    assert all(applicant in row.get_text() for row in rows) and rows
    assert f"/ho-so/{code}" in links and len(links) == len(rows)
    assert soup.find("form", attrs={"method": "get", "action": "/ho-so"})


def test_search_filters_by_status_and_pages(console):
    for _ in range(3):
        receive(console)
    client = console.signed_in("receptionist", unit="04222")
    soup = page(client.get("/ho-so?status=received&page_size=1"))
    assert len(soup.select("table.table tbody tr")) == 3
    assert not page(client.get("/ho-so?status=returned")).select("table.table tbody tr")


def test_a_bad_filter_is_said_beside_its_field(console):
    client = console.signed_in("receptionist", unit="04222")
    soup = page(client.get("/ho-so?received_from=2026-13-45"), 400)
    assert soup.select_one(".error-summary")


def test_the_header_box_with_an_existing_code_goes_straight_to_the_dossier(console):
    code = receive(console)
    client = console.signed_in("receptionist", unit="04222")
    answer = client.get(f"/ho-so?q={code}")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/ho-so/{code}")
    unknown = code[:-4] + "9999"
    assert client.get(f"/ho-so?q={unknown}").status_code == 200  # no such code: an empty search instead


def test_the_dossier_page_renders_with_routing_notification_postal_empty(console):
    code = receive(console)
    client = console.signed_in("receptionist", unit="04222")
    soup = page(client.get(f"/ho-so/{code}"))
    text = soup.get_text()
    assert code in soup.h1.get_text()
    assert dossier()["applicant"]["full_name"] in text
    assert soup.select_one("strong.tag").get_text() == "Đã tiếp nhận"
    assert "Chưa có thông tin về quy trình giải quyết" in text
    assert "Chưa có thông tin về tin nhắn" in text
    assert soup.select("ol.timeline li time[datetime]")
    assert any(w in text for w in ("Còn ", "Đến hạn hôm nay", "Quá hạn"))
    hrefs = [a["href"] for a in soup.select("ul.tasks a")]
    assert f"/ho-so/{code}/rut-ho-so" in hrefs and f"/ho-so/{code}/tiep-nhan" not in hrefs
    assert f"/ho-so/{code}/in/giay-tiep-nhan" in [a["href"] for a in soup.find_all("a")]


def test_a_service_that_cannot_answer_fails_only_its_own_section(console, monkeypatch):
    from motcua_console.clients import Unavailable
    from motcua_console.clients.notification import NotificationClient
    from motcua_console.clients.postal import PostalClient

    def down(self, *args, **kwargs):
        raise Unavailable(self.service)

    monkeypatch.setattr(NotificationClient, "messages", down)
    monkeypatch.setattr(PostalClient, "shipments", down)
    code = receive(console)
    text = page(console.signed_in("leader", unit="04222").get(f"/ho-so/{code}")).get_text()
    assert "Không tải được thông tin về tin nhắn" in text and "Không tải được thông tin về bưu gửi" in text


def test_unknown_and_other_commune_dossiers_get_the_same_404_page(console):
    elsewhere = receive(console, unit="04171")
    client = console.signed_in("receptionist", unit="04222")
    unknown = client.get(f"/ho-so/{elsewhere[:-4]}9999")
    foreign = client.get(f"/ho-so/{elsewhere}")
    page(unknown, 404)
    page(foreign, 404)
    assert unknown.data == foreign.data


def test_a_print_is_intakes_html_passed_through_with_its_own_headers(console):
    code = receive(console)
    client = console.signed_in("receptionist", unit="04222")
    answer = client.get(f"/ho-so/{code}/in/giay-tiep-nhan")
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    headers = {"Authorization": f"Bearer {System.token('receptionist', unit='04222')}"}
    direct = console.services["intake"].test_client().get(f"/api/v1/dossiers/{code}/receipt", headers=headers)
    # Byte for byte, but for the nonce intake draws for each response's inline style (its CSP).
    assert re.sub(rb'nonce="[^"]*"', b'', answer.data) == re.sub(rb'nonce="[^"]*"', b'', direct.data)
    assert client.get(f"/ho-so/{code}/in/phieu-kiem-soat").status_code == 200


def test_a_form_the_dossier_does_not_have_yet_is_a_409_page_and_an_unknown_one_404(console):
    code = receive(console)
    client = console.signed_in("specialist", unit="04222")
    soup = page(client.get(f"/ho-so/{code}/in/tu-choi"), 409)
    assert soup.h1.get_text() == "Chưa có biểu mẫu này cho hồ sơ"
    page(client.get(f"/ho-so/{code}/in/mau-la"), 404)


def test_a_dossier_brought_in_from_the_past_says_so(console):
    """Issue 17: an administrator's dossier with `received_at` is history: the page marks it."""
    from datetime import datetime, timezone

    body = dossier(received_at=datetime(2019, 3, 15, 1, 30, tzinfo=timezone.utc).isoformat())
    answer = console.services["intake"].test_client().post(
        "/api/v1/dossiers", json=body, headers={"Authorization": f"Bearer {System.token('admin', unit='14')}"})
    assert answer.status_code == 201, answer.get_json()
    client = console.signed_in("receptionist", unit="04222")
    soup = page(client.get(f"/ho-so/{answer.get_json()['code']}"))
    assert "Hồ sơ lịch sử, nhập lại" in soup.select_one(".summary").get_text()


def test_the_apology_slip_is_linked_once_the_dossier_has_an_apology(console):
    from motcua_shared.events.catalogue import route

    from intake.support import IntakeDesk, at, deliver

    code = receive(console)
    client = console.signed_in("receptionist", unit="04222")
    link = f"/ho-so/{code}/in/phieu-xin-loi"
    assert link not in [a["href"] for a in page(client.get(f"/ho-so/{code}")).find_all("a")]
    # Routing's apology, as intake's consumer records it (issue 14: Mẫu 04).
    deliver(IntakeDesk(console.services["intake"]), route.APOLOGY_ISSUED, {
        "dossier_code": code, "original_due_at": at("2026-05-05 09:00").isoformat(),
        "new_due_at": at("2026-05-08 09:00").isoformat(), "reason": "Cần xác minh thêm.",
        "issued_at": at("2026-05-04 08:00").isoformat(), "unit": "04222"})
    soup = page(client.get(f"/ho-so/{code}"))
    [anchor] = [a for a in soup.find_all("a") if a["href"] == link]
    assert anchor.get_text(strip=True) == "Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"
    printed = client.get(link)
    assert printed.status_code == 200 and "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in printed.text
    assert "08 tháng 05 năm 2026" in printed.text
