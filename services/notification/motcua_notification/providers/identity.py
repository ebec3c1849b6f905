"""Which provider, at which address, accepted a message: what the ledger records in `accepted_by`.

`smtp:<host>:<port>` for the e-mail relay, `sms:<host>` for an SMS gateway, `zalo:<host>` for Zalo
ZNS: the host only, never a path, a query or a login (a gateway's URL may carry its token). A
development sink (the mail catcher and SMS stand-in of `make run` and of compose's `dev` profile) is
written `dev_sink:<address>`: what it "delivered" never reached a citizen, and the ledger, the messages
API, the console and the metrics must say so.

The sinks are recognised by their address: compose's host names `mailpit` and `sms-sink`, or a
loopback address on the ports the settings point to by default (SMTP_PORT 1025, SMS_GATEWAY_URL's
8090), which is where `make run` starts them.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from motcua_shared.hosts import is_local

from ..config import SETTINGS

DEV_SINK = "dev_sink"
DEV_SINK_HOSTS = frozenset({"mailpit", "sms-sink"})


def _default(name: str):
    return next(s.default for s in SETTINGS if s.name == name)


# The address each development sink listens on when nothing is configured (motcua_notification.devsinks).
DEV_SINK_PORTS = frozenset({("smtp", int(_default("SMTP_PORT"))),
                            ("sms", urlsplit(_default("SMS_GATEWAY_URL")).port or 80)})


def _address(provider) -> tuple[str, str, int | None]:
    """(kind, host, port) of a provider: smtp, sms or zalo."""
    if hasattr(provider, "host"):  # the SMTP relay
        return "smtp", str(provider.host), int(provider.port)
    parts = urlsplit(getattr(provider, "url", ""))
    kind = "zalo" if provider.medium == "zalo" else "sms"
    return kind, parts.hostname or "", parts.port


def is_dev_sink(provider) -> bool:
    kind, host, port = _address(provider)
    return host in DEV_SINK_HOSTS or (is_local(host) and (kind, port) in DEV_SINK_PORTS)


def endpoint(provider) -> str:
    """`smtp:mail.sonla.gov.vn:587`, `sms:sms.example.vn`, `sms:127.0.0.1:9000` (a port only when given)."""
    kind, host, port = _address(provider)
    if kind == "smtp":
        return f"smtp:{host}:{port}"
    return f"{kind}:{host}:{port}" if port else f"{kind}:{host}"


def accepted_by(provider) -> str:
    """What the ledger records for the provider that took a message."""
    where = endpoint(provider)
    return f"{DEV_SINK}:{where}" if is_dev_sink(provider) else where
