"""Quiet hours and the per-recipient hourly limit, with the delivery job's clock set by the test:
what is not urgent waits for the morning, what is over the limit waits for the window, nothing is
dropped; e-mail is not held back by either."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from notification.support import EMAIL, VN, Events

PHONE_E164 = "+84912345678"


def by_template(rows: list[dict], channel: str) -> dict[str, dict]:
    return {r["template"]: r for r in rows if r["channel"] == channel}


def next_late_evening() -> datetime:
    """The next 23:10 in Vietnam: the messages are created now, so the delivery job's clock must not
    be set before them, whatever the hour the suite runs at."""
    now = datetime.now(VN)
    evening = now.replace(hour=23, minute=10, second=0, microsecond=0)
    return (evening if evening > now else evening + timedelta(days=1)).astimezone(timezone.utc)


def test_non_urgent_sms_wait_for_the_morning_urgent_ones_and_emails_do_not(local, gateway, mail):
    service = local(NOTIFICATION_QUIET_HOURS="21:00-07:00")
    late_evening = next_late_evening()
    ev = Events(base=late_evening - timedelta(minutes=20))
    service.handle(ev.received(), ev.apology())  # the receipt is urgent, the apology is not

    service.deliver(at=late_evening)
    [sent] = gateway.texts_to(PHONE_E164)
    assert sent.startswith(f"Ho so {ev.code} da duoc tiep nhan.")
    assert len(mail.to(EMAIL)) == 2
    apology = by_template(service.rows(ev.code), "sms")["apology_issued"]
    morning = (late_evening.astimezone(VN) + timedelta(days=1)).replace(hour=7, minute=0)
    assert apology["status"] == "created" and apology["status_reason"] == "quiet_hours"
    assert apology["not_before"] == morning and apology["attempts"] == 0

    assert service.deliver(at=morning - timedelta(minutes=1)) == 0
    service.deliver(at=morning)
    assert len(gateway.texts_to(PHONE_E164)) == 2 and "xin loi" in gateway.texts_to(PHONE_E164)[1]
    assert by_template(service.rows(ev.code), "sms")["apology_issued"]["status"] == "delivered"


def test_sms_beyond_the_hourly_limit_wait_and_are_not_dropped(local, gateway, mail):
    service = local(NOTIFICATION_SMS_HOURLY_LIMIT="3")
    dossiers = [Events() for _ in range(5)]  # five dossiers of one citizen, one phone
    service.handle(*[ev.received() for ev in dossiers])
    start = datetime.now(timezone.utc)

    service.deliver(at=start)
    assert len(gateway.texts_to(PHONE_E164)) == 3 and len(mail.to(EMAIL)) == 5
    waiting = [r for r in service.rows(channel="sms") if r["status"] == "created"]
    assert len(waiting) == 2 and {r["status_reason"] for r in waiting} == {"rate_limited"}
    assert {r["not_before"] for r in waiting} == {start + timedelta(hours=1)}

    assert service.deliver(at=start + timedelta(minutes=59)) == 0
    service.deliver(at=start + timedelta(hours=1, seconds=1))
    assert len(gateway.texts_to(PHONE_E164)) == 5
    assert {r["status"] for r in service.rows(channel="sms")} == {"delivered"}
    assert sorted({ev.code for ev in dossiers}) == sorted({t.split()[2] for t in gateway.texts_to(PHONE_E164)})
