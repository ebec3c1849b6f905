"""The providers against real servers on local ports: what each answer means for the message
(accepted, temporary, permanent), SMTP login, the MIME a mailbox receives; Zalo ZNS tried first with
SMS behind it; and the development sinks that `make run` starts."""
from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from motcua_notification.receipts import SIGNATURE_HEADER, sign
from motcua_notification.devsinks import DevSinks, Receipts
from motcua_notification.providers.base import Outgoing
from motcua_notification.providers.http_gateway import HttpSmsGateway
from motcua_notification.providers.smtp import SmtpProvider

from motcua_testing.waiting import wait_for
from notification.support import EMAIL, Events, MailCatcher, free_port

SMS = Outgoing(id="6b0f3c1e-8a4d-4c2b-9f1a-6d2e5b7c9a10", channel="sms", recipient="+84912345678",
               template="dossier_received", text="Ho so H52.04222-190315-0001 da duoc tiep nhan.")
MAIL = Outgoing(id="7c1f3c1e-8a4d-4c2b-9f1a-6d2e5b7c9a10", channel="email", recipient=EMAIL,
                template="dossier_received", subject="Hồ sơ H52.04222-190315-0001 đã được tiếp nhận",
                text="Kính gửi Ông/Bà,\n\nHồ sơ đã được tiếp nhận.\n", html="<p>Hồ sơ đã được tiếp nhận.</p>",
                attachment_name="giay-tiep-nhan-H52.04222-190315-0001.html", attachment="<h1>Giấy tiếp nhận</h1>",
                unsubscribe_url="http://127.0.0.1:8003/api/v1/unsubscribe?t=abc")


