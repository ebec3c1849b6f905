"""The competent agency stops processing (dừng xử lý, DVCQG 8) with its reason: the dossier ends, the
clock stops, the event carries the ground and the reason, and a stopped dossier accepts nothing more."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime

import pytest

from motcua_shared.events.catalogue import route
from motcua_shared.events.catalogue.stop import GROUND_LABELS, STOP_GROUNDS

from intake.support import at, deliver, token

REASON = "Thửa đất đang có tranh chấp, Tòa án nhân dân khu vực đã thụ lý vụ án."


def stop(desk, code, when=None, *, ground="court_proceedings", reason=REASON, **who):
    body = {"ground": ground, "reason": reason}
    if when:
        body["occurred_at"] = at(when).isoformat()
    return desk.act(code, "stop", body, **(who or {"role": "admin", "unit": "14"}))


def test_the_agency_stops_a_dossier_in_progress_with_its_reason(desk):
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    deliver(desk, route.ROUTE_STARTED, {"dossier_code": code, "started_at": at("2026-04-23 09:30").isoformat(),
                                        "due_at": at("2026-05-05 09:00").isoformat(), "steps": [
        {"step_id": "S-1", "sequence": 1, "unit": "04222", "unit_path": "14.04222", "level": "commune",
         "action": "process", "budget_hours": 40.0}]})
    answer = stop(desk, code, "2026-04-28 10:00")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "stopped" and body["dvcqg_status"] == 8 and body["status_label"] == "Dừng xử lý"
    assert body["stop_ground"] == "court_proceedings" and body["stop_reason"] == REASON
    assert datetime.fromisoformat(body["stopped_at"]) == at("2026-04-28 10:00")
    assert body["overdue"] is False
    last = body["history"][-1]
    assert (last["action"], last["status"], last["note"]) == ("stop", "stopped", REASON)
    assert last["details"]["ground_label"] == "Vụ việc đang được Tòa án hoặc cơ quan có thẩm quyền giải quyết"
    event = desk.events()[-1]
    assert event["type"] == "vn.motcua.dossier.stopped"
    assert event["data"]["ground"] == "court_proceedings" and event["data"]["reason"] == REASON
    assert event["data"]["unit"] == "04222"
    assert datetime.fromisoformat(event["data"]["occurred_at"]) == at("2026-04-28 10:00")


def test_a_stop_while_waiting_for_a_supplement_ends_the_pause(desk):
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    deliver(desk, route.ROUTE_SUPPLEMENT_REQUIRED, {
        "dossier_code": code, "step_id": "S-1", "requested_at": at("2026-04-24 09:00").isoformat(),
        "note": "Thiếu bản sao Giấy khai sinh."})
    answer = stop(desk, code, "2026-05-11 09:00", ground="supplement_not_provided",
                  reason="Quá thời hạn nhưng công dân không bổ sung hồ sơ theo Phiếu yêu cầu bổ sung.")
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["paused_from"] is None and answer.get_json()["status"] == "stopped"
    # The appointment stays the one promised: the stop ends the dossier, it does not move the date.
    assert datetime.fromisoformat(answer.get_json()["due_at"]) == at("2026-05-05 09:00")


@pytest.mark.parametrize("action,body", [
    ("acceptance", {}), ("return", {"method": "counter"}), ("stop", {"ground": "other", "reason": "Lần hai."}),
    ("withdrawal-request", {}), ("supplement", {}),
])
def test_a_stopped_dossier_accepts_nothing_more(desk, action, body):
    code = desk.receive()["code"]
    assert stop(desk, code).status_code == 200
    events = desk.count("outbox")
    answer = desk.act(code, action, body)
    assert answer.status_code == 409 and answer.get_json()["code"] == "invalid_transition"
    assert desk.count("outbox") == events


def test_a_submission_not_yet_received_is_refused_not_stopped(desk):
    code = desk.receive(status="submitted")["code"]
    answer = stop(desk, code)
    assert answer.status_code == 409 and answer.get_json()["code"] == "invalid_transition"


@pytest.mark.parametrize("body,field", [
    ({"ground": "court_proceedings"}, "reason"),
    ({"ground": "court_proceedings", "reason": ""}, "reason"),
    ({"ground": "tired", "reason": REASON}, "ground"),
    ({"reason": REASON}, "ground"),
    ({"ground": "other", "reason": REASON, "unit": "04222"}, "unit"),
])
def test_a_stop_without_a_valid_ground_and_reason_is_refused_and_stores_nothing(desk, body, field):
    code = desk.receive()["code"]
    events = desk.count("outbox")
    answer = desk.act(code, "stop", body)
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    assert field in [p["name"] for p in answer.get_json()["invalid_params"]]
    assert desk.count("outbox") == events and desk.detail(code)["status"] == "received"


def test_who_may_stop(desk):
    code = desk.receive()["code"]
    other = stop(desk, code, role="leader", unit="04168")
    assert other.status_code == 404 and other.get_json()["code"] == "dossier_not_found"
    auditor = stop(desk, code, role="auditor", unit="04222")
    assert auditor.status_code == 403
    leader = stop(desk, code, role="leader", unit="04222")
    assert leader.status_code == 200, leader.get_json()


def test_every_ground_has_its_vietnamese_label():
    assert set(GROUND_LABELS) == set(STOP_GROUNDS)


def test_the_notice_of_the_stop_is_printable_with_its_ground_and_reason(desk):
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    withdrawn = desk.receive(status="submitted")["code"]
    desk.act(withdrawn, "acceptance")
    desk.act(withdrawn, "withdrawal-request")
    desk.act(withdrawn, "withdrawal")
    headers = token("receptionist", unit="04222")
    before = desk.client.get(f"/api/v1/dossiers/{code}/stop-notice", headers=headers)
    assert before.status_code == 409 and before.get_json()["code"] == "not_stopped"
    # A withdrawal is the citizen's, not the agency's stop: it has no such notice.
    assert desk.client.get(f"/api/v1/dossiers/{withdrawn}/stop-notice", headers=headers).status_code == 409
    assert stop(desk, code, "2026-04-28 10:00").status_code == 200
    answer = desk.client.get(f"/api/v1/dossiers/{code}/stop-notice", headers=headers)
    assert answer.status_code == 200 and answer.content_type.startswith("text/html")
    html = answer.get_data(as_text=True)
    assert unicodedata.is_normalized("NFC", html)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and code in text
    assert "10 giờ 00 phút, ngày 28 tháng 04 năm 2026" in text
    assert "Vụ việc đang được Tòa án hoặc cơ quan có thẩm quyền giải quyết" in text and REASON in text


def test_the_citizen_reads_the_stop_and_its_reason(desk):
    from intake.support import APPLICANT

    code = desk.receive()["code"]
    assert stop(desk, code).status_code == 200
    public = desk.client.get(f"/api/v1/public/dossiers/{code}", query_string={"id_number": APPLICANT["id_number"]})
    body = public.get_json()
    assert body["status_label"] == "Dừng xử lý" and body["dvcqg_status"] == 8
    assert body["history"][-1]["text"] == f"Cơ quan có thẩm quyền dừng giải quyết hồ sơ. Lý do: {REASON}"
