"""The ledger's housekeeping with the clock set by the test: contents blanked after the retention
period (the ledger stays), contacts erased after a long silence, a `sending` never confirmed timed
out, and events too old to send recorded but not sent."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from notification.support import Events


def test_contents_are_blanked_after_the_retention_period_and_the_ledger_stays(local):
    service = local(NOTIFICATION_CONTENT_RETENTION_DAYS="30")
    ev = Events()
    service.handle(ev.received())
    service.deliver()
    now = datetime.now(timezone.utc)
    assert service.sweep(now + timedelta(days=29))["erased_messages"] == 0
    assert service.sweep(now + timedelta(days=31))["erased_messages"] == 2
    for row in service.rows(ev.code):
        assert row["body"] is None and row["subject"] is None and row["html_body"] is None
        assert row["attachment"] is None and row["personalisation"] is None and row["recipient"] is None
        assert row["status"] == "delivered" and row["template_version"] == 1 and row["recipient_masked"]
        assert row["content_erased_at"] is not None
    assert all(n["personalisation"] is None for n in service.notices(ev.code))
    view = service.client().get(f"/api/v1/dossiers/{ev.code}/messages", headers=service.auth("admin", unit="14")).get_json()
    assert [m["content"] for m in view["messages"]] == [None, None]
    assert {m["status"] for m in view["messages"]} == {"delivered"}
    assert service.sweep(now + timedelta(days=32))["erased_messages"] == 0  # once


def test_a_dossier_silent_for_a_year_loses_its_contact(local):
    service = local(NOTIFICATION_CONTACT_RETENTION_DAYS="365")
    ev = Events()
    service.handle(ev.received())
    now = datetime.now(timezone.utc)
    assert service.sweep(now + timedelta(days=300))["erased_contacts"] == 0
    assert service.sweep(now + timedelta(days=366))["erased_contacts"] == 1
    with service.engine.connect() as conn:
        phone, email = conn.exec_driver_sql("SELECT phone, email FROM recipients").one()
    assert phone is None and email is None
    service.handle(ev.apology())  # nothing left to reach the citizen with
    assert service.rows(ev.code, channel="sms")[-1]["template"] == "dossier_received"
    assert service.notices(ev.code)[-1]["status"] == "unreachable"


def test_a_message_never_confirmed_ends_in_technical_failure(local):
    service = local(SMS_GATEWAY_RECEIPTS="true", NOTIFICATION_SENDING_TIMEOUT_HOURS="72")
    ev = Events()
    service.handle(ev.received())
    service.deliver()
    [sms] = service.rows(ev.code, channel="sms")
    assert sms["status"] == "sending"
    now = datetime.now(timezone.utc)
    assert service.sweep(now + timedelta(hours=71))["timed_out"] == 0
    assert service.sweep(now + timedelta(hours=73))["timed_out"] == 1
    [sms] = service.rows(ev.code, channel="sms")
    assert sms["status"] == "technical-failure" and sms["status_reason"] == "no delivery receipt"
    failed = [e for e in service.outbox_events() if e["data"]["message_id"] == sms["id"]]
    assert [(e["type"], e["data"]["status"]) for e in failed] == [("vn.motcua.message.failed", "technical-failure")]
    assert failed[0]["data"]["template_version"] == 1 and failed[0]["subject"] == ev.code


def test_events_too_old_to_matter_are_recorded_but_not_sent(local, gateway, mail):
    service = local(NOTIFICATION_MAX_EVENT_AGE_HOURS="168")
    imported = Events(base=datetime(2019, 3, 15, 1, 30, tzinfo=timezone.utc))  # an import of old dossiers
    service.handle(imported.received(), imported.processed())
    service.deliver()
    assert service.rows(imported.code) == [] and gateway.requests == [] and mail.mails == []
    assert {n["status"] for n in service.notices(imported.code)} == {"stale"}

    waiting = Events(base=datetime.now(timezone.utc) - timedelta(days=1))
    service.handle(waiting.apology())  # its contact never comes
    assert service.sweep(datetime.now(timezone.utc) + timedelta(days=5))["stale_notices"] == 0
    assert service.sweep(datetime.now(timezone.utc) + timedelta(days=7))["stale_notices"] == 1
    assert service.notices(waiting.code)[0]["status"] == "stale"
