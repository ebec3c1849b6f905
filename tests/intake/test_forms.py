"""The printed forms: Mẫu 02 (supplement), Mẫu 03 (refusal), Mẫu 05 (control log), Mẫu 06 (logbook),
and what all of them share: Vietnamese, self-contained, escaped, the QR code at the top left."""
from __future__ import annotations

import re

import pytest

from motcua_shared.events.catalogue import route

from intake.support import APPLICANT, at, deliver, token

OFFICER = token("receptionist", unit="04222")


def form(desk, code: str, name: str, status: int = 200) -> str:
    answer = desk.client.get(f"/api/v1/dossiers/{code}/{name}", headers=OFFICER)
    assert answer.status_code == status, answer.get_data(as_text=True)[:300]
    return answer.get_data(as_text=True)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_supplement_request_lists_what_is_missing(desk):
    code = desk.receive(status="submitted")["code"]
    assert "no_supplement_request" in form(desk, code, "supplement-request", 409)
    desk.act(code, "supplement-request", {"note": "Thiếu giấy tờ chứng minh nơi cư trú.",
                                          "items": ["Bản sao sổ hộ khẩu", "Giấy xác nhận cư trú"]})
    page = text_of(form(desk, code, "supplement-request"))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in page
    assert "Bản sao sổ hộ khẩu" in page and "Giấy xác nhận cư trú" in page
    assert "Lý do: Thiếu giấy tờ chứng minh nơi cư trú." in page and "Lường Thị Mai" in page


def test_the_refusal_gives_the_reasons_or_the_competent_unit(desk):
    refused = desk.receive(status="submitted")["code"]
    desk.act(refused, "refusal", {"reason": "Người yêu cầu không có quan hệ với người được đăng ký."})
    page = text_of(form(desk, refused, "refusal"))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in page
    assert "Người yêu cầu không có quan hệ với người được đăng ký." in page
    redirected = desk.receive(status="submitted")["code"]
    desk.act(redirected, "redirection", {"competent_unit": "04168", "reason": "Nơi cư trú thuộc xã Sông Mã."})
    assert "Đề nghị Ông/Bà liên hệ Xã Sông Mã" in text_of(form(desk, redirected, "refusal"))
    assert "not_refused" in form(desk, desk.receive()["code"], "refusal", 409)


def test_the_control_log_has_one_row_per_hand_over_with_the_timeliness_of_the_result(desk):
    late = desk.imported(at("2026-04-23 09:00"))["code"]  # due 05/05 09:00
    deliver(desk, route.ROUTE_STARTED, {"dossier_code": late, "started_at": at("2026-04-23 09:30").isoformat(),
                                        "due_at": at("2026-05-05 09:00").isoformat(), "steps": [
        {"step_id": "S-1", "sequence": 1, "unit": "04222", "unit_path": "14.04222", "level": "commune",
         "action": "process", "budget_hours": 40.0}]})
    deliver(desk, route.ROUTE_COMPLETED, {"dossier_code": late, "outcome": "approved",
                                          "completed_at": at("2026-05-05 10:00").isoformat(), "note": None})
    desk.act(late, "return", {"method": "counter", "occurred_at": at("2026-05-06 08:00").isoformat()},
             role="admin", unit="14")
    html = form(desk, late, "control-log")
    rows = [text_of(row) for row in re.findall(r"<tr><td>.*?</tr>", html, re.S)]
    assert len(rows) == 4  # citizen → desk, desk → agency, agency → desk, desk → citizen
    assert "Giao: Công dân: Lò Văn Hùng" in rows[0] and "09:00 23/04/2026" in rows[0]
    assert "Nhận: Xã Chiềng Khương" in rows[1] and "09:30 23/04/2026" in rows[1]
    assert "Quá hạn" in rows[2] and "10:00 05/05/2026" in rows[2]
    assert "Nhận: Công dân: Lò Văn Hùng" in rows[3]


def test_the_logbook_lists_a_desks_dossiers_of_a_period_by_number(desk):
    first = desk.imported(at("2026-04-23 09:00"))["code"]
    second = desk.imported(at("2026-04-24 15:30"), procedure_code="1.004873")["code"]
    desk.imported(at("2026-05-02 09:00"))
    desk.imported(at("2026-04-24 09:00"), unit="04171")
    query = {"unit": "04222", "from": "2026-04-01", "to": "2026-04-30"}
    answer = desk.client.get("/api/v1/logbook", query_string={**query, "format": "json"}, headers=OFFICER)
    entries = answer.get_json()["entries"]
    assert [(e["code"], e["number"]) for e in entries] == [(first, 1), (second, 2)]
    assert entries[1]["procedure_name"] == "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân"
    assert entries[1]["agency"] == "Ủy ban nhân dân xã Chiềng Khương"
    page = text_of(desk.client.get("/api/v1/logbook", query_string=query, headers=OFFICER).get_data(as_text=True))
    assert "SỔ THEO DÕI HỒ SƠ" in page and first in page and second in page and "từ 01/04/2026 đến 30/04/2026" in page
    for bad in ({**query, "to": "2026-03-01"}, {**query, "to": "2027-06-01"}, {"unit": "04222"}):
        assert desk.client.get("/api/v1/logbook", query_string=bad, headers=OFFICER).status_code == 422


@pytest.mark.parametrize("name", ["receipt", "control-log"])
def test_every_form_is_self_contained_escaped_and_carries_the_qr_code_first(desk, name):
    hostile = "<script>alert('x')</script> Lò"
    code = desk.receive(applicant={**APPLICANT, "full_name": hostile})["code"]
    answer = desk.client.get(f"/api/v1/dossiers/{code}/{name}", headers=OFFICER)
    html = answer.get_data(as_text=True)
    assert answer.content_type == "text/html; charset=utf-8" and answer.headers["Cache-Control"] == "no-store"
    assert 'lang="vi"' in html and len(answer.data) < 20_000
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not re.search(r"<script|<link|<img|\bsrc=|url\(|@import", html)
    body = html.split("<body>", 1)[1]
    assert body.lstrip().startswith("<header>") and body.split("<header>", 1)[1].lstrip().startswith('<svg class="qr"')
    assert f'aria-label="Mã QR của hồ sơ {code}"' in html
