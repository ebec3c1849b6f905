"""Settings of the notification service beyond the common ones (docs/contracts.md §6 pins the provider names).

Every value is checked when the process starts: a typo stops it with one clear line.
"""
import re
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from motcua_shared.settings import Setting, boolean

_HOURS = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _names(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _channels(raw: str) -> tuple[str, ...]:
    channels = _names(raw)
    unknown = set(channels) - {"sms", "email"}
    if unknown:
        raise ValueError(f"unknown channel(s) {', '.join(sorted(unknown))}; known: sms, email")
    return channels


def quiet_hours(raw: str) -> tuple[time, time] | None:
    """"21:00-07:00" → (21:00, 07:00); "off" → None."""
    if raw.strip().lower() in {"", "off", "none"}:
        return None
    match = _HOURS.match(raw.strip())
    if not match:
        raise ValueError("expected HH:MM-HH:MM or off")
    start_h, start_m, end_h, end_m = map(int, match.groups())
    return time(start_h, start_m), time(end_h, end_m)  # ValueError for 25:00


def _tri_state(raw: str) -> str:
    value = raw.strip().lower()
    if value == "auto":
        return value
    return "true" if boolean(value) else "false"  # ValueError: expected true or false


def _checked_hours(raw: str) -> str:
    quiet_hours(raw)
    return raw


def _zone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("not a known time zone") from None
    return raw


def _mapping(raw: str) -> dict[str, str]:
    """"dossier_received=231234,apology_issued=231240" → {"dossier_received": "231234", ...}"""
    pairs = {}
    for part in _names(raw):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"expected template=id pairs, got {part!r}")
        pairs[key.strip()] = value.strip()
    return pairs