class Answering:
    """An HTTP server answering every POST with (status, body) after `delay` seconds; keeps what it got."""

    def __init__(self, status: int = 202, body: dict | None = None, delay: float = 0.0):
        self.status, self.body, self.delay = status, body or {}, delay
        self.received: list[tuple[dict, dict]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                owner.received.append((json.loads(raw), dict(self.headers), raw))
                time.sleep(owner.delay)
                payload = json.dumps(owner.body).encode()
                try:
                    self.send_response(owner.status)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except BrokenPipeError:  # the client gave up waiting: that is the point of a slow server
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("status,result,detail", [
    (200, "accepted", "http 200"), (202, "accepted", "http 202"),
    (400, "permanent", "http 400"), (404, "permanent", "http 404"), (422, "permanent", "http 422"),
    (408, "temporary", "http 408"), (429, "temporary", "http 429"),  # "not now", not "never"
    (500, "temporary", "http 500"), (503, "temporary", "http 503"),
])
def test_what_each_gateway_answer_means(status, result, detail):
    server = Answering(status, {"id": "gw-42"})
    try:
        outcome = HttpSmsGateway(name="sms-gateway", url=server.url, token="t0k3n").send(SMS)
    finally:
        server.close()
    assert (outcome.result, outcome.detail, outcome.code) == (result, detail, status)
    body, headers, _ = server.received[0]
    assert body == {"to": "+84912345678", "text": SMS.text, "reference": SMS.id}
    assert headers["Authorization"] == "Bearer t0k3n"
    assert outcome.reference == ("gw-42" if result == "accepted" else None)


def test_a_gateway_that_does_not_answer_in_time_or_at_all_is_a_temporary_failure():
    slow = Answering(202, delay=1.0)
    try:
        assert HttpSmsGateway(name="sms-gateway", url=slow.url, timeout=0.3).send(SMS).detail == "timeout"
    finally:
        slow.close()
    closed = HttpSmsGateway(name="sms-gateway", url=f"http://127.0.0.1:{free_port()}/send").send(SMS)
    assert (closed.result, closed.detail) == ("temporary", "ConnectionError")


def test_smtp_logs_in_and_sends_a_proper_vietnamese_mime_message():
    catcher = MailCatcher()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"motcua", b"s3cret")
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself

    controller = Controller(catcher, hostname="127.0.0.1", port=catcher.port, authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        good = SmtpProvider(host="127.0.0.1", port=catcher.port, username="motcua", password="s3cret",
                            mail_from="Bộ phận một cửa <no-reply@motcua.local>")
        assert good.send(MAIL).result == "accepted"
        wrong = SmtpProvider(host="127.0.0.1", port=catcher.port, username="motcua", password="wrong",
                             mail_from="no-reply@motcua.local").send(MAIL)
        assert (wrong.result, wrong.detail) == ("temporary", "smtp auth 535")  # fixable by an operator, not lost
        tls = SmtpProvider(host="127.0.0.1", port=catcher.port, starttls=True, mail_from="x@motcua.local").send(MAIL)
        assert tls.result == "temporary"
    finally:
        controller.stop()
    [mail] = catcher.mails
    headers = mail.raw.split(b"\r\n\r\n", 1)[0].decode("ascii")  # every header is 7-bit
    assert "Subject: =?utf-8?" in headers and "From: =?utf-8?" in headers
    parsed = mail.parsed
    assert parsed["Subject"] == MAIL.subject and parsed["From"].addresses[0].display_name == "Bộ phận một cửa"
    assert parsed["Message-ID"] == f"<{MAIL.id}@motcua.local>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.text == MAIL.text and "Hồ sơ đã được tiếp nhận" in mail.html
    assert mail.attachments() == {MAIL.attachment_name: MAIL.attachment + "\n"}
    down = SmtpProvider(host="127.0.0.1", port=free_port(), mail_from="x@motcua.local").send(MAIL)
    assert (down.result, down.detail) == ("temporary", "ConnectionRefusedError")


def test_zalo_zns_goes_first_and_sms_takes_what_zalo_refuses(local, gateway):
    zns = Answering(200)
    try:
        service = local(ZALO_ZNS_ACCESS_TOKEN="oa-token", ZALO_ZNS_URL=zns.url,
                        ZALO_ZNS_TEMPLATES="dossier_received=231234")
        on_zalo, not_on_zalo = Events(phone="0912345678"), Events(phone="0987654321", email=None)
        zns.body = {"error": 0, "message": "Success", "data": {"msg_id": "zns-1"}}
        service.handle(on_zalo.received())
        service.deliver()
        zns.body = {"error": -118, "message": "Zalo account not existed"}
        service.handle(not_on_zalo.received(), not_on_zalo.apology())  # no ZNS twin for the apology
        service.deliver()
    finally:
        zns.close()
    sent = {r["dossier_code"]: r for r in service.rows(channel="sms") if r["template"] == "dossier_received"}
    assert sent[on_zalo.code]["provider"] == "zalo-zns" and sent[on_zalo.code]["provider_reference"] == "zns-1"
    assert sent[not_on_zalo.code]["provider"] == "sms-gateway"
    assert [r["to"] for r in gateway.accepted] == ["+84987654321", "+84987654321"]
    body, headers, _ = zns.received[0]
    assert headers["access_token"] == "oa-token" and body["phone"] == "84912345678"
    assert body["template_id"] == "231234" and body["tracking_id"] == sent[on_zalo.code]["id"]
    assert body["template_data"]["code"] == on_zalo.code
    assert body["template_data"]["unit_name"] == "UBND xã Chiềng Khương"
    assert len(zns.received) == 2  # the apology never went to Zalo
    delivered = [e["data"] for e in service.outbox_events() if e["data"]["message_id"] == sent[on_zalo.code]["id"]]
    assert delivered[0]["channel"] == "zalo"


def test_the_development_sinks_keep_what_they_receive_and_log_no_personal_data(caplog):
    receipt_endpoint = Answering(200)
    sinks = DevSinks(host="127.0.0.1", smtp_port=free_port(), http_port=free_port(),
                     receipts=Receipts(receipt_endpoint.url, "sink-secret"))
    sinks.start()
    caplog.set_level(logging.INFO, logger="motcua.devsinks")
    try:
        http_port = sinks.http.server_address[1]
        gateway = HttpSmsGateway(name="sms-gateway", url=f"http://127.0.0.1:{http_port}/send")
        assert gateway.send(SMS).result == "accepted"
        assert gateway.send(Outgoing(id="x", channel="sms", recipient="", template="t", text="")).result == "permanent"
        smtp = SmtpProvider(host="127.0.0.1", port=sinks.smtp.port, mail_from="Bộ phận một cửa <no-reply@x.vn>")
        assert smtp.send(MAIL).result == "accepted"

        def listed(path: str):
            with urllib.request.urlopen(f"http://127.0.0.1:{http_port}{path}") as answer:
                return json.loads(answer.read())

        assert [(m["to"], m["text"], m["reference"]) for m in listed("/messages")["messages"]] == [
            (SMS.recipient, SMS.text, SMS.id)]
        [kept] = wait_for(lambda: listed("/mails")["mails"], what="the mail in the catcher")
        assert kept["subject"] == MAIL.subject and kept["attachments"] == [MAIL.attachment_name]
        body, headers, raw = wait_for(lambda: receipt_endpoint.received and receipt_endpoint.received[0],
                                      what="the sink's receipt")
        assert body["reference"] == SMS.id and body["status"] == "delivered"
        assert headers[SIGNATURE_HEADER] == sign("sink-secret", raw)
    finally:
        sinks.stop()
        receipt_endpoint.close()
    logged = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "sms_received" in logged and "mail_received" in logged
    assert "912345678" not in logged and EMAIL not in logged
