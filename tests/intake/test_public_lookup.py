"""The citizen's lookup without login: status, appointment and history in plain Vietnamese with the
matching identity number; without it, exactly the answer an unknown code gets."""
from __future__ import annotations

import hashlib
from datetime import datetime
import re

from motcua_shared.events.catalogue import route

from intake.support import APPLICANT, at, deliver, token

RIGHT, WRONG = APPLICANT["id_number"], "014090009999"


def lookup(desk, code: str, id_number: str):
    return desk.client.get(f"/api/v1/public/dossiers/{code}", query_string={"id_number": id_number})


def test_with_the_matching_identity_number_the_citizen_sees_status_appointment_and_history(desk):
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    deliver(desk, route.ROUTE_STARTED, {"dossier_code": code, "started_at": at("2026-04-23 09:10").isoformat(),
                                        "due_at": at("2026-05-05 09:00").isoformat(), "steps": [
        {"step_id": "S-1", "sequence": 1, "unit": "04222", "unit_path": "14.04222", "level": "commune",
         "action": "process", "budget_hours": 40.0}]})
    deliver(desk, route.APOLOGY_ISSUED, {
        "dossier_code": code, "original_due_at": at("2026-05-05 09:00").isoformat(),
        "new_due_at": at("2026-05-07 09:00").isoformat(), "reason": "Cần xác minh thêm tại thôn.",
        "issued_at": at("2026-05-04 08:00").isoformat(), "unit": "04222"})
    answer = lookup(desk, code, RIGHT)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "in_progress" and body["status_label"] == "Đang xử lý" and body["dvcqg_status"] == 4
    assert datetime.fromisoformat(body["due_at"]) == at("2026-05-07 09:00")  # the apology's new date
    texts = [line["text"] for line in body["history"]]
    assert texts[0] == ("Hồ sơ đã được tiếp nhận tại bộ phận tiếp nhận và trả kết quả Xã Chiềng Khương. "
                        "Hẹn trả kết quả: 09 giờ 00 phút, ngày 05 tháng 05 năm 2026.")
    assert texts[1] == "Hồ sơ đã được chuyển đến cơ quan có thẩm quyền để giải quyết."
    assert "hẹn lại ngày trả kết quả: 09 giờ 00 phút, ngày 07 tháng 05 năm 2026" in texts[2]
    # Nothing personal, nothing internal.
    text = answer.get_data(as_text=True)
    for secret in (APPLICANT["full_name"], RIGHT, APPLICANT["phone"], APPLICANT["email"], "officer-1", "Lường"):
        assert secret not in text
    assert set(body) == {"code", "procedure_name", "status", "status_label", "dvcqg_status", "due_at", "history"}


def test_a_wrong_identity_number_looks_exactly_like_an_unknown_code(desk):
    code = desk.receive()["code"]
    wrong = lookup(desk, code, WRONG)
    unknown = lookup(desk, code[:-4] + "0999", RIGHT)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content_type == unknown.content_type == "application/problem+json"
    assert hashlib.sha256(wrong.data).hexdigest() == hashlib.sha256(unknown.data).hexdigest()
    assert wrong.get_json()["code"] == "dossier_not_found"
    assert set(wrong.headers.keys()) == set(unknown.headers.keys())
    malformed = lookup(desk, code, "12345")
    assert malformed.status_code == 422 and malformed.get_json()["invalid_params"][0]["name"] == "id_number"


def test_the_lookup_page_is_small_self_contained_and_keeps_the_number_out_of_addresses(desk):
    code = desk.receive()["code"]
    form = desk.client.get("/tra-cuu")
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and form.content_type.startswith("text/html")
    assert len(form.data) < 4096 and 'lang="vi"' in html and 'method="post"' in html
    assert not re.search(r"<script|<link|<img|\bsrc=|url\(", html)  # no asset to fetch on a slow line
    found = desk.client.post("/tra-cuu", data={"code": code, "id_number": RIGHT})
    page = found.get_data(as_text=True)
    assert found.status_code == 200 and "Đã tiếp nhận" in page and "Hẹn trả kết quả" in page
    assert RIGHT not in page and APPLICANT["full_name"] not in page
    assert found.headers["Cache-Control"] == "no-store"
    missing = desk.client.post("/tra-cuu", data={"code": code, "id_number": WRONG})
    assert missing.status_code == 404 and "Không tìm thấy hồ sơ" in missing.get_data(as_text=True)
    assert desk.client.post("/tra-cuu", data={"code": code, "id_number": "abc"}).status_code == 422


def test_the_catalogue_and_lookup_need_no_login_but_the_officer_view_does(desk):
    assert desk.client.get("/api/v1/procedures").status_code == 200
    assert desk.client.get("/tra-cuu").status_code == 200
    code = desk.receive()["code"]
    assert desk.client.get(f"/api/v1/dossiers/{code}").status_code == 401
    assert desk.client.get(f"/api/v1/dossiers/{code}", headers=token("citizen", sub=RIGHT)).status_code == 200


def test_the_link_in_every_message_prefills_the_dossier_code_and_nothing_else(desk):
    code = "H52.04222-190315-0001"
    page = desk.client.get(f"/tra-cuu?ma={code}").get_data(as_text=True)
    assert f'value="{code}"' in page
    hostile = desk.client.get('/tra-cuu?ma="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in hostile and 'value=""' in hostile
