"""The ledger names the provider that accepted each message and where it was, and says when that was
a development catcher (whose "delivered" reached nobody); the worker counts the providers' answers."""
from __future__ import annotations

from datetime import timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import update

from motcua_notification.models import messages
from motcua_notification.providers.http_gateway import HttpSmsGateway
from motcua_notification.providers.identity import accepted_by
from motcua_notification.providers.smtp import SmtpProvider
from motcua_notification.providers.zalo import ZaloZns

from notification.support import Events


def smtp(host: str, port: int) -> SmtpProvider:
    return SmtpProvider(host=host, port=port, mail_from="Bộ phận một cửa <no-reply@motcua.local>")


def gateway(url: str) -> HttpSmsGateway:
    return HttpSmsGateway(name="sms-gateway", url=url)


@pytest.mark.parametrize("provider,recorded", [
    (smtp("mail.sonla.gov.vn", 587), "smtp:mail.sonla.gov.vn:587"),
    (gateway("https://sms.example.vn/api/send?token=s3cret"), "sms:sms.example.vn"),  # never the token
    (gateway("https://user:pw@sms.example.vn:8443/send"), "sms:sms.example.vn:8443"),  # nor a login
    (ZaloZns(url="https://business.openapi.zalo.me/message/template", access_token="t", template_ids={}),
     "zalo:business.openapi.zalo.me"),
    # The development sinks: compose's host names, and make run's loopback addresses.
    (smtp("mailpit", 1025), "dev_sink:smtp:mailpit:1025"),
    (gateway("http://sms-sink:8090/send"), "dev_sink:sms:sms-sink:8090"),
    (smtp("127.0.0.1", 1025), "dev_sink:smtp:127.0.0.1:1025"),
    (gateway("http://127.0.0.1:8090/send"), "dev_sink:sms:127.0.0.1:8090"),
    (gateway("http://localhost:8090/send"), "dev_sink:sms:localhost:8090"),
    # A relay of one's own on the machine, on another port, is not taken for the catcher.
    (smtp("127.0.0.1", 2525), "smtp:127.0.0.1:2525"),
])
def test_what_the_ledger_records_for_each_provider(provider, recorded):
    assert accepted_by(provider) == recorded


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_ledger_and_the_messages_api_say_where_each_message_went(local, gateway, mail):
    service = local()
    ev = Events()
    results = {outcome: sample("motcua_notification_provider_results_total", channel="sms", provider="sms-gateway",
                               outcome=outcome) for outcome in ("accepted", "failed")}
    delivered = sample("motcua_notification_messages_total", channel="email", status="delivered")

    gateway.status = 503  # the SMS gateway fails once, then takes it
    service.handle(ev.received())
    service.deliver()
    gateway.status = 202
    service.deliver(at=service.now + timedelta(hours=2))  # past its back-off (the receipt SMS is urgent)

    rows = {row["channel"]: row for row in service.rows(ev.code)}
    assert rows["sms"]["status"] == "delivered" and rows["sms"]["accepted_by"] == f"sms:127.0.0.1:{gateway.port}"
    assert rows["email"]["status"] == "delivered" and rows["email"]["accepted_by"] == f"smtp:127.0.0.1:{mail.port}"
    assert sample("motcua_notification_provider_results_total", channel="sms", provider="sms-gateway",
                  outcome="failed") == results["failed"] + 1
    assert sample("motcua_notification_provider_results_total", channel="sms", provider="sms-gateway",
                  outcome="accepted") == results["accepted"] + 1
    assert sample("motcua_notification_messages_total", channel="email", status="delivered") == delivered + 1

    headers = service.auth("specialist", unit="04222")
    answer = service.client().get(f"/api/v1/dossiers/{ev.code}/messages", headers=headers).get_json()
    shown = {m["channel"]: m for m in answer["messages"]}
    assert shown["sms"]["accepted_by"] == f"sms:127.0.0.1:{gateway.port}" and shown["sms"]["dev_sink"] is False
    assert shown["email"]["provider"] == "smtp" and shown["email"]["dev_sink"] is False

    # What a development catcher took is shown as such.
    with service.engine.begin() as conn:
        conn.execute(update(messages).where(messages.c.id == rows["email"]["id"])
                     .values(accepted_by="dev_sink:smtp:mailpit:1025"))
    answer = service.client().get(f"/api/v1/dossiers/{ev.code}/messages", headers=headers).get_json()
    email = next(m for m in answer["messages"] if m["channel"] == "email")
    assert email["dev_sink"] is True and email["accepted_by"] == "dev_sink:smtp:mailpit:1025"
