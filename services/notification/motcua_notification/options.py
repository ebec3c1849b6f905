"""The service's settings, parsed once into the values its rules use (config.py has checked them)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from motcua_shared.settings import Settings, load

from . import config

# A sender leaves a message whose claim is this close to lapsing for the next claim rather than send
# it late (delivery/dispatcher.py): a lease must outlast this margin plus the slowest provider call.
LEASE_MARGIN = timedelta(seconds=10)


def _delivery_lease(s: Settings) -> timedelta:
    lease = timedelta(seconds=s.notification_delivery_lease_seconds)
    needed = LEASE_MARGIN + timedelta(seconds=max(s.smtp_timeout, s.sms_gateway_timeout))
    if lease <= needed:
        # Every claim would lapse before its send may start: the worker would claim forever, send nothing.
        raise SystemExit(f"motcua: setting NOTIFICATION_DELIVERY_LEASE_SECONDS={lease.total_seconds():g} is invalid: "
                         f"it must exceed {needed.total_seconds():g} s (a {LEASE_MARGIN.total_seconds():g} s "
                         f"safety margin plus the longest provider timeout, SMTP_TIMEOUT or SMS_GATEWAY_TIMEOUT)")
    return lease


@dataclass(frozen=True)
class Options:
    secret: str
    tz: ZoneInfo
    # MOTCUA_PUBLIC_BASE_URL, the start of every link in a message: intake's lookup page, and this
    # service's unsubscribe and contact-confirmation links (the HTTPS proxy routes their paths here).
    public_base_url: str
    sms_unicode: bool
    max_event_age: timedelta | None
    quiet_hours: tuple[time, time] | None
    sms_hourly_limit: int
    delivery_batch: int
    delivery_concurrency: int
    delivery_lease: timedelta
    max_attempts: int
    retry_base: float
    retry_max: float
    failover_threshold: int
    failover_cooldown: float
    sending_timeout: timedelta
    content_retention: timedelta
    contact_retention: timedelta
    clock_offset: float

    @classmethod
    def from_settings(cls, s: Settings) -> "Options":
        return cls(
            secret=s.notification_secret, tz=ZoneInfo(s.notification_timezone),
            public_base_url=s.motcua_public_base_url.rstrip("/"), sms_unicode=s.sms_unicode,
            max_event_age=timedelta(hours=s.notification_max_event_age_hours)
            if s.notification_max_event_age_hours > 0 else None,
            quiet_hours=config.quiet_hours(s.notification_quiet_hours),
            sms_hourly_limit=s.notification_sms_hourly_limit,
            delivery_batch=max(1, s.notification_delivery_batch),
            delivery_concurrency=max(1, s.notification_delivery_concurrency),
            delivery_lease=_delivery_lease(s),
            max_attempts=max(1, s.notification_max_attempts), retry_base=s.notification_retry_base_seconds,
            retry_max=s.notification_retry_max_seconds, failover_threshold=max(1, s.notification_failover_threshold),
            failover_cooldown=s.notification_failover_cooldown_seconds,
            sending_timeout=timedelta(hours=s.notification_sending_timeout_hours),
            content_retention=timedelta(days=s.notification_content_retention_days),
            contact_retention=timedelta(days=s.notification_contact_retention_days),
            clock_offset=s.motcua_clock_offset_seconds,
        )


def from_environment() -> tuple[Settings, Options]:
    settings = load("notification", config.SETTINGS)
    return settings, Options.from_settings(settings)
