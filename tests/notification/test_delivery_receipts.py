"""Delivery receipts on the signed callback endpoint: idempotent, accepted in any order, and only ever
moving a message forward; the outcome is published once for reporting."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from notification.support import Events


def sms(service, code: str) -> dict:
    [row] = service.rows(code, channel="sms")
    return row


def outcome_events(service, message_id: str) -> list[tuple[str, str]]:
    return [(e["type"], e["data"]["status"]) for e in service.outbox_events() if e["data"]["message_id"] == message_id]


def sent_and_waiting_for_its_receipt(local) -> tuple:
    service = local(SMS_GATEWAY_RECEIPTS="true", NOTIFICATION_RETRY_BASE_SECONDS="60")
    ev = Events()
    service.handle(ev.received())
    service.deliver()
    row = sms(service, ev.code)
    assert row["status"] == "sending" and row["provider"] == "sms-gateway"
    return service, ev, row


def test_receipts_in_any_order_move_a_message_forward_only(local):
    service, ev, row = sent_and_waiting_for_its_receipt(local)
    ref = row["id"]
    answers = [service.receipt({"reference": ref, "status": status}).get_json() for status in
               ("accepted", "sent", "delivered", "sent", "failed", "delivered", "expired")]
    assert [a["effect"] for a in answers] == ["none", "none", "delivered", "none", "none", "none", "none"]
    assert {a["status"] for a in answers[2:]} == {"delivered"}
    assert sms(service, ev.code)["status"] == "delivered"
    assert outcome_events(service, ref) == [("vn.motcua.message.delivered", "delivered")]
    with service.engine.connect() as conn:
        logged = conn.exec_driver_sql("SELECT reported_status, effect FROM delivery_receipts ORDER BY id").all()
    assert [tuple(r) for r in logged] == [("accepted", "none"), ("sent", "none"), ("delivered", "delivered"),
                                          ("sent", "none"), ("failed", "none"), ("delivered", "none"),
                                          ("expired", "none")]


def test_a_failure_receipt_is_final_and_a_late_delivered_changes_nothing(local):
    service, ev, row = sent_and_waiting_for_its_receipt(local)
    assert service.receipt({"reference": row["id"], "status": "undeliverable", "error": "EC-12"}).get_json()[
        "effect"] == "permanent-failure"
    assert service.receipt({"reference": row["id"], "status": "delivered"}).get_json() == {
        "reference": row["id"], "status": "permanent-failure", "effect": "none"}
    assert sms(service, ev.code)["status_reason"] == "receipt: undeliverable"
    assert outcome_events(service, row["id"]) == [("vn.motcua.message.failed", "permanent-failure")]


def test_an_expired_message_is_sent_again_later(local, gateway):
    service, ev, row = sent_and_waiting_for_its_receipt(local)
    reported = datetime.now(timezone.utc) - timedelta(minutes=1)
    answer = service.receipt({"reference": row["id"], "status": "expired", "occurred_at": reported.isoformat()})
    assert answer.get_json()["effect"] == "temporary-failure"
    waiting = sms(service, ev.code)
    assert waiting["status"] == "temporary-failure" and waiting["not_before"] > datetime.now(timezone.utc)
    service.deliver(at=waiting["not_before"] + timedelta(seconds=1))
    assert sms(service, ev.code)["status"] == "sending" and len(gateway.accepted) == 2
    assert service.receipt({"reference": row["id"], "status": "delivered"}).get_json()["effect"] == "delivered"
    assert sms(service, ev.code)["attempts"] == 2


def test_a_receipt_time_from_a_clock_running_ahead_is_taken_as_its_arrival(local):
    service, ev, row = sent_and_waiting_for_its_receipt(local)
    future = datetime.now(timezone.utc) + timedelta(hours=2)
    service.receipt({"reference": row["id"], "status": "delivered", "occurred_at": future.isoformat()})
    assert sms(service, ev.code)["completed_at"] < future - timedelta(hours=1)


def test_receipts_must_be_signed_and_name_a_message_that_provider_was_given(local):
    service, ev, row = sent_and_waiting_for_its_receipt(local)
    forged = service.receipt({"reference": row["id"], "status": "delivered"}, secret="not-the-secret")
    assert forged.status_code == 401 and forged.get_json()["code"] == "invalid_signature"
    unsigned = service.client().post("/api/v1/delivery-receipts/sms-gateway",
                                     json={"reference": row["id"], "status": "delivered"})
    assert unsigned.status_code == 401 and unsigned.content_type == "application/problem+json"
    [email] = service.rows(ev.code, channel="email")
    for body, provider, status, code in (
        ({"reference": "0f5c8f9e-0000-4000-8000-000000000000", "status": "delivered"}, "sms-gateway", 404,
         "unknown_reference"),
        ({"reference": email["id"], "status": "delivered"}, "sms-gateway", 404, "unknown_reference"),
        ({"reference": row["id"], "status": "delivered"}, "sms-fallback", 404, "unknown_provider"),
        ({"reference": row["id"], "status": "read"}, "sms-gateway", 422, "validation_failed"),
        ({"reference": row["id"], "status": "delivered", "colour": "red"}, "sms-gateway", 422, "validation_failed"),
    ):
        answer = service.receipt(body, provider=provider)
        assert (answer.status_code, answer.get_json()["code"]) == (status, code), body
    assert sms(service, ev.code)["status"] == "sending"
    with service.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM delivery_receipts").scalar_one() == 0
