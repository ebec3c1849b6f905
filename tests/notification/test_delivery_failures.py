"""Providers that fail: retried with back-off while the failure is temporary, never retried when it is
permanent, failed over to the second gateway, and a technical-failure when the retries run out."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from motcua_testing.waiting import wait_for
from notification.support import EMAIL, Events, Gateway

PHONE_E164 = "+84912345678"


def sms_row(service, code: str) -> dict | None:
    rows = service.rows(code, channel="sms")
    return rows[0] if rows else None


def outcomes(service, message_id: str) -> list[tuple[str, str]]:
    return [(a["provider"], a["outcome"]) for a in service.attempts(message_id)]


def published(service, message_id: str) -> list[dict]:
    return [e for e in service.outbox_events() if e["data"]["message_id"] == message_id]


def test_a_gateway_that_is_down_for_a_while_gets_the_message_when_it_returns(notification, gateway, mail):
    gateway.stop()  # connections refused
    notification.start()
    ev = Events()
    notification.publish(ev.received())
    wait_for(lambda: (row := sms_row(notification, ev.code)) and row["attempts"] >= 2, what="two refused attempts")
    assert sms_row(notification, ev.code)["status"] == "temporary-failure"
    assert mail.to(EMAIL), "the e-mail does not wait for the SMS gateway"

    gateway.start()  # back, but overloaded: 503 for a while
    gateway.status = 503
    wait_for(lambda: gateway.requests, what="a 503")
    gateway.status = 202
    row = wait_for(lambda: (r := sms_row(notification, ev.code)) and r["status"] == "delivered" and r, timeout=20,
                   what="delivery once the gateway answers")

    log = outcomes(notification, row["id"])
    assert log[-1] == ("sms-gateway", "accepted") and log[:-1] and all(o == "temporary" for _, o in log[:-1])
    assert row["attempts"] == len(log) >= 3
    assert [r["status"] for r in gateway.requests if r["status"] == 202] == [202]  # delivered exactly once
    assert gateway.accepted[0]["reference"] == row["id"] and gateway.accepted[0]["to"] == PHONE_E164
    events = published(notification, row["id"])
    assert [(e["type"], e["data"]["status"]) for e in events] == [("vn.motcua.message.delivered", "delivered")]


def test_a_gateway_refusing_for_good_records_a_permanent_failure_after_one_attempt(notification, gateway, mail):
    gateway.status = 400
    mail.refused.add(EMAIL)
    notification.start()
    ev = Events()
    notification.publish(ev.received())
    wait_for(lambda: {r["status"] for r in notification.rows(ev.code)} == {"permanent-failure"},
             what="both messages refused for good")
    time.sleep(1.5)  # several retry periods (0.3 s, doubling): a retry storm would show now
    sms = sms_row(notification, ev.code)
    assert len(gateway.requests) == 1 and outcomes(notification, sms["id"]) == [("sms-gateway", "permanent")]
    assert sms["attempts"] == 1 and sms["status_reason"] == "sms-gateway: http 400"
    email = notification.rows(ev.code, channel="email")[0]
    assert outcomes(notification, email["id"]) == [("smtp", "permanent")]
    assert email["status_reason"] == "smtp: smtp recipient 550"
    assert mail.mails == []
    assert sorted(e["data"]["status"] for e in notification.outbox_events()) == ["permanent-failure",
                                                                                 "permanent-failure"]


def test_the_fallback_gateway_takes_what_the_first_refuses_or_cannot_take(local, gateway):
    fallback = Gateway().start()
    try:
        service = local(SMS_GATEWAY_FALLBACK_URL=fallback.url)
        refused, unavailable = Events(), Events()

        gateway.status = 400  # the first gateway will never take this one
        service.handle(refused.received())
        service.deliver()
        row = sms_row(service, refused.code)
        assert row["status"] == "delivered" and row["provider"] == "sms-fallback" and len(gateway.requests) == 1
        assert outcomes(service, row["id"]) == [("sms-gateway", "permanent"), ("sms-fallback", "accepted")]

        gateway.status = 503  # the first gateway is down: the same attempt goes on to the fallback
        service.handle(unavailable.received())
        service.deliver()
        row = sms_row(service, unavailable.code)
        assert row["status"] == "delivered" and row["provider"] == "sms-fallback" and row["attempts"] == 1
        assert outcomes(service, row["id"]) == [("sms-gateway", "temporary"), ("sms-fallback", "accepted")]
        assert [r["reference"] for r in fallback.accepted] == [sms_row(service, refused.code)["id"], row["id"]]
    finally:
        fallback.stop()


def test_a_failing_gateway_goes_behind_the_fallback_for_a_while(local, gateway):
    fallback = Gateway().start()
    try:
        gateway.status = 503
        service = local(SMS_GATEWAY_FALLBACK_URL=fallback.url, NOTIFICATION_FAILOVER_THRESHOLD="2")
        dossiers = [Events(phone=f"09123456{n:02d}") for n in range(4)]
        for ev in dossiers:
            service.handle(ev.received())
            service.deliver()
        # Two failures in a row, then the fallback is tried first: the first gateway is spared the rest.
        assert len(gateway.requests) == 2 and len(fallback.accepted) == 4
    finally:
        fallback.stop()


def test_every_gateway_refusing_is_a_permanent_failure_with_one_attempt_each(local, gateway):
    fallback = Gateway().start()
    try:
        gateway.status = fallback.status = 400
        service = local(SMS_GATEWAY_FALLBACK_URL=fallback.url)
        ev = Events()
        service.handle(ev.received())
        service.deliver()
        later = datetime.now(timezone.utc) + timedelta(hours=2)
        assert service.deliver(at=later) == 0  # nothing is due again: no retry of a refusal
        row = sms_row(service, ev.code)
        assert row["status"] == "permanent-failure" and row["status_reason"] == "sms-fallback: http 400"
        assert len(gateway.requests) == 1 and len(fallback.requests) == 1
    finally:
        fallback.stop()


def test_retries_that_run_out_end_in_technical_failure(local, gateway):
    gateway.status = 503
    service = local(NOTIFICATION_MAX_ATTEMPTS="3", NOTIFICATION_RETRY_BASE_SECONDS="30",
                    NOTIFICATION_RETRY_MAX_SECONDS="3600")
    ev = Events()
    service.handle(ev.received())
    attempted = datetime.now(timezone.utc)
    service.deliver(at=attempted)
    waits = []
    while (row := sms_row(service, ev.code))["status"] == "temporary-failure":
        waits.append(row["not_before"] - attempted)
        assert service.deliver(at=row["not_before"] - timedelta(seconds=1)) == 0  # not before its time
        attempted = row["not_before"]
        service.deliver(at=attempted)
    assert row["status"] == "technical-failure" and row["attempts"] == 3 and len(gateway.requests) == 3
    assert row["status_reason"] == "retries exhausted; sms-gateway: http 503"
    assert timedelta(seconds=26) < waits[0] < timedelta(seconds=34) < timedelta(seconds=53) < waits[1] < \
        timedelta(seconds=67)  # 30 s, then 60 s: the back-off doubles
    [failed] = published(service, row["id"])
    assert failed["type"] == "vn.motcua.message.failed" and failed["data"]["status"] == "technical-failure"
