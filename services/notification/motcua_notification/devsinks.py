"""Development sinks for `make run` and docker compose: a mail catcher and an SMS gateway stand-in.

    python -m motcua_notification.devsinks [--host 127.0.0.1] [--smtp-port 1025] [--http-port 8090]

- SMTP (aiosmtpd) on --smtp-port: accepts every e-mail and keeps it.
- HTTP on --http-port: `POST /send` (any path) speaks the SMS gateway contract of docs/contracts.md §6
  (JSON {to, text, reference} → 202; 400 when one is missing); `GET /messages` lists the SMS,
  `GET /mails` the e-mails (decoded: subject, text, attachment names), newest last, the last 1,000 of
  each, with `total`, the count since start; `GET /healthz` answers ok.
- With --receipts-url and --receipt-secret it also behaves like a gateway that reports delivery: each
  accepted SMS is followed by a signed `delivered` receipt to that URL (set SMS_GATEWAY_RECEIPTS=true).

The ports default to where the service sends (SMTP_PORT, and the port of SMS_GATEWAY_URL). The log
lines carry references and subjects only, never a phone number or an e-mail address; the full
messages are only in memory and over HTTP, on the machine of whoever runs this.
"""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections import deque
from datetime import datetime, timezone
from email import message_from_bytes, policy
from email.parser import BytesHeaderParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import requests
from aiosmtpd.controller import Controller

from motcua_shared import logs

from .config import SETTINGS
from .receipts import SIGNATURE_HEADER, sign

log = logging.getLogger("motcua.devsinks")
KEEP = 1000
MAX_BODY = 64 * 1024


class Store:
    """The last `size` items, and how many arrived in all."""

    def __init__(self, size: int = KEEP):
        self._items: deque[dict] = deque(maxlen=size)
        self._lock = threading.Lock()
        self.total = 0

    def add(self, item: dict) -> None:
        with self._lock:
            self._items.append(item)
            self.total += 1

    def all(self) -> list[dict]:
        with self._lock:
            return list(self._items)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def decode_mail(raw: bytes) -> dict:
    """The parts a person checks: decoded subject, the plain text, the attachments' names."""
    mail = message_from_bytes(raw, policy=policy.default)
    text = mail.get_body(preferencelist=("plain",))
    html = mail.get_body(preferencelist=("html",))
    return {
        "message_id": mail["Message-ID"], "subject": str(mail["Subject"] or ""), "from": str(mail["From"] or ""),
        "to": str(mail["To"] or ""), "text": text.get_content() if text else "",
        "html": html.get_content() if html else "",
        "attachments": [part.get_filename() for part in mail.iter_attachments()],
    }


class MailHandler:
    """aiosmtpd handler: keep every message as it came; it is decoded only when someone lists it, so the
    catcher keeps up with a worker sending flat out."""

    def __init__(self, store: Store):
        self.store = store

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        self.store.add({"raw": raw, "received_at": _now(), "envelope_to": list(envelope.rcpt_tos)})
        headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
        log.info("mail_received", extra={"message_id": headers["Message-ID"], "subject": str(headers["Subject"] or "")})
        return "250 Message accepted for delivery"


def listed_mail(kept: dict) -> dict:
    return {**decode_mail(kept["raw"]), "received_at": kept["received_at"], "envelope_to": kept["envelope_to"]}


class Receipts:
    """Posts a signed `delivered` receipt for each accepted SMS, as a real gateway would."""

    def __init__(self, url: str, secret: str):
        self.url = url
        self.secret = secret

    def delivered(self, reference: str) -> None:
        body = json.dumps({"reference": reference, "status": "delivered", "occurred_at": _now()}).encode()
        try:
            requests.post(self.url, data=body, timeout=5, headers={
                "Content-Type": "application/json", SIGNATURE_HEADER: sign(self.secret, body)})
        except requests.RequestException as exc:
            log.warning("receipt_not_sent", extra={"reference": reference, "error": type(exc).__name__})


def http_handler(sms: Store, mails: Store, receipts: Receipts | None):
    class Handler(BaseHTTPRequestHandler):
        server_version = "motcua-devsinks/1"

        def _answer(self, status: int, body: object) -> None:
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):
            path = self.path.split("?", 1)[0].rstrip("/")
            if path == "/messages":
                self._answer(200, {"total": sms.total, "messages": sms.all()})
            elif path == "/mails":
                self._answer(200, {"total": mails.total, "mails": [listed_mail(m) for m in mails.all()]})
            elif path == "/healthz":
                self._answer(200, {"status": "ok"})
            else:
                self._answer(404, {"error": "not found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._answer(413, {"error": "body too large"})
                return
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except ValueError:
                body = None
            if not isinstance(body, dict) or any(not body.get(key) for key in ("to", "text", "reference")):
                self._answer(400, {"error": "a JSON object with to, text and reference is required"})
                return
            sms.add({**body, "received_at": _now()})
            log.info("sms_received", extra={"reference": body["reference"], "characters": len(body["text"])})
            self._answer(202, {"accepted": True, "reference": body["reference"]})
            if receipts:
                threading.Thread(target=receipts.delivered, args=(body["reference"],), daemon=True).start()

        def log_message(self, format, *args):  # the structured lines above are the log
            pass

    return Handler


class DevSinks:
    def __init__(self, *, host: str, smtp_port: int, http_port: int, receipts: Receipts | None = None,
                 keep: int = KEEP):
        self.sms, self.mails = Store(keep), Store(keep)
        self.smtp = Controller(MailHandler(self.mails), hostname=host, port=smtp_port, enable_SMTPUTF8=True)
        self.http = ThreadingHTTPServer((host, http_port), http_handler(self.sms, self.mails, receipts))

    def start(self) -> None:
        self.smtp.start()
        threading.Thread(target=self.http.serve_forever, name="devsinks-http", daemon=True).start()

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.smtp.stop()


def _default(name: str):
    import os

    setting = next(s for s in SETTINGS if s.name == name)
    return setting.read(os.environ)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m motcua_notification.devsinks",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=_default("SMTP_PORT"))
    parser.add_argument("--http-port", type=int, default=urlsplit(_default("SMS_GATEWAY_URL")).port or 8090)
    parser.add_argument("--receipts-url", default="",
                        help="e.g. http://127.0.0.1:8003/api/v1/delivery-receipts/sms-gateway")
    parser.add_argument("--receipt-secret", default=_default("SMS_GATEWAY_RECEIPT_SECRET"))
    args = parser.parse_args(argv)
    logs.configure("notification", "devsinks")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd narrates every connection
    if args.receipts_url and not args.receipt_secret:
        parser.error("--receipts-url needs --receipt-secret (or SMS_GATEWAY_RECEIPT_SECRET)")
    receipts = Receipts(args.receipts_url, args.receipt_secret) if args.receipts_url else None
    sinks = DevSinks(host=args.host, smtp_port=args.smtp_port, http_port=args.http_port, receipts=receipts)
    sinks.start()
    print(f"motcua dev sinks: SMTP on {args.host}:{args.smtp_port}, SMS gateway and lists on "
          f"http://{args.host}:{args.http_port} (POST /send, GET /messages, GET /mails)", file=sys.stderr, flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    sinks.stop()


if __name__ == "__main__":
    main()
