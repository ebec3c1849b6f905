"""A financial obligation (DVCQG 6): asked for while processing, the clock paused while the citizen pays,
the payment recorded at the desk with its receipt, processing resumed with the appointment moved.

Dates worked by hand, office hours 07:00-11:30 and 13:30-17:00 (8 working hours a day), days off of
2026 around Hùng Kings and 30/4-1/5: Mon 27/4 (Hùng Kings, Sunday 26/4 carried over), Thu 30/4, Fri 1/5.
"""
from __future__ import annotations

from datetime import datetime

from motcua_shared.events.catalogue import route

from intake.support import at, deliver, token

ADMIN = {"role": "admin", "unit": "14"}
STARTED = {"step_id": "S-1", "sequence": 1, "unit": "04222", "unit_path": "14.04222", "level": "commune",
           "action": "process", "budget_hours": 40.0}


def in_progress(desk) -> str:
    """1.004884 (5 working days, fee 10.000 đ) received Thu 23/4/2026 09:00: due Tue 5/5 09:00
    (Fri 24, Tue 28, Wed 29, Mon 4, Tue 5 are the five working days)."""
    code = desk.imported(at("2026-04-23 09:00"))["code"]
    deliver(desk, route.ROUTE_STARTED, {"dossier_code": code, "started_at": at("2026-04-23 09:30").isoformat(),
                                        "due_at": at("2026-05-05 09:00").isoformat(), "steps": [STARTED]})
    return code


def ask(desk, code, when="2026-04-24 09:00", **overrides):
    body = {"obligation": "charge", "amount_vnd": 10000, "purpose": "Lệ phí đăng ký lại khai sinh",
            "occurred_at": at(when).isoformat(), **overrides}
    return desk.act(code, "payment-request", body, **ADMIN)


def test_payment_pauses_the_clock_and_the_appointment_moves_by_the_wait(desk):
    code = in_progress(desk)
    asked = ask(desk, code)
    assert asked.status_code == 200, asked.get_json()
    body = asked.get_json()
    assert body["status"] == "awaiting_payment" and body["dvcqg_status"] == 6
    assert body["status_label"] == "Chờ thực hiện nghĩa vụ tài chính"
    assert body["payment"]["amount_vnd"] == 10000 and body["payment"]["paid_at"] is None
    assert datetime.fromisoformat(body["paused_from"]) == at("2026-04-24 09:00")
    event = desk.events()[-1]
    assert event["type"] == "vn.motcua.dossier.payment_requested"
    assert event["data"]["amount_vnd"] == 10000 and event["data"]["obligation"] == "charge"

    paid = desk.act(code, "payment", {"method": "cash", "receipt_number": "BL-0001234",
                                      "occurred_at": at("2026-04-28 09:00").isoformat()}, **ADMIN)
    assert paid.status_code == 200, paid.get_json()
    body = paid.get_json()
    # Paused Fri 24/4 09:00 → Tue 28/4 09:00: 6 h on Friday (09:00-11:30, 13:30-17:00), Monday 27/4 a
    # holiday, 2 h on Tuesday (07:00-09:00): 8 h, one working day. Tue 5/5 09:00 → Wed 6/5 09:00.
    assert datetime.fromisoformat(body["due_at"]) == at("2026-05-06 09:00")
    assert body["status"] == "in_progress" and body["paused_from"] is None
    assert body["payment"]["receipt_number"] == "BL-0001234" and body["payment"]["method"] == "cash"
    assert datetime.fromisoformat(body["payment"]["paid_at"]) == at("2026-04-28 09:00")
    event = desk.events()[-1]
    assert event["type"] == "vn.motcua.dossier.paid"
    assert event["data"]["online"] == 0 and event["data"]["receipt_number"] == "BL-0001234"
    assert datetime.fromisoformat(event["data"]["paused_from"]) == at("2026-04-24 09:00")
    assert datetime.fromisoformat(event["data"]["due_at"]) == at("2026-05-06 09:00")
    actions = [(h["action"], h["status"]) for h in body["history"]]
    assert actions[-2:] == [("request_payment", "awaiting_payment"), ("payment_received", "in_progress")]


def test_an_online_payment_carries_the_portal_flag(desk):
    code = in_progress(desk)
    ask(desk, code)
    paid = desk.act(code, "payment", {"method": "online_national", "receipt_number": "DVCQG-99",
                                      "occurred_at": at("2026-04-24 10:00").isoformat()}, **ADMIN)
    assert paid.status_code == 200, paid.get_json()
    assert desk.events()[-1]["data"]["online"] == 1
    # One working hour waited (09:00-10:00 on Fri 24/4): Tue 5/5 09:00 → 10:00.
    assert datetime.fromisoformat(paid.get_json()["due_at"]) == at("2026-05-05 10:00")


def test_a_result_while_awaiting_payment_still_leaves_the_wait_out(desk):
    code = in_progress(desk)
    ask(desk, code)
    deliver(desk, route.ROUTE_COMPLETED, {"dossier_code": code, "outcome": "rejected",
                                          "completed_at": at("2026-04-28 09:00").isoformat(),
                                          "note": "Không nộp lệ phí."})
    detail = desk.detail(code)
    assert detail["status"] == "processed" and detail["paused_from"] is None
    assert datetime.fromisoformat(detail["due_at"]) == at("2026-05-06 09:00")