SETTINGS = (
    # -- e-mail over SMTP (docs/contracts.md §6) -----------------------------------------------------
    Setting("SMTP_HOST", "127.0.0.1",
            "SMTP server that relays the citizens' e-mail (the dev mail catcher by default)."),
    Setting("SMTP_PORT", 1025, "Port of SMTP_HOST.", int),
    Setting("SMTP_USERNAME", "", "SMTP login; empty means no AUTH."),
    Setting("SMTP_PASSWORD", "", "SMTP password.", secret=True),
    Setting("SMTP_STARTTLS", "auto",
            "Upgrade the SMTP connection with STARTTLS, the relay's certificate and name verified, before AUTH and "
            "sending: true, false, or auto (true in production, false in development). In production a relay "
            "other than loopback without STARTTLS or SMTP_SSL stops the process at start.", _tri_state),
    Setting("SMTP_SSL", False, "TLS from the first byte (SMTPS, usually port 465) instead of STARTTLS, verified the same "
            "way.", boolean),
    Setting("SMTP_CA_FILE", "",
            "PEM file of the CA(s) that sign the relay's certificate (the province's own CA); empty: the system's "
            "CAs (docs/tls.md)."),
    Setting("SMTP_TIMEOUT", 10.0, "Seconds before an SMTP connection or command counts as a temporary failure.", float),
    Setting("MAIL_FROM", "Bộ phận một cửa <no-reply@motcua.local>",
            "From header of the e-mails (display name may carry diacritics); its address is the envelope sender."),
    # -- SMS over the generic HTTP gateway (docs/contracts.md §6), with a fallback gateway ------------
    Setting("SMS_GATEWAY_URL", "http://127.0.0.1:8090/send",
            "Generic SMS gateway: POST JSON {to, text, reference}; 2xx accepted, 4xx refused (408 and 429 retried), "
            "5xx/time-out retried."),
    Setting("SMS_GATEWAY_TOKEN", "", "Bearer token sent to SMS_GATEWAY_URL; empty sends none.", secret=True),
    Setting("SMS_GATEWAY_RECEIPT_SECRET", "",
            "HMAC-SHA256 key of the gateway's delivery receipts (POST /api/v1/delivery-receipts/sms-gateway); "
            "empty refuses its receipts.", secret=True),
    Setting("SMS_GATEWAY_FALLBACK_URL", "",
            "A second gateway with the same contract, tried when the first fails or refuses a message; empty: none."),
    Setting("SMS_GATEWAY_FALLBACK_TOKEN", "", "Bearer token sent to SMS_GATEWAY_FALLBACK_URL.", secret=True),
    Setting("SMS_GATEWAY_FALLBACK_RECEIPT_SECRET", "",
            "HMAC-SHA256 key of the fallback gateway's receipts (.../delivery-receipts/sms-fallback).", secret=True),
    Setting("SMS_GATEWAY_TIMEOUT", 5.0, "Seconds to wait for a gateway's answer before counting a temporary failure.",
            float),
    Setting("SMS_GATEWAY_RECEIPTS", False,
            "The gateways send delivery receipts: an accepted SMS stays `sending` until its receipt arrives. "
            "Off: the gateway's 2xx is the last word and counts as delivered.", boolean),
    Setting("SMS_UNICODE", False,
            "Send SMS with Vietnamese diacritics (UCS-2, 70 characters a segment) instead of the readable "
            "unaccented text brandname SMS use (GSM-7, 160).", boolean),
    # -- Zalo ZNS (optional first provider for phones) -------------------------------------------------
    Setting("ZALO_ZNS_URL", "https://business.openapi.zalo.me/message/template", "Zalo ZNS send-template endpoint."),
    Setting("ZALO_ZNS_ACCESS_TOKEN", "",
            "Official Account access token; with ZALO_ZNS_TEMPLATES set, phones are tried on Zalo first and fall "
            "back to SMS. Token refresh is the operator's job.", secret=True),
    Setting("ZALO_ZNS_TEMPLATES", {},
            "Zalo-approved template ids per motcua template, e.g. dossier_received=231234,apology_issued=231240.",
            _mapping),
    # -- what to send, when, how often -----------------------------------------------------------------
    Setting("NOTIFICATION_CHANNELS", ("sms", "email"),
            "Channels in use (comma-separated: sms, email); e.g. `email` for a district without an SMS contract.",
            _channels),
    Setting("NOTIFICATION_SECRET", "dev-notification-secret-change-me-0123456789",
            "Keys the address hashes (opt-outs, rate limits, the ledger after retention) and signs unsubscribe "
            "links. Changing it forgets existing opt-outs.", secret=True),
    Setting("NOTIFICATION_TIMEZONE", "Asia/Ho_Chi_Minh", "Local time zone for quiet hours and dates in messages.",
            _zone),
    Setting("NOTIFICATION_QUIET_HOURS", "21:00-07:00",
            "Local hours (HH:MM-HH:MM) when non-urgent SMS wait for the morning; `off` disables.", _checked_hours),
    Setting("NOTIFICATION_SMS_HOURLY_LIMIT", 5,
            "Most SMS one phone receives in any hour; the excess waits, it is never dropped.", int),
    Setting("NOTIFICATION_MAX_EVENT_AGE_HOURS", 168.0,
            "Events older than this (by their own time) are recorded but not sent, so an import of old dossiers "
            "texts nobody; 0 disables.", float),
    # -- the delivery job --------------------------------------------------------------------------------
    Setting("NOTIFICATION_DELIVERY_INTERVAL", 0.2, "Seconds between delivery rounds of the worker.", float),
    Setting("NOTIFICATION_DELIVERY_BATCH", 200,
            "Most messages a worker has claimed and not yet settled (its sending queue).", int),
    Setting("NOTIFICATION_DELIVERY_CONCURRENCY", 8, "Provider calls a worker has in flight at once (sending threads).", int),
    Setting("NOTIFICATION_DELIVERY_LEASE_SECONDS", 120.0,
            "A claimed message not settled within this many seconds is claimed again (its sender died); "
            "must exceed 10 s plus the longest provider timeout.", float),
    Setting("NOTIFICATION_MAX_ATTEMPTS", 10,
            "Delivery attempts of a message before it ends in technical-failure.", int),
    Setting("NOTIFICATION_RETRY_BASE_SECONDS", 30.0,
            "Delay after the first temporary failure; doubled after each further one.", float),
    Setting("NOTIFICATION_RETRY_MAX_SECONDS", 3600.0, "Longest delay between two attempts.", float),
    Setting("NOTIFICATION_FAILOVER_THRESHOLD", 3,
            "Consecutive temporary failures after which a provider is tried after the others.", int),
    Setting("NOTIFICATION_FAILOVER_COOLDOWN_SECONDS", 60.0,
            "How long a failing provider stays behind the others before it is tried first again.", float),
    Setting("NOTIFICATION_SENDING_TIMEOUT_HOURS", 72.0,
            "A message accepted by a provider without a receipt for this long ends in technical-failure.", float),
    # -- retention -----------------------------------------------------------------------------------------
    Setting("NOTIFICATION_CONTENT_RETENTION_DAYS", 30.0,
            "Message texts, attachments and addresses are blanked this long after the message; the ledger stays.",
            float),
    Setting("NOTIFICATION_CONTACT_RETENTION_DAYS", 365.0,
            "A dossier's phone and e-mail are erased when nothing happened to it for this long.", float),
)
