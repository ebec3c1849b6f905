"""Helpers of the notification tests.

- `Gateway`: a real HTTP SMS gateway (docs/contracts.md §6) on a local port, whose answer the test sets
  (accept, 503, 400...) and which can be stopped so connections are refused, then started again.
- `MailCatcher`: a real SMTP server (aiosmtpd) keeping every e-mail it receives.
- `Events`: catalogue events with fresh times, built and validated the way their producers build them,
  and `publish`, which puts one on the producer's exchange (with publisher confirms) as the relay does.
- `Notification`: the notification service of a whole `system` (real worker, real broker) and
  `Local`: the service in the test process on its own database, with a clock the test sets.
"""
from __future__ import annotations

import copy
import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pika
from aiosmtpd.controller import Controller
from sqlalchemy import select

from motcua_shared.events import CONTENT_TYPE, Event, new_event, parse, registry
from motcua_shared.events.catalogue import dossier, route, shipment

from motcua_shared.service import Runtime
from motcua_shared.settings import load
from motcua_shared.web.auth import issue_token

from motcua_notification import providers
from motcua_notification.app import create_app
from motcua_notification.delivery.dispatcher import Dispatcher
from motcua_notification.delivery.sweeps import sweep
from motcua_notification.handlers import handlers
from motcua_notification.models import delivery_attempts, messages, notices, outbox
from motcua_notification.options import Options
from motcua_notification.receipts import SIGNATURE_HEADER, sign
from motcua_notification.service import SPEC

from motcua_testing.ports import free_port
from motcua_testing.system import TEST_SECRET

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PUBLIC = "https://dichvucong.sonla.gov.vn"
RECEIPT_SECRET = "gateway-receipt-secret-for-tests"
PHONE = "0912345678"
EMAIL = "hung.lo@example.vn"


def local(moment: datetime) -> str:
    """What the messages write: "08:30 ngày 20/03/2019" in Vietnam's time."""
    value = moment.astimezone(VN)
    return f"{value:%H:%M} ngày {value:%d/%m/%Y}"


def code() -> str:
    return f"H52.04222-{datetime.now(VN):%y%m%d}-{uuid.uuid4().int % 10000:04d}"


