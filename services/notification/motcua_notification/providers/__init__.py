"""The providers this deployment uses, per channel, in the order they are tried.

Phone: Zalo ZNS when configured, then the SMS gateway, then the fallback gateway. E-mail: SMTP.
A channel left out of NOTIFICATION_CHANNELS has no providers: no message is written for it.
"""
from __future__ import annotations

from dataclasses import dataclass

from motcua_shared.settings import Settings

from .base import ACCEPTED, PERMANENT, TEMPORARY, Outcome, Outgoing, Provider
from .http_gateway import HttpSmsGateway
from . import smtp
from .smtp import SmtpProvider
from .zalo import ZaloZns

__all__ = ["ACCEPTED", "PERMANENT", "TEMPORARY", "Outcome", "Outgoing", "Provider", "Providers", "build"]


@dataclass(frozen=True)
class Providers:
    by_channel: dict[str, tuple[Provider, ...]]

    def for_channel(self, channel: str) -> tuple[Provider, ...]:
        return self.by_channel.get(channel, ())

    def named(self, name: str) -> Provider | None:
        return next((p for chain in self.by_channel.values() for p in chain if p.name == name), None)

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(channel for channel, chain in self.by_channel.items() if chain)


def build(settings: Settings) -> Providers:
    s = settings
    phone: list[Provider] = []
    if s.zalo_zns_access_token and s.zalo_zns_templates:
        phone.append(ZaloZns(url=s.zalo_zns_url, access_token=s.zalo_zns_access_token,
                             template_ids=s.zalo_zns_templates, timeout=s.sms_gateway_timeout))
    if s.sms_gateway_url:
        phone.append(HttpSmsGateway(name="sms-gateway", url=s.sms_gateway_url, token=s.sms_gateway_token,
                                    timeout=s.sms_gateway_timeout, receipts=s.sms_gateway_receipts,
                                    receipt_secret=s.sms_gateway_receipt_secret))
    if s.sms_gateway_fallback_url:
        phone.append(HttpSmsGateway(name="sms-fallback", url=s.sms_gateway_fallback_url,
                                    token=s.sms_gateway_fallback_token, timeout=s.sms_gateway_timeout,
                                    receipts=s.sms_gateway_receipts,
                                    receipt_secret=s.sms_gateway_fallback_receipt_secret))
    email: list[Provider] = []
    if s.smtp_host:
        starttls = smtp.starttls_wanted(s.smtp_starttls, s.motcua_env)
        refusal = smtp.transport_refusal(host=s.smtp_host, tls=starttls or s.smtp_ssl, environment=s.motcua_env)
        if refusal:
            raise SystemExit(f"motcua_notification: {refusal}")
        email.append(SmtpProvider(host=s.smtp_host, port=s.smtp_port, username=s.smtp_username,
                                  password=s.smtp_password, starttls=starttls, implicit_tls=s.smtp_ssl,
                                  ca_file=s.smtp_ca_file, timeout=s.smtp_timeout,
                                  mail_from=s.mail_from, pool_size=max(1, s.notification_delivery_concurrency)))
    wanted = set(s.notification_channels)
    return Providers({channel: tuple(chain) for channel, chain in (("sms", phone), ("email", email))
                      if channel in wanted})
