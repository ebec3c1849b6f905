"""Mẫu 04 (Circular 01/2018/TT-VPCP), Phiếu xin lỗi và hẹn lại ngày trả kết quả: printed from the apology
routing sent, as intake recorded it in the dossier's history; 404 when the dossier has none, and
like every form, only for an officer who may read the dossier.

The dossier is 1.004884 (5 working days) received at Chiềng Khương on Thursday 23/04/2026 09:00: due
Tuesday 05/05/2026 09:00 (Monday 27/04 for Giỗ Tổ, 30/04 and 01/05 are days off). Routing apologises on
Monday 04/05 08:00 with the new appointment Friday 08/05 09:00."""
from __future__ import annotations

import re

from motcua_shared.events.catalogue import route

from intake.support import at, deliver, token

OFFICER = token("receptionist", unit="04222")
REASON = "Bước ký hồ sơ tại UBND xã Chiềng Khương chưa hoàn thành <b>đúng hạn</b>."


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def started(desk, code: str) -> None:
    deliver(desk, route.ROUTE_STARTED, {"dossier_code": code, "started_at": at("2026-04-23 09:30").isoformat(),
                                        "due_at": at("2026-05-05 09:00").isoformat(), "steps": [
        {"step_id": "S-1", "sequence": 1, "unit": "04222", "unit_path": "14.04222", "level": "commune",
         "action": "process", "budget_hours": 40.0}]})


def apologised(desk, code: str) -> None:
    deliver(desk, route.APOLOGY_ISSUED, {
        "dossier_code": code, "original_due_at": at("2026-05-05 09:00").isoformat(),
        "new_due_at": at("2026-05-08 09:00").isoformat(), "reason": REASON,
        "issued_at": at("2026-05-04 08:00").isoformat(), "unit": "04222"})


def test_the_apology_slip_gives_the_reason_and_the_new_appointment(desk):
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    started(desk, code)
    before = desk.client.get(f"/api/v1/dossiers/{code}/apology", headers=OFFICER)
    assert before.status_code == 404 and before.content_type == "application/problem+json"
    assert before.get_json()["code"] == "no_apology"

    apologised(desk, code)
    answer = desk.client.get(f"/api/v1/dossiers/{code}/apology", headers=OFFICER)
    assert answer.status_code == 200 and answer.content_type == "text/html; charset=utf-8"
    assert answer.headers["Cache-Control"] == "no-store"
    html = answer.get_data(as_text=True)
    page = text_of(html)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in page
    assert f"Mã hồ sơ: {code}" in page
    assert "Chiềng Khương, ngày 04 tháng 05 năm 2026" in page  # place and date: the day of the apology
    assert ("Ngày 23 tháng 04 năm 2026, Ủy ban nhân dân xã Chiềng Khương tiếp nhận giải quyết hồ sơ đề nghị "
            "giải quyết thủ tục hành chính Thủ tục đăng ký lại khai sinh của Ông/Bà Lò Văn Hùng") in page
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 05 tháng 05 năm 2026" in page
    # The reason as routing wrote it, escaped: markup in it is shown, never interpreted.
    assert "<b>đúng hạn</b>" not in html and "&lt;b&gt;đúng hạn&lt;/b&gt;" in html
    assert ("Ủy ban nhân dân xã Chiềng Khương xin lỗi Ông/Bà và sẽ trả kết quả giải quyết hồ sơ cho Ông/Bà vào: "
            "09 giờ 00 phút, ngày 08 tháng 05 năm 2026") in page
    assert "THỦ TRƯỞNG CƠ QUAN (Ký, ghi rõ họ tên và đóng dấu)" in page
    body = html.split("<body>", 1)[1]
    assert body.split("<header>", 1)[1].lstrip().startswith('<svg class="qr"')
    assert not re.search(r"<script|<link|<img|\bsrc=|url\(|@import", html)


def test_the_apology_slip_is_only_for_those_who_may_read_the_dossier(desk):
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    started(desk, code)
    apologised(desk, code)
    for outsider in (token("receptionist", unit="04171"), token("leader", unit="04171")):
        answer = desk.client.get(f"/api/v1/dossiers/{code}/apology", headers=outsider)
        assert answer.status_code == 404 and answer.get_json()["code"] == "dossier_not_found"
    assert desk.client.get(f"/api/v1/dossiers/{code}/apology").status_code == 401
    missing = desk.client.get("/api/v1/dossiers/H52.04222-260423-9999/apology", headers=OFFICER)
    assert missing.status_code == 404 and missing.get_json()["code"] == "dossier_not_found"