# -- the SMS gateway -----------------------------------------------------------------------------
class Gateway:
    """Answers each POST with `self.status` (202 by default); remembers every request it answered."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.status = 202
        self.on_request = None  # called with each request's body before it is answered (a test's fault)
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/send"

    @property
    def accepted(self) -> list[dict]:
        with self._lock:
            return [r for r in self.requests if 200 <= r["status"] < 300]

    def start(self) -> "Gateway":
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                if gateway.on_request is not None:
                    gateway.on_request(body)
                with gateway._lock:
                    status = gateway.status
                    gateway.requests.append({**body, "status": status})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"id": f"gw-{len(gateway.requests)}"}).encode())

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the listening socket: connections are refused until `start` again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def texts_to(self, phone: str) -> list[str]:
        return [r["text"] for r in self.accepted if r["to"] == phone]


# -- the SMTP server -----------------------------------------------------------------------------
@dataclass
class Mail:
    raw: bytes
    envelope_to: list[str]

    @property
    def parsed(self):
        return message_from_bytes(self.raw, policy=policy.default)

    @property
    def subject(self) -> str:
        return str(self.parsed["Subject"])

    @property
    def text(self) -> str:
        return self.parsed.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")

    @property
    def html(self) -> str:
        return self.parsed.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")

    def attachments(self) -> dict[str, str]:
        return {part.get_filename(): part.get_content().replace("\r\n", "\n")
                for part in self.parsed.iter_attachments()}


@dataclass
class MailCatcher:
    port: int = field(default_factory=free_port)
    mails: list[Mail] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # mailboxes answered "550 no such user"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.mails.append(Mail(envelope.original_content or envelope.content, list(envelope.rcpt_tos)))
        return "250 OK"

    def start(self) -> "MailCatcher":
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=True)
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def to(self, address: str) -> list[Mail]:
        return [m for m in self.mails if address in m.envelope_to]


# -- events as their producers publish them ------------------------------------------------------
EXCHANGES = {"intake": "intake.events", "routing": "routing.events", "postal": "postal.events"}


def _example(event_type: str) -> dict:
    return copy.deepcopy(registry.get(event_type).example)


class Events:
    """Fresh events for one dossier; every time is recent (a notice too old to matter is not sent)."""

    def __init__(self, dossier_code: str | None = None, *, phone: str | None = PHONE, email: str | None = EMAIL,
                 return_method: str = "counter", base: datetime | None = None):
        self.code = dossier_code or code()
        self.phone, self.email, self.return_method = phone, email, return_method
        self.base = (base or datetime.now(timezone.utc) - timedelta(minutes=30)).replace(second=0, microsecond=0)
        self.received_at = self.base
        self.due_at = self.base + timedelta(days=3)

    def _facts(self, event_type: str) -> dict:
        data = _example(event_type)
        data.update(code=self.code, return_method=self.return_method, receiving_unit="04222",
                    receiving_unit_path="14.126.04222", procedure_code="1.004873")
        data["applicant"] = {"full_name": "Lò Văn Hùng", "phone": self.phone, "email": self.email,
                             "address": "Bản Hưng Mai"}
        if self.return_method == "postal":
            data["delivery_address"] = "Bản Hưng Mai, xã Chiềng Khương"
        return data

    @staticmethod
    def _event(event_type: str, producer: str, data: dict, subject: str) -> tuple[Event, str]:
        return new_event(event_type, source=f"/motcua/{producer}", data=data, subject=subject), producer

    def _change(self, event_type: str, minutes: int, **data) -> tuple[Event, str]:
        body = {**_example(event_type), "code": self.code, "occurred_at": self.at(minutes), **data}
        return self._event(event_type, "intake", body, self.code)

    def at(self, minutes: int) -> str:
        return (self.base + timedelta(minutes=minutes)).isoformat()

    def submitted(self):
        data = {**self._facts(dossier.DOSSIER_SUBMITTED), "channel": "online", "submitted_at": self.at(-5)}
        return self._event(dossier.DOSSIER_SUBMITTED, "intake", data, self.code)

    def received(self):
        data = {**self._facts(dossier.DOSSIER_RECEIVED), "received_at": self.received_at.isoformat(),
                "due_at": self.due_at.isoformat()}
        return self._event(dossier.DOSSIER_RECEIVED, "intake", data, self.code)

    def refused(self):
        return self._change(dossier.DOSSIER_REFUSED, 1, reason="Hồ sơ không thuộc trường hợp được giải quyết.")

    def redirected(self):
        return self._change(dossier.DOSSIER_REDIRECTED, 1, competent_unit="14", reason="Thuộc thẩm quyền UBND tỉnh.")

    def supplement_requested(self):
        return self._change(dossier.DOSSIER_SUPPLEMENT_REQUESTED, 2, stage="processing",
                            items=["Bản sao Giấy khai sinh"], note="Thiếu bản sao Giấy khai sinh có chứng thực.")

    def supplement_received(self):
        return self._change(dossier.DOSSIER_SUPPLEMENT_RECEIVED, 3, paused_from=self.at(2),
                            due_at=(self.due_at + timedelta(days=1)).isoformat())

    def withdrawn(self):
        return self._change(dossier.DOSSIER_WITHDRAWN, 4, reason="Công dân không còn nhu cầu.")

    def processed(self):
        return self._change(dossier.DOSSIER_PROCESSED, 5, result="approved", note=None, due_at=self.due_at.isoformat())

    def returned(self, method: str = "counter"):
        return self._change(dossier.DOSSIER_RETURNED, 6, method=method)

    def apology(self, new_due: datetime | None = None):
        data = {"dossier_code": self.code, "original_due_at": self.due_at.isoformat(),
                "new_due_at": (new_due or self.due_at + timedelta(days=2)).isoformat(),
                "reason": "Cần xác minh thêm thông tin.", "issued_at": self.at(4), "unit": "04222"}
        return self._event(route.APOLOGY_ISSUED, "routing", data, self.code)

    def shipment_created(self):
        data = {**_example(shipment.SHIPMENT_CREATED), "shipment_id": "SH-1", "dossier_code": self.code,
                "direction": "result_to_citizen", "unit": "04222", "created_at": self.at(6),
                "deliver_by": (self.due_at + timedelta(days=2)).isoformat()}
        return self._event(shipment.SHIPMENT_CREATED, "postal", data, self.code)

    def shipment_progressed(self, status: str = "picked_up", minutes: int = 7):
        data = {**_example(shipment.SHIPMENT_PROGRESSED), "shipment_id": "SH-1", "dossier_code": self.code,
                "direction": "result_to_citizen", "status": status, "occurred_at": self.at(minutes),
                "tracking_number": "EB123456789VN"}
        return self._event(shipment.SHIPMENT_PROGRESSED, "postal", data, self.code)


def publish(amqp_url: str, *events: tuple[Event, str], times: int = 1) -> None:
    """Publish on each producer's exchange exactly as the outbox relay does, `times` times each."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for event, producer in events:
            for _ in range(times):
                channel.basic_publish(EXCHANGES[producer], event.type, event.to_json(), mandatory=True,
                                      properties=pika.BasicProperties(
                                          content_type=CONTENT_TYPE, delivery_mode=2, message_id=event.id,
                                          correlation_id=event.correlationid, type=event.type,
                                          app_id=event.source))
    finally:
        connection.close()


