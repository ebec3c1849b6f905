"""A dossier's life at the desk through the API: every reception outcome, every change of status with
its one event, and the changes that are not allowed (409, nothing stored)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from motcua_shared.events.catalogue import route
from motcua_shared.workcal import WorkingCalendar

from intake.support import at, deliver, dossier, token

RECEIVED = "vn.motcua.dossier.received"


def processed(desk, code, outcome="approved", when=None):
    """Processing finished (as routing announces it)."""
    when = when or datetime.now(timezone.utc)
    deliver(desk, route.ROUTE_COMPLETED, {"dossier_code": code, "outcome": outcome,
                                          "completed_at": when.isoformat(), "note": None})


def test_a_counter_dossier_is_received_with_its_code_appointment_and_one_event(desk):
    before = datetime.now(timezone.utc)
    answer = desk.receive()
    assert answer["status"] == "received" and answer["dvcqg_status"] == 2
    assert re.fullmatch(r"H52\.04222-\d{6}-0001", answer["code"])
    received_at = datetime.fromisoformat(answer["received_at"])
    assert before <= received_at <= datetime.now(timezone.utc)
    assert datetime.fromisoformat(answer["due_at"]) == WorkingCalendar().add(received_at, 5, "working_days")
    (event,) = desk.events()
    assert event["type"] == RECEIVED and event["subject"] == answer["code"]
    assert event["data"]["due_at"] and event["data"]["procedure_level"] == "commune"
    assert "id_number" not in event["data"]["applicant"]  # never the identity number downstream
    detail = desk.detail(answer["code"])
    assert [h["action"] for h in detail["history"]] == ["receive"] and detail["logbook_number"] == 1


def test_an_imported_historical_dossier_takes_its_times_from_the_data(desk):
    answer = desk.imported(at("2026-04-23 09:00"))
    # Thu 23/4/2026 + 5 working days: Hùng Kings (27/4), 30/4 and 1/5 are off.
    assert datetime.fromisoformat(answer["due_at"]) == at("2026-05-05 09:00")
    assert answer["code"].endswith("-260423-0001")
    (event,) = desk.events()
    assert datetime.fromisoformat(event["data"]["received_at"]) == at("2026-04-23 09:00")


def test_a_submitted_dossier_is_accepted_later_and_only_then_has_a_receipt(desk):
    submitted = desk.receive(status="submitted")
    assert submitted["status"] == "submitted" and submitted["dvcqg_status"] == 1
    assert submitted["received_at"] is None and submitted["due_at"] is None
    code = submitted["code"]
    answer = desk.client.get(f"/api/v1/dossiers/{code}/receipt", headers=token("receptionist", unit="04222"))
    assert answer.status_code == 409 and answer.get_json()["code"] == "not_received"

    accepted = desk.act(code, "acceptance")
    assert accepted.status_code == 200, accepted.get_json()
    body = accepted.get_json()
    assert body["status"] == "received" and body["due_at"] and body["logbook_number"] == 1
    assert desk.event_types(code) == ["vn.motcua.dossier.submitted", RECEIVED]
    assert desk.client.get(f"/api/v1/dossiers/{code}/receipt",
                           headers=token("receptionist", unit="04222")).status_code == 200


def test_incomplete_at_reception_the_supplement_is_asked_then_the_dossier_is_accepted(desk):
    code = desk.receive(status="submitted")["code"]
    answer = desk.act(code, "supplement-request", {"note": "Thiếu bản sao giấy tờ tùy thân.",
                                                   "items": ["Bản sao CCCD"]})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "supplement_required" and body["supplement_stage"] == "reception"
    assert body["dvcqg_status"] == 5 and body["due_at"] is None  # not received: no clock runs
    event = desk.events()[-1]
    assert event["type"] == "vn.motcua.dossier.supplement_requested"
    assert event["data"]["stage"] == "reception" and event["data"]["items"] == ["Bản sao CCCD"]
    # The desk records the supplement received at reception by accepting the now complete dossier.
    assert desk.act(code, "supplement").get_json()["code"] == "invalid_transition"
    assert desk.act(code, "acceptance").get_json()["status"] == "received"
    assert desk.event_types(code)[-1] == RECEIVED


def test_refused_at_reception_with_the_reasons(desk):
    code = desk.receive(status="submitted")["code"]
    body = desk.act(code, "refusal", {"reason": "Không thuộc trường hợp được đăng ký lại khai sinh."}).get_json()
    assert body["status"] == "refused" and body["dvcqg_status"] == 3
    event = desk.events()[-1]
    assert event["type"] == "vn.motcua.dossier.refused" and event["data"]["reason"].startswith("Không thuộc")


def test_not_this_desks_competence_the_citizen_is_sent_to_the_competent_unit(desk):
    code = desk.receive(status="submitted")["code"]
    answer = desk.act(code, "redirection", {"competent_unit": "04168", "reason": "Nơi cư trú thuộc xã Sông Mã."})
    body = answer.get_json()
    assert body["status"] == "refused" and body["redirected_to"] == "04168"
    event = desk.events()[-1]
    assert event["type"] == "vn.motcua.dossier.redirected" and event["data"]["competent_unit"] == "04168"
    assert desk.act(desk.receive(status="submitted")["code"], "redirection",
                    {"competent_unit": "04222", "reason": "x"}).get_json()["code"] == "redirect_to_self"


def test_a_citizen_submits_online_and_asks_to_withdraw_the_desk_confirms(desk):
    citizen = token("citizen", sub="014090001234")
    answer = desk.client.post("/api/v1/dossiers", headers=citizen, json=dossier(
        procedure_code="1.005461", channel="online"))  # đăng ký lại khai tử: online (partial)
    assert answer.status_code == 201, answer.get_json()
    code = answer.get_json()["code"]
    assert answer.get_json()["status"] == "submitted"
    desk.act(code, "acceptance")
    stranger = token("citizen", sub="014090009999")
    assert desk.client.post(f"/api/v1/dossiers/{code}/withdrawal-request", json={},
                            headers=stranger).status_code == 404
    asked = desk.client.post(f"/api/v1/dossiers/{code}/withdrawal-request",
                             json={"reason": "Không còn nhu cầu."}, headers=citizen)
    assert asked.status_code == 200 and asked.get_json()["status"] == "withdrawal_requested"
    assert asked.get_json()["dvcqg_status"] == 7
    confirmed = desk.act(code, "withdrawal").get_json()
    assert confirmed["status"] == "stopped" and confirmed["dvcqg_status"] == 8
    assert desk.event_types(code) == ["vn.motcua.dossier.submitted", RECEIVED,
                                      "vn.motcua.dossier.withdrawal_requested", "vn.motcua.dossier.withdrawn"]
    withdrawn = desk.events()[-1]["data"]
    assert withdrawn["reason"] == "Không còn nhu cầu." and withdrawn["actor"] == "officer-1"
    # A citizen's identity number is never the actor of an event.
    assert desk.events()[-2]["data"]["actor"] == "citizen"


def test_the_result_is_returned_at_the_counter_once_processed(desk):
    code = desk.receive()["code"]
    processed(desk, code)
    assert desk.detail(code)["status"] == "processed"
    answer = desk.act(code, "return", {"method": "counter", "note": "Công dân nhận trực tiếp."})
    assert answer.status_code == 200 and answer.get_json()["status"] == "returned"
    assert answer.get_json()["dvcqg_status"] == 10 and answer.get_json()["returned_by"] == "counter"
    event = desk.events()[-1]
    assert event["type"] == "vn.motcua.dossier.returned" and event["data"]["method"] == "counter"


def test_a_supplement_during_processing_pauses_the_clock_and_moves_the_appointment(desk):
    code = desk.imported(at("2026-04-23 09:00"))["code"]  # due 05/05 09:00
    deliver(desk, route.ROUTE_SUPPLEMENT_REQUIRED, {
        "dossier_code": code, "step_id": "S-1", "requested_at": at("2026-04-24 09:00").isoformat(),
        "note": "Thiếu bản sao Giấy khai sinh."})
    waiting = desk.detail(code)
    assert waiting["status"] == "supplement_required" and waiting["supplement_stage"] == "processing"
    answer = desk.act(code, "supplement", {"occurred_at": at("2026-04-28 09:00").isoformat()}, role="admin",
                      unit="14")
    assert answer.status_code == 200, answer.get_json()
    # Paused Fri 24/4 09:00 → Tue 28/4 09:00: 6 h on Friday, Monday 27/4 a holiday, 2 h on Tuesday = 1 day.
    assert datetime.fromisoformat(answer.get_json()["due_at"]) == at("2026-05-06 09:00")
    assert answer.get_json()["status"] == "in_progress" and answer.get_json()["paused_from"] is None
    event = desk.events()[-1]
    assert event["type"] == "vn.motcua.dossier.supplement_received"
    assert datetime.fromisoformat(event["data"]["paused_from"]) == at("2026-04-24 09:00")
    assert datetime.fromisoformat(event["data"]["due_at"]) == at("2026-05-06 09:00")


FORBIDDEN = [
    # (how the dossier stands, the action, its body)
    ("received", "return", {"method": "counter"}),  # a result that was never processed
    ("received", "acceptance", {}),
    ("received", "refusal", {"reason": "x"}),
    ("received", "redirection", {"competent_unit": "04168", "reason": "x"}),
    ("received", "supplement-request", {"note": "x"}),
    ("received", "supplement", {}),
    ("received", "withdrawal", {}),
    ("submitted", "return", {"method": "counter"}),
    ("submitted", "supplement", {}),
    ("refused", "acceptance", {}),
    ("refused", "withdrawal-request", {}),
    ("processed", "withdrawal-request", {}),
    ("processed", "acceptance", {}),
    ("returned", "return", {"method": "counter"}),
    ("stopped", "acceptance", {}),
    ("stopped", "return", {"method": "counter"}),
]


def _dossier_in(desk, state: str) -> str:
    if state == "received":
        return desk.receive()["code"]
    code = desk.receive(status="submitted")["code"]
    if state == "refused":
        desk.act(code, "refusal", {"reason": "Hồ sơ không hợp lệ."})
    elif state in ("processed", "returned", "stopped"):
        desk.act(code, "acceptance")
        if state == "stopped":
            desk.act(code, "withdrawal-request")
            desk.act(code, "withdrawal")
        else:
            processed(desk, code)
            if state == "returned":
                desk.act(code, "return", {"method": "counter"})
    assert desk.detail(code)["status"] == state
    return code


@pytest.mark.parametrize("state,action,body", FORBIDDEN, ids=[f"{s}-{a}" for s, a, _ in FORBIDDEN])
def test_a_change_not_allowed_from_the_status_answers_409_and_changes_nothing(desk, state, action, body):
    code = _dossier_in(desk, state)
    events, history = desk.count("outbox"), len(desk.detail(code)["history"])
    answer = desk.act(code, action, body)
    assert answer.status_code == 409, answer.get_json()
    assert answer.content_type == "application/problem+json"
    assert answer.get_json()["code"] == "invalid_transition"
    assert desk.count("outbox") == events and len(desk.detail(code)["history"]) == history
    assert desk.detail(code)["status"] == state


def test_only_an_administrator_may_date_a_change_and_never_out_of_order(desk):
    code = desk.imported(at("2026-04-23 09:00"), status=None)["code"]
    processed(desk, code, when=at("2026-04-29 10:00"))
    officer = desk.act(code, "return", {"method": "counter", "occurred_at": at("2026-04-30 08:00").isoformat()})
    assert officer.status_code == 403 and officer.get_json()["code"] == "import_requires_admin"
    early = desk.act(code, "return", {"method": "counter", "occurred_at": at("2026-04-29 09:00").isoformat()},
                     role="admin", unit="14")
    assert early.status_code == 422 and early.get_json()["code"] == "occurred_at_out_of_order"
    future = datetime.now(timezone.utc) + timedelta(days=1)
    late = desk.act(code, "return", {"method": "counter", "occurred_at": future.isoformat()}, role="admin", unit="14")
    assert late.status_code == 422 and late.get_json()["code"] == "occurred_at_in_future"
    done = desk.act(code, "return", {"method": "counter", "occurred_at": at("2026-05-04 08:00").isoformat()},
                    role="admin", unit="14")
    assert done.status_code == 200
    assert datetime.fromisoformat(desk.events()[-1]["data"]["occurred_at"]) == at("2026-05-04 08:00")


def test_a_retried_submission_answers_with_the_same_dossier(desk):
    headers = {**token("receptionist", unit="04222"), "Idempotency-Key": "desk-7-0042"}
    first = desk.client.post("/api/v1/dossiers", json=dossier(), headers=headers)
    again = desk.client.post("/api/v1/dossiers", json=dossier(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()
    assert desk.count("dossiers") == 1 and desk.count("outbox") == 1
    other = desk.client.post("/api/v1/dossiers", json=dossier(return_method="postal", delivery_address="Bản Hưng Mai"),
                             headers=headers)
    assert other.status_code == 409 and other.get_json()["code"] == "idempotency_key_reused"
    colleague = {**token("receptionist", unit="04222", sub="officer-2"), "Idempotency-Key": "desk-7-0042"}
    assert desk.client.post("/api/v1/dossiers", json=dossier(), headers=colleague).get_json()["code"] != \
        first.get_json()["code"]
    assert desk.count("dossiers") == 2


def test_no_personal_data_reaches_a_log_record_even_before_redaction(desk, caplog):
    caplog.set_level("DEBUG")
    code = desk.receive(status="submitted")["code"]
    desk.act(code, "acceptance")
    processed(desk, code)
    desk.act(code, "return", {"method": "counter"})
    desk.client.get(f"/api/v1/public/dossiers/{code}", query_string={"id_number": "014090001234"})
    assert any(r.getMessage() == "dossier_status_changed" for r in caplog.records)
    for record in caplog.records:
        raw = f"{record.getMessage()} {vars(record)}"
        for personal in ("014090001234", "0912345678", "hung@example.vn", "Lò Văn Hùng", "Bản Hưng Mai"):
            assert personal not in raw, record.getMessage()
