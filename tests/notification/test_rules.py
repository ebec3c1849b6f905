"""The pure rules: quiet hours, the hourly limit, back-off, addresses (normalised, keyed, masked) and
the signed unsubscribe token."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from motcua_notification import addresses
from motcua_notification.delivery import schedule

from notification.support import VN

QUIET = (time(21, 0), time(7, 0))


def vn(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.mark.parametrize("now,until", [
    ("2026-12-01 20:59", None),
    ("2026-12-01 21:00", "2026-12-02 07:00"),
    ("2026-12-01 23:45", "2026-12-02 07:00"),
    ("2026-12-02 00:10", "2026-12-02 07:00"),
    ("2026-12-02 06:59", "2026-12-02 07:00"),
    ("2026-12-02 07:00", None),
    ("2026-12-31 22:00", "2027-01-01 07:00"),
])
def test_quiet_hours_span_midnight_in_local_time(now, until):
    moment = vn(now).astimezone(timezone.utc)  # the job runs on UTC instants
    got = schedule.quiet_until(moment, QUIET, VN)
    assert got == (vn(until) if until else None)


def test_quiet_hours_within_a_day_and_switched_off():
    lunch = (time(12, 0), time(13, 30))
    assert schedule.quiet_until(vn("2026-12-01 12:15"), lunch, VN) == vn("2026-12-01 13:30")
    assert schedule.quiet_until(vn("2026-12-01 13:30"), lunch, VN) is None
    assert schedule.quiet_until(vn("2026-12-01 23:00"), None, VN) is None


def test_the_hourly_limit_frees_a_slot_when_the_oldest_send_leaves_the_window():
    now = vn("2026-12-01 10:00")
    sent = [now - timedelta(minutes=m) for m in (50, 20, 5)]
    assert schedule.rate_limited_until(sent, 4, now) is None
    assert schedule.rate_limited_until(sent, 3, now) == now + timedelta(minutes=10)
    assert schedule.rate_limited_until(sent, 2, now) == now + timedelta(minutes=40)
    assert schedule.rate_limited_until(sent + [now - timedelta(minutes=61)], 3, now) == now + timedelta(minutes=10)


def test_backoff_doubles_up_to_its_cap_with_a_little_jitter():
    delays = [schedule.backoff(n, 30, 3600).total_seconds() for n in range(1, 10)]
    for n, delay in enumerate(delays, start=1):
        assert 0.9 * min(30 * 2 ** (n - 1), 3600) <= delay <= 1.1 * min(30 * 2 ** (n - 1), 3600)
    assert max(delays) <= 3960


@pytest.mark.parametrize("raw,normalised,masked", [
    ("0912345678", "+84912345678", "0912***678"),
    ("+84 912 345 678", "+84912345678", "0912***678"),
    ("84-912-345-678", "+84912345678", "0912***678"),
    ("(0) 389.123.456", "+84389123456", "0389***456"),
    ("0212345678", None, None),  # a landline: no SMS
    ("091234567", None, None),
])
def test_phone_numbers(raw, normalised, masked):
    if normalised is None:
        with pytest.raises(addresses.InvalidAddress):
            addresses.normalise(addresses.SMS, raw)
        return
    found = addresses.address("secret", addresses.SMS, raw)
    assert (found.value, found.masked) == (normalised, masked)


def test_email_addresses_are_keyed_case_insensitively_and_masked():
    one = addresses.address("secret", addresses.EMAIL, " Hung.Lo@Example.VN ")
    two = addresses.address("secret", addresses.EMAIL, "hung.lo@example.vn")
    assert one.value == "Hung.Lo@example.vn" and one.masked == "H***@example.vn"
    assert one.key == two.key and len(one.key) == 64
    assert addresses.address("other-secret", addresses.EMAIL, "hung.lo@example.vn").key != two.key
    for bad in ("hung", "a@b", "two@@example.vn", "x y@example.vn"):
        with pytest.raises(addresses.InvalidAddress):
            addresses.normalise(addresses.EMAIL, bad)


def test_unsubscribe_tokens_cannot_be_forged():
    key = addresses.key("secret", addresses.EMAIL, "hung.lo@example.vn")
    token = addresses.unsubscribe_token("secret", key)
    assert addresses.key_from_unsubscribe_token("secret", token) == key
    assert addresses.key_from_unsubscribe_token("other-secret", token) is None
    other = addresses.key("secret", addresses.EMAIL, "someone@example.vn")
    assert addresses.key_from_unsubscribe_token("secret", other + token[64:]) is None
    assert addresses.key_from_unsubscribe_token("secret", "xem-truoc") is None