# -- the service under test ----------------------------------------------------------------------
FAST = {
    "NOTIFICATION_DELIVERY_INTERVAL": "0.05",
    "NOTIFICATION_RETRY_BASE_SECONDS": "0.3",
    "NOTIFICATION_RETRY_MAX_SECONDS": "1",
    "NOTIFICATION_QUIET_HOURS": "off",  # a test run at night must not wait for the morning
    "NOTIFICATION_SMS_HOURLY_LIMIT": "1000",
    "MOTCUA_PUBLIC_BASE_URL": PUBLIC,
    "SMS_GATEWAY_RECEIPT_SECRET": RECEIPT_SECRET,
}


def sink_env(gateway: Gateway, mail: MailCatcher) -> dict[str, str]:
    return {**FAST, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mail.port), "SMS_GATEWAY_URL": gateway.url}


class Ledger:
    """Reading the service's database."""

    engine = None

    def rows(self, dossier_code: str | None = None, channel: str | None = None) -> list[dict]:
        query = select(messages).order_by(messages.c.created_at, messages.c.id)
        if dossier_code:
            query = query.where(messages.c.dossier_code == dossier_code)
        if channel:
            query = query.where(messages.c.channel == channel)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def attempts(self, message_id: str) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(delivery_attempts).where(
                delivery_attempts.c.message_id == message_id).order_by(delivery_attempts.c.id)).mappings()]

    def notices(self, dossier_code: str) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(notices).where(notices.c.dossier_code == dossier_code)
                                                  .order_by(notices.c.id)).mappings()]

    def outbox_events(self) -> list[dict]:
        with self.engine.connect() as conn:
            return [json.loads(r.body) for r in conn.execute(select(outbox).order_by(outbox.c.id))]


class Notification(Ledger):
    """The notification service of a whole `system`: its real worker process, on the test's broker."""

    def __init__(self, system, gateway: Gateway, mail: MailCatcher):
        self.system, self.gateway, self.mail = system, gateway, mail
        system.env.update(sink_env(gateway, mail))

    @property
    def engine(self):
        return self.system.runtime("notification").engine

    def start(self, **env: str) -> "Notification":
        self.system.start_workers("notification", extra_env=env or None)
        return self

    def publish(self, *events, times: int = 1) -> None:
        publish(self.system.amqp_url, *events, times=times)


class Local(Ledger):
    """The service in the test process, on its own fresh database and the real sinks, without a broker:
    events are parsed and validated exactly as the consumer does, then given to the real handlers in
    one transaction; the delivery job and the sweep run with a clock the test sets; the HTTP API
    answers through a Flask test client. Its outbox shows what it would publish."""

    def __init__(self, database_url: str, gateway: Gateway, mail: MailCatcher, **env: str):
        self.gateway, self.mail = gateway, mail
        self.env = {**sink_env(gateway, mail), "NOTIFICATION_DATABASE_URL": database_url,
                    "MOTCUA_JWT_SECRET": TEST_SECRET, **env}
        self.settings = load("notification", SPEC.settings, environ=self.env)
        self.options = Options.from_settings(self.settings)
        self.runtime = Runtime(SPEC, self.settings)
        self.engine = self.runtime.engine
        self.handlers = handlers(self.settings, self.options)
        self.now = datetime.now(timezone.utc)
        self.dispatcher = Dispatcher(outbox=self.runtime.outbox, providers=providers.build(self.settings),
                                     options=self.options, clock=lambda: self.now)
        self._app = None

    def handle(self, *events: tuple[Event, str]) -> None:
        for event, _producer in events:
            parsed = parse(event.to_json())
            with self.runtime.sessions.begin() as session:
                self.handlers[parsed.type](session, parsed)

    def deliver(self, at: datetime | None = None) -> int:
        """Run delivery rounds at `at` (default: now) until nothing more is due; returns how many messages
        were handed over."""
        self.now = at or datetime.now(timezone.utc)
        total = 0
        while handed := self.dispatcher.tick(self.runtime.sessions):
            total += handed
            assert self.dispatcher.wait(30), "the senders did not finish"
        return total

    def sweep(self, at: datetime) -> dict[str, int]:
        return sweep(self.runtime.sessions, self.runtime.outbox, self.options, at)

    def client(self):
        if self._app is None:
            self._app = create_app(self.settings)
        return self._app.test_client()

    @staticmethod
    def auth(*roles: str, unit: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(secret=TEST_SECRET, roles=roles, unit=unit)}"}

    def receipt(self, body: dict, *, provider: str = "sms-gateway", secret: str = RECEIPT_SECRET):
        raw = json.dumps(body).encode()
        return self.client().post(f"/api/v1/delivery-receipts/{provider}", data=raw,
                                  content_type="application/json", headers={SIGNATURE_HEADER: sign(secret, raw)})

    def close(self) -> None:
        if self._app is not None:
            self._app.extensions["motcua"].close()
        self.runtime.close()
