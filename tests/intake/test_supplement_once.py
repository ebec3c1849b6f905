"""A supplement is asked for once, for the whole list (Decree 61/2018; Decree 63/2010 Art. 20(4)), and
Decision 766 counts a dossier asked more than once as late: every request is counted on the dossier and
in its event, a second request at the desk is refused unless its legal ground is recorded."""
from __future__ import annotations

from datetime import datetime

from motcua_shared.events.catalogue import route

from intake.support import at, deliver, token

FIRST = {"note": "Thiếu giấy tờ chứng minh nơi cư trú.", "items": ["Giấy xác nhận cư trú"]}
SECOND = {"note": "Giấy xác nhận cư trú đã hết hạn.", "items": ["Giấy xác nhận cư trú còn hạn"]}
GROUND = "Giấy tờ công dân nộp bổ sung hết hiệu lực sau lần yêu cầu thứ nhất (khoản 2 Điều 15 Nghị định 61/2018)."


def supplement_events(desk, code):
    return [e for e in desk.events() if e["subject"] == code and e["type"] == "vn.motcua.dossier.supplement_requested"]


def test_the_first_request_is_counted(desk):
    code = desk.receive(status="submitted")["code"]
    answer = desk.act(code, "supplement-request", FIRST)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["supplement_requests"] == 1
    (event,) = supplement_events(desk, code)
    assert event["data"]["request_number"] == 1 and event["data"]["legal_ground"] is None


def test_a_second_request_without_its_legal_ground_is_refused_and_stores_nothing(desk):
    code = desk.receive(status="submitted")["code"]
    desk.act(code, "supplement-request", FIRST)
    events, history = desk.count("outbox"), len(desk.detail(code)["history"])
    answer = desk.act(code, "supplement-request", SECOND)
    assert answer.status_code == 409 and answer.content_type == "application/problem+json"
    assert answer.get_json()["code"] == "supplement_already_requested"
    assert "căn cứ pháp lý" in answer.get_json()["detail"]
    blank = desk.act(code, "supplement-request", {**SECOND, "legal_ground": "   "})
    assert blank.status_code == 422  # a blank ground is no ground: bad input
    assert [p["name"] for p in blank.get_json()["invalid_params"]] == ["legal_ground"]
    assert desk.count("outbox") == events and len(desk.detail(code)["history"]) == history
    assert desk.detail(code)["supplement_requests"] == 1


def test_a_second_request_with_its_legal_ground_is_recorded_and_counted(desk):
    code = desk.receive(status="submitted")["code"]
    desk.act(code, "supplement-request", FIRST)
    answer = desk.act(code, "supplement-request", {**SECOND, "legal_ground": GROUND})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "supplement_required" and body["supplement_requests"] == 2
    last = body["history"][-1]
    assert last["action"] == "request_supplement" and last["details"]["legal_ground"] == GROUND
    assert last["details"]["request_number"] == 2
    second = supplement_events(desk, code)[-1]
    assert second["data"]["request_number"] == 2 and second["data"]["legal_ground"] == GROUND


def test_a_request_by_a_processing_step_after_one_at_reception_is_the_second(desk):
    """Routing's event cannot be answered with a 409: it is recorded, counted and says it is the second."""
    code = desk.receive(status="submitted")["code"]
    desk.act(code, "supplement-request", FIRST)
    desk.act(code, "acceptance")
    deliver(desk, route.ROUTE_SUPPLEMENT_REQUIRED, {
        "dossier_code": code, "step_id": "S-1", "requested_at": datetime.now().astimezone().isoformat(),
        "note": "Thiếu bản sao Giấy khai sinh."})
    detail = desk.detail(code)
    assert detail["status"] == "supplement_required" and detail["supplement_requests"] == 2
    assert detail["history"][-1]["details"]["request_number"] == 2
    assert supplement_events(desk, code)[-1]["data"]["request_number"] == 2


def test_one_request_in_processing_is_the_first(desk):
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    deliver(desk, route.ROUTE_SUPPLEMENT_REQUIRED, {
        "dossier_code": code, "step_id": "S-1", "requested_at": at("2026-04-24 09:00").isoformat(),
        "note": "Thiếu bản sao Giấy khai sinh."})
    assert desk.detail(code)["supplement_requests"] == 1
    assert supplement_events(desk, code)[-1]["data"]["request_number"] == 1
    listed = desk.client.get("/api/v1/dossiers", query_string={"q": code}, headers=token("receptionist", unit="04222"))
    assert listed.get_json()["items"][0]["supplement_requests"] == 1
