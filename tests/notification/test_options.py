"""Settings that cannot work are refused at start-up, not discovered as silence in production."""
from __future__ import annotations

import pytest

from motcua_shared.settings import load

from motcua_notification import config
from motcua_notification.options import Options


def options(**env: str) -> Options:
    return Options.from_settings(load("notification", config.SETTINGS, environ={"NOTIFICATION_SECRET": "s" * 32, **env}))


def test_a_delivery_lease_shorter_than_the_send_margin_is_refused():
    # A 10 s lease with the 10 s margin: every claim would lapse before its send may start.
    with pytest.raises(SystemExit, match="NOTIFICATION_DELIVERY_LEASE_SECONDS=10 is invalid: it must exceed 20 s"):
        options(NOTIFICATION_DELIVERY_LEASE_SECONDS="10")


def test_the_lease_must_outlast_the_slowest_provider_timeout():
    with pytest.raises(SystemExit, match="must exceed 70 s"):
        options(NOTIFICATION_DELIVERY_LEASE_SECONDS="60", SMTP_TIMEOUT="60")
    assert options(NOTIFICATION_DELIVERY_LEASE_SECONDS="71", SMTP_TIMEOUT="60").delivery_lease.total_seconds() == 71


def test_the_default_lease_is_accepted():
    assert options().delivery_lease.total_seconds() == 120