def test_a_procedure_without_a_financial_obligation_cannot_ask_for_one(desk):
    # 1.001193 (đăng ký khai sinh) is free and its published time limit names no obligation.
    code = desk.imported(at("2026-04-23 09:00"), procedure_code="1.001193")["code"]
    deliver(desk, route.ROUTE_STARTED, {"dossier_code": code, "started_at": at("2026-04-23 09:30").isoformat(),
                                        "due_at": at("2026-04-23 17:00").isoformat(), "steps": [STARTED]})
    events = desk.count("outbox")
    answer = ask(desk, code)
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    assert answer.get_json()["code"] == "no_financial_obligation"
    assert answer.get_json()["invalid_params"][0]["name"] == "amount_vnd"
    assert desk.count("outbox") == events and desk.detail(code)["status"] == "in_progress"


def test_bad_payment_input_is_refused_and_changes_nothing(desk):
    code = in_progress(desk)
    events = desk.count("outbox")
    for body in ({"obligation": "bribe", "amount_vnd": 1, "purpose": "x"},
                 {"obligation": "fee", "amount_vnd": 0, "purpose": "x"},
                 {"obligation": "fee", "amount_vnd": "10000", "purpose": "x"},
                 {"obligation": "fee", "amount_vnd": 10000},
                 {"obligation": "fee", "amount_vnd": 10000, "purpose": "x", "extra": 1}):
        answer = desk.act(code, "payment-request", body, **ADMIN)
        assert answer.status_code == 422, (body, answer.get_json())
        assert answer.content_type == "application/problem+json" and answer.get_json()["invalid_params"]
    ask(desk, code)
    events = desk.count("outbox")
    wrong = desk.act(code, "payment", {"method": "cash", "receipt_number": "BL-1", "amount_vnd": 5000}, **ADMIN)
    assert wrong.status_code == 422 and wrong.get_json()["code"] == "amount_mismatch"
    no_receipt = desk.act(code, "payment", {"method": "cash"}, **ADMIN)
    assert no_receipt.status_code == 422
    assert desk.count("outbox") == events and desk.detail(code)["status"] == "awaiting_payment"


def test_payment_only_while_in_progress_and_recorded_only_while_awaited(desk):
    received = desk.receive()["code"]  # not yet handed to the processing agency
    early = desk.act(received, "payment-request", {"obligation": "fee", "amount_vnd": 10000, "purpose": "Phí"})
    assert early.status_code == 409 and early.get_json()["code"] == "invalid_transition"
    not_asked = desk.act(received, "payment", {"method": "cash", "receipt_number": "BL-1"})
    assert not_asked.status_code == 409 and not_asked.get_json()["code"] == "invalid_transition"


def test_the_agency_asks_within_its_scope_and_only_the_desk_records_the_payment(desk):
    code = in_progress(desk)
    other = desk.act(code, "payment-request", {"obligation": "fee", "amount_vnd": 10000, "purpose": "Phí"},
                     role="specialist", unit="04168")
    assert other.status_code == 404 and other.get_json()["code"] == "dossier_not_found"
    specialist = desk.act(code, "payment-request", {"obligation": "fee", "amount_vnd": 10000, "purpose": "Phí"},
                          role="specialist", unit="04222")
    assert specialist.status_code == 200, specialist.get_json()
    by_specialist = desk.act(code, "payment", {"method": "cash", "receipt_number": "BL-1"}, role="specialist",
                             unit="04222")
    assert by_specialist.status_code == 403
    at_desk = desk.act(code, "payment", {"method": "cash", "receipt_number": "BL-1"})
    assert at_desk.status_code == 200, at_desk.get_json()


def test_the_citizen_and_the_control_log_see_the_wait_for_the_payment(desk):
    import re

    from intake.support import APPLICANT

    code = in_progress(desk)
    ask(desk, code)
    desk.act(code, "payment", {"method": "cash", "receipt_number": "BL-0001234",
                               "occurred_at": at("2026-04-28 09:00").isoformat()}, **ADMIN)
    public = desk.client.get(f"/api/v1/public/dossiers/{code}", query_string={"id_number": APPLICANT["id_number"]})
    texts = [line["text"] for line in public.get_json()["history"]]
    assert ("Đề nghị công dân thực hiện nghĩa vụ tài chính: Lệ phí đăng ký lại khai sinh, số tiền 10.000 đồng. "
            "Thời hạn giải quyết tạm dừng trong khi chờ nộp.") in texts
    assert ("Đã ghi nhận nộp tiền; tiếp tục giải quyết. Hẹn trả kết quả: 09 giờ 00 phút, ngày 06 tháng 05 năm "
            "2026.") in texts
    log = desk.client.get(f"/api/v1/dossiers/{code}/control-log", headers=token("receptionist", unit="04222"))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", log.get_data(as_text=True)))
    assert "Yêu cầu thực hiện nghĩa vụ tài chính; tạm dừng tính thời hạn" in text
    assert "Nhận biên lai nộp tiền; tiếp tục tính thời hạn" in text
