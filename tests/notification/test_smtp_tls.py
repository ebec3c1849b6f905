"""Verified TLS to the SMTP relay, against a real aiosmtpd server that demands STARTTLS.

A trial CA signs the relay's certificate. With that CA and the right host name the mail is delivered;
with another CA, a certificate for another name, or a relay that offers no STARTTLS, the attempt is a
temporary failure (the dispatcher retries it) and the relay receives no mail: nothing goes in clear.
"""
from __future__ import annotations

import ssl

import pytest
from aiosmtpd.controller import Controller

from motcua_notification import providers
from motcua_notification.config import SETTINGS
from motcua_notification.providers.base import Outgoing
from motcua_notification.providers.smtp import SmtpProvider, starttls_wanted, transport_refusal
from motcua_shared.settings import Settings, load

from motcua_testing.certs import TrialCA
from notification.support import EMAIL, MailCatcher, free_port

MAIL = Outgoing(id="8d2f3c1e-8a4d-4c2b-9f1a-6d2e5b7c9a10", channel="email", recipient=EMAIL,
                template="dossier_received", subject="Hồ sơ đã được tiếp nhận", text="Hồ sơ đã được tiếp nhận.\n")


class TlsRelay(MailCatcher):
    """The mail catcher behind STARTTLS (required before MAIL), with a certificate from `ca`."""

    def start_tls(self, cert, key, *, offer_starttls: bool = True) -> "TlsRelay":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        kwargs = {"tls_context": context, "require_starttls": True} if offer_starttls else {}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()
        return self


@pytest.fixture
def ca(tmp_path):
    return TrialCA(tmp_path / "ca")


def _provider(relay: TlsRelay, host: str, ca_file, starttls: bool = True) -> SmtpProvider:
    return SmtpProvider(host=host, port=relay.port, starttls=starttls, ca_file=str(ca_file), timeout=5,
                        mail_from="Bộ phận một cửa <no-reply@motcua.local>")


def test_starttls_with_the_relays_ca_and_name_delivers(ca):
    relay = TlsRelay().start_tls(*ca.server("relay", "localhost", "127.0.0.1"))
    try:
        outcome = _provider(relay, "localhost", ca.ca_file).send(MAIL)
        assert outcome.result == "accepted", outcome
        assert _provider(relay, "127.0.0.1", ca.ca_file).send(MAIL).result == "accepted"
    finally:
        relay.stop()
    assert len(relay.to(EMAIL)) == 2


def test_another_ca_or_another_name_is_a_temporary_failure_and_nothing_is_sent(ca, tmp_path):
    relay = TlsRelay().start_tls(*ca.server("relay", "mail.example.gov.vn"))
    stranger = TrialCA(tmp_path / "stranger", name="someone else's CA")
    try:
        wrong_name = _provider(relay, "127.0.0.1", ca.ca_file).send(MAIL)
        assert (wrong_name.result, wrong_name.detail) == ("temporary", "SSLCertVerificationError")
    finally:
        relay.stop()
    relay2 = TlsRelay().start_tls(*ca.server("relay2", "localhost"))
    try:
        wrong_ca = _provider(relay2, "localhost", stranger.ca_file).send(MAIL)
        assert (wrong_ca.result, wrong_ca.detail) == ("temporary", "SSLCertVerificationError")
        # The system's CAs (no SMTP_CA_FILE) do not know the trial CA either.
        system = SmtpProvider(host="localhost", port=relay2.port, starttls=True, timeout=5,
                              mail_from="no-reply@motcua.local").send(MAIL)
        assert system.result == "temporary"
    finally:
        relay2.stop()
    assert relay.mails == [] and relay2.mails == []


def test_a_relay_without_starttls_gets_no_mail(ca):
    relay = TlsRelay().start_tls(*ca.server("relay", "localhost"), offer_starttls=False)
    try:
        outcome = _provider(relay, "localhost", ca.ca_file).send(MAIL)
        assert outcome.result == "temporary"
    finally:
        relay.stop()
    assert relay.mails == []


def test_auto_means_starttls_in_production_only():
    assert starttls_wanted("auto", "production") and not starttls_wanted("auto", "development")
    assert starttls_wanted("true", "development") and not starttls_wanted("false", "production")


def test_production_refuses_a_relay_beyond_loopback_without_tls():
    refusal = transport_refusal(host="mail.sonla.gov.vn", tls=False, environment="production")
    assert refusal and "SMTP_STARTTLS" in refusal and "mail.sonla.gov.vn" in refusal
    assert transport_refusal(host="mail.sonla.gov.vn", tls=True, environment="production") is None
    for loopback in ("127.0.0.1", "localhost", "::1"):
        assert transport_refusal(host=loopback, tls=False, environment="production") is None
    assert transport_refusal(host="mailpit", tls=False, environment="development") is None


def test_the_service_stops_at_start_on_a_clear_text_relay_in_production():
    settings = load("notification", SETTINGS, environ={"SMTP_HOST": "mail.sonla.gov.vn", "SMTP_STARTTLS": "false",
                                                       "MOTCUA_ENV": "development"})
    assert providers.build(settings).for_channel("email")  # development: the catcher's plain SMTP is fine
    # The same settings in production (built directly: loading them there would also demand every secret).
    production = Settings(settings.service, {**settings.values, "motcua_env": "production"})
    with pytest.raises(SystemExit, match="SMTP_STARTTLS"):
        providers.build(production)


def test_an_unreadable_ca_file_stops_the_process_at_start(tmp_path):
    with pytest.raises((OSError, ssl.SSLError)):
        SmtpProvider(host="localhost", port=free_port(), starttls=True, ca_file=str(tmp_path / "missing.pem"),
                     mail_from="no-reply@motcua.local")
