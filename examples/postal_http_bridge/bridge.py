#!/usr/bin/env python3
"""Reference bridge for a postal operator that offers only an HTTP API (docs/contracts.md §4.2).

motcua hands shipments to its postal partner on the broker: queue `postal.pickups` in, exchange
`postal.partner` (routing key `status`) out. An operator that speaks only HTTP runs this bridge beside
it, as the broker user `postal_partner` (which declares nothing):

- each `vn.motcua.postal.pickup.requested` becomes an order at the operator (`POST {api}/orders`) with
  the header `Idempotency-Key: <shipment_id>`: a redelivered or re-announced pickup, or a retry after a
  time-out, names the same key, so the operator creates one order. 5xx answers and time-outs are
  retried with back-off; a 4xx is a refusal, reported to motcua as `failed` with the operator's reason.
  The pickup is acknowledged only after the operator accepted (or refused) it;
- each `vn.motcua.postal.pickup.cancelled` cancels the order (`POST {api}/orders/{order_id}/cancel`);
  a cancellation that overtakes its pickup is remembered, so that pickup never becomes an order;
- the operator's tracking callbacks (`POST /callbacks`, HMAC-signed with a shared secret) become
  `vn.motcua.postal.status.reported` events, deduplicated on the operator's event id, mapped to
  motcua's statuses (STATUS_MAP), stored, then published with publisher confirms: stored first, so a
  callback answered 200 is never lost; each report keeps its event id when it is sent again.

Only the standard library and pika. Settings (environment; README.md has the table):

    POSTAL_PARTNER_AMQP_URL, POSTAL_PARTNER_PASSWORD, POSTAL_PARTNER_CA_FILE, POSTAL_PARTNER_CERT_FILE,
    POSTAL_PARTNER_KEY_FILE   the district's broker, as for examples/postal_partner
    OPERATOR_API_URL          the operator's API, e.g. https://api.operator.example/v1
    OPERATOR_API_TOKEN        its bearer token
    OPERATOR_CALLBACK_SECRET  the shared secret of the callbacks' signatures (at least 32 characters)
    BRIDGE_LISTEN             host:port of the callback server (default 127.0.0.1:8470)
    BRIDGE_STATE              the SQLite state file (default postal_http_bridge.sqlite3)
    BRIDGE_SOURCE             CloudEvents `source` of the reports (default /partners/http-operator)
    OPERATOR_TIMEOUT_SECONDS  one HTTP call's time-out (default 10)
    OPERATOR_RETRIES          attempts per pickup before it goes back on the queue (default 5)
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import signal
import sqlite3
import ssl
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pika
from pika.exceptions import (AMQPConnectionError, AMQPError, AuthenticationError, ChannelClosedByBroker,
                             ProbableAccessDeniedError, ProbableAuthenticationError)

QUEUE = "postal.pickups"
EXCHANGE = "postal.partner"
ROUTING_KEY = "status"
PICKUP_REQUESTED = "vn.motcua.postal.pickup.requested"
PICKUP_CANCELLED = "vn.motcua.postal.pickup.cancelled"
STATUS_REPORTED = "vn.motcua.postal.status.reported"
CONTENT_TYPE = "application/cloudevents+json"
VIETNAM = timezone(timedelta(hours=7))
MAX_CALLBACK_BYTES = 64 * 1024
SIGNATURE_TOLERANCE_S = 300  # a signed callback older (or newer) than this is a replay, or a broken clock
NOTE_LIMIT = 1000  # motcua's limit on `note`

# The operator's tracking statuses → motcua's (None: a step motcua has no status for; acknowledged, not
# reported). Adapt the left column to your operator's vocabulary; README.md has the same table.
STATUS_MAP = {
    "order_created": "accepted",
    "picked_up": "picked_up",
    "in_transit": None,
    "out_for_delivery": None,
    "delivered": "delivered",
    "pickup_failed": "failed",
    "delivery_failed": "failed",
    "cancelled_by_operator": "failed",
    "returned_to_sender": "returned",
}

log = logging.getLogger("postal_http_bridge")


def now_local() -> str:
    return datetime.now(VIETNAM).isoformat(timespec="seconds")


# -- configuration -------------------------------------------------------------------------------------
DEFAULT_URL = "amqps://postal_partner@127.0.0.1:5671/motcua"


def broker_url(environ=os.environ) -> str:
    """POSTAL_PARTNER_AMQP_URL with the password from POSTAL_PARTNER_PASSWORD (kept out of the URL)."""
    url = environ.get("POSTAL_PARTNER_AMQP_URL", DEFAULT_URL)
    parts = urllib.parse.urlsplit(url)
    password = environ.get("POSTAL_PARTNER_PASSWORD")
    if password and parts.password is None:
        netloc = f"{parts.username or 'postal_partner'}:{urllib.parse.quote(password, safe='')}@{parts.hostname}"
        if parts.port:
            netloc += f":{parts.port}"
        url = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return url


def connection_parameters(url: str, environ=os.environ) -> pika.URLParameters:
    """amqps://: the broker's certificate and host name checked against POSTAL_PARTNER_CA_FILE, and our
    client certificate presented (the district's AMQPS port refuses a client without one)."""
    params = pika.URLParameters(url)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "amqps":
        context = ssl.create_default_context(cafile=environ.get("POSTAL_PARTNER_CA_FILE") or None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        if environ.get("POSTAL_PARTNER_CERT_FILE"):
            context.load_cert_chain(environ["POSTAL_PARTNER_CERT_FILE"], environ.get("POSTAL_PARTNER_KEY_FILE") or None)
        params.ssl_options = pika.SSLOptions(context, server_hostname=parts.hostname)
    params.heartbeat = 30
    params.blocked_connection_timeout = 60
    params.client_properties = {"connection_name": "postal HTTP bridge"}
    return params


# -- state: orders, callbacks seen, reports to send ------------------------------------------------------
SCHEMA = """
CREATE TABLE IF NOT EXISTS shipments (
    shipment_id TEXT PRIMARY KEY,
    dossier_code TEXT,
    correlation_id TEXT,
    state TEXT NOT NULL,            -- ordered, refused, cancelled
    order_id TEXT,
    tracking_number TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS callbacks (
    event_id TEXT PRIMARY KEY,      -- the operator's: a callback sent again is recognised by it
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    event_id TEXT PRIMARY KEY,
    shipment_id TEXT NOT NULL,
    status TEXT NOT NULL,
    body BLOB NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
"""


class State:
    """One SQLite file used by the broker loop and the callback server's threads, one at a time."""

    def __init__(self, path: str):
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.lock = threading.RLock()

    @contextmanager
    def transaction(self):
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def shipment(self, shipment_id: str):
        with self.lock:
            return self.db.execute("SELECT * FROM shipments WHERE shipment_id = ?", (shipment_id,)).fetchone()

    def unsent_reports(self) -> list:
        with self.lock:
            return self.db.execute("SELECT * FROM reports WHERE sent = 0 ORDER BY created_at").fetchall()

    def mark_sent(self, event_id: str) -> None:
        with self.lock:
            self.db.execute("UPDATE reports SET sent = 1 WHERE event_id = ?", (event_id,))


def record_report(db, shipment, source: str, status: str, *, occurred_at: str, tracking_number: str | None,
                  note: str | None) -> dict:
    """Store a status.reported event, inside the caller's transaction: the broker loop publishes it."""
    event = {
        "specversion": "1.0", "id": str(uuid.uuid4()), "source": source, "type": STATUS_REPORTED,
        "time": now_local(), "subject": shipment["dossier_code"], "datacontenttype": "application/json",
        "correlationid": shipment["correlation_id"] or str(uuid.uuid4()),
        "data": {"shipment_id": shipment["shipment_id"], "status": status, "occurred_at": occurred_at,
                 "tracking_number": tracking_number, "note": note[:NOTE_LIMIT] if note else None},
    }
    db.execute("INSERT INTO reports (event_id, shipment_id, status, body, created_at) VALUES (?, ?, ?, ?, ?)",
               (event["id"], shipment["shipment_id"], status, json.dumps(event, ensure_ascii=False).encode(),
                time.time()))
    return event


# -- the operator's API ------------------------------------------------------------------------------------
class Refused(Exception):
    """The operator answered 4xx: asking again will not change its mind."""

    def __init__(self, status: int, detail: str):
        super().__init__(f"{status} {detail}")
        self.status, self.detail = status, detail


class Unavailable(Exception):
    """5xx, a time-out or no connection: worth asking again later."""


class OperatorClient:
    def __init__(self, base_url: str, token: str, timeout: float):
        self.base_url, self.token, self.timeout = base_url.rstrip("/"), token, timeout

    def call(self, path: str, body: dict, *, idempotency_key: str) -> dict:
        request = urllib.request.Request(
            f"{self.base_url}{path}", method="POST", data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json",
                     "Authorization": f"Bearer {self.token}", "Idempotency-Key": idempotency_key})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as exc:
            text = exc.read(4096).decode("utf-8", "replace")
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise Refused(exc.code, _detail(text)) from None
            raise Unavailable(f"HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as exc:
            raise Unavailable(type(exc).__name__) from None

    def create_order(self, pickup: dict) -> dict:
        """The order for one shipment; the operator answers {order_id, tracking_number}."""
        return self.call("/orders", {
            "reference": pickup["shipment_id"], "note": f"Hồ sơ {pickup['dossier_code']}",
            "sender": pickup["pickup"], "recipient": pickup["delivery"],
            "cod_amount": pickup["cod_amount_vnd"], "deliver_by": pickup["deliver_by"],
        }, idempotency_key=pickup["shipment_id"])

    def cancel_order(self, order_id: str, shipment_id: str, reason: str | None) -> None:
        self.call(f"/orders/{urllib.parse.quote(order_id, safe='')}/cancel", {"reason": reason},
                  idempotency_key=f"cancel-{shipment_id}")


def _detail(text: str) -> str:
    try:
        body = json.loads(text)
        return str(body.get("detail") or body.get("title") or body.get("message") or text)[:500]
    except (ValueError, AttributeError):
        return text[:500]


# -- callbacks: the operator's tracking events in ----------------------------------------------------------
def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header an operator sends: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t." + body>`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def signature_valid(secret: str, header: str | None, body: bytes, now: float) -> bool:
    try:
        parts = dict(item.split("=", 1) for item in (header or "").split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (ValueError, KeyError):
        return False
    if abs(now - timestamp) > SIGNATURE_TOLERANCE_S:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)


class Problem(Exception):
    """An RFC 9457 answer to the operator: status, machine code, Vietnamese title."""

    def __init__(self, status: int, code: str, title: str, invalid_params: list | None = None):
        super().__init__(title)
        self.status, self.code, self.title, self.invalid_params = status, code, title, invalid_params


def _rfc3339(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


def parse_callback(body: bytes) -> dict:
    try:
        callback = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Problem(400, "malformed_json", "Nội dung không phải JSON UTF-8 hợp lệ.") from None
    if not isinstance(callback, dict):
        raise Problem(400, "malformed_json", "Nội dung phải là một đối tượng JSON.")
    invalid = []
    for name in ("event_id", "reference", "status", "occurred_at"):
        if not isinstance(callback.get(name), str) or not callback[name] or len(callback[name]) > 200:
            invalid.append({"name": name, "code": "required", "reason": "Thiếu hoặc không hợp lệ."})
    for name in ("tracking_number", "reason"):
        if callback.get(name) is not None and not isinstance(callback[name], str):
            invalid.append({"name": name, "code": "invalid_type", "reason": "Phải là chuỗi."})
    if not invalid and not _rfc3339(callback["occurred_at"]):
        invalid.append({"name": "occurred_at", "code": "invalid_datetime", "reason": "RFC 3339, có múi giờ."})
    if not invalid and callback["status"] not in STATUS_MAP:
        invalid.append({"name": "status", "code": "unknown_status", "reason": "Trạng thái không được hỗ trợ."})
    if invalid:
        raise Problem(422, invalid[0]["code"] if len(invalid) == 1 else "validation_failed",
                      "Dữ liệu gửi về không hợp lệ.", invalid)
    return callback


def handle_callback(state: State, source: str, secret: str, signature: str | None, body: bytes,
                    now: float) -> dict:
    """One callback: checked, deduplicated, stored with the report it means. Raises Problem."""
    if not signature_valid(secret, signature, body, now):
        raise Problem(401, "bad_signature", "Chữ ký không hợp lệ hoặc đã hết hạn.")
    callback = parse_callback(body)
    with state.transaction() as db:
        if db.execute("SELECT 1 FROM callbacks WHERE event_id = ?", (callback["event_id"],)).fetchone():
            return {"event_id": callback["event_id"], "duplicate": True}
        shipment = db.execute("SELECT * FROM shipments WHERE shipment_id = ?", (callback["reference"],)).fetchone()
        if shipment is None or shipment["state"] != "ordered":
            raise Problem(404, "unknown_order", "Không có đơn hàng nào với mã tham chiếu này.")
        db.execute("INSERT INTO callbacks (event_id, received_at) VALUES (?, ?)", (callback["event_id"], now_local()))
        status = STATUS_MAP[callback["status"]]
        if status is None:
            return {"event_id": callback["event_id"], "reported": None}
        tracking = callback.get("tracking_number") or shipment["tracking_number"]
        event = record_report(db, shipment, source, status, occurred_at=callback["occurred_at"],
                              tracking_number=tracking, note=callback.get("reason"))
    log.info("callback_recorded shipment=%s operator_status=%s status=%s", shipment["shipment_id"],
             callback["status"], status)
    return {"event_id": callback["event_id"], "reported": status, "report_id": event["id"]}


def callback_server(listen: str, state: State, source: str, secret: str) -> ThreadingHTTPServer:
    host, _, port = listen.rpartition(":")

    class Handler(BaseHTTPRequestHandler):
        server_version = "postal-http-bridge"
        sys_version = ""

        def log_message(self, format, *args):
            pass

        def _answer(self, status: int, body: dict, content_type: str = "application/json") -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _problem(self, problem: Problem) -> None:
            body = {"type": "about:blank", "title": problem.title, "status": problem.status, "code": problem.code}
            if problem.invalid_params:
                body["invalid_params"] = problem.invalid_params
            self._answer(problem.status, body, "application/problem+json")

        def do_POST(self):
            try:
                if self.path.split("?", 1)[0] != "/callbacks":
                    raise Problem(404, "not_found", "Không có địa chỉ này.")
                try:
                    length = int(self.headers.get("Content-Length") or "")
                except ValueError:
                    raise Problem(411, "length_required", "Cần Content-Length.") from None
                if not 0 <= length <= MAX_CALLBACK_BYTES:
                    raise Problem(413, "too_large", "Nội dung quá lớn.")
                body = self.rfile.read(length)
                self._answer(200, handle_callback(state, source, secret, self.headers.get("X-Signature"), body,
                                                  time.time()))
            except Problem as problem:
                log.warning("callback_refused code=%s", problem.code)
                self._problem(problem)
            except Exception:  # never a stack trace to the caller; the operator retries a 5xx
                log.exception("callback_failed")
                self._problem(Problem(503, "temporarily_unavailable", "Tạm thời không xử lý được, xin gửi lại."))

        def do_GET(self):
            if self.path == "/healthz":
                self._answer(200, {"status": "ok"})
            else:
                self._problem(Problem(404, "not_found", "Không có địa chỉ này."))

    return ThreadingHTTPServer((host or "127.0.0.1", int(port)), Handler)


# -- pickups: motcua's shipments in --------------------------------------------------------------------------
class BadMessage(ValueError):
    pass


def parse_pickup(body: bytes) -> dict:
    try:
        event = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadMessage("not UTF-8 JSON") from None
    if not isinstance(event, dict) or not isinstance(event.get("data"), dict):
        raise BadMessage("not a CloudEvent with data")
    required = {PICKUP_REQUESTED: ("shipment_id", "dossier_code", "pickup", "delivery", "cod_amount_vnd",
                                   "deliver_by"),
                PICKUP_CANCELLED: ("shipment_id", "dossier_code")}.get(event.get("type"))
    if required is None or any(name not in event["data"] for name in required):
        raise BadMessage(f"not a pickup: type {event.get('type')!r}")
    return event


class Bridge:
    def __init__(self, url: str, state: State, operator: OperatorClient, source: str, retries: int):
        self.url, self.state, self.operator, self.source, self.retries = url, state, operator, source, retries
        self.stopping = False
        self.connection = None
        self.publisher = None

    def flush_reports(self) -> None:
        """Every stored report not yet confirmed: published with confirms, then marked sent."""
        for report in self.state.unsent_reports():
            # On a confirm channel basic_publish returns once the broker confirmed, and raises if it
            # refused or could not route the report: only then is it marked sent.
            self.publisher.basic_publish(EXCHANGE, ROUTING_KEY, report["body"], mandatory=True,
                                         properties=pika.BasicProperties(
                                             content_type=CONTENT_TYPE, delivery_mode=pika.DeliveryMode.Persistent,
                                             message_id=report["event_id"], type=STATUS_REPORTED,
                                             correlation_id=json.loads(report["body"])["correlationid"]))
            self.state.mark_sent(report["event_id"])
            log.info("report_sent shipment=%s status=%s event=%s", report["shipment_id"], report["status"],
                     report["event_id"])

    def on_message(self, channel, method, properties, body) -> None:
        try:
            event = parse_pickup(body)
        except BadMessage as exc:
            # Our user cannot own a dead-letter queue: log it for the district's operator and drop it.
            log.error("message_rejected reason=%s message_id=%s", exc, properties.message_id)
            channel.basic_reject(method.delivery_tag, requeue=False)
            return
        try:
            if event["type"] == PICKUP_REQUESTED:
                self.on_pickup(event)
            else:
                self.on_cancellation(event)
        except Unavailable as exc:
            # The operator is down: the pickup goes back on the queue (motcua also announces it again).
            log.warning("operator_unavailable shipment=%s error=%s", event["data"]["shipment_id"], exc)
            channel.basic_nack(method.delivery_tag, requeue=True)
            return
        channel.basic_ack(method.delivery_tag)  # the operator has the order and the state file our answer

    def _with_retries(self, call):
        delay = 0.5
        for attempt in range(1, self.retries + 1):
            try:
                return call()
            except Unavailable as exc:
                if attempt == self.retries or self.stopping:
                    raise
                log.warning("operator_retry attempt=%s error=%s retry_in=%.1fs", attempt, exc, delay)
                self.connection.sleep(delay)  # keeps the broker's heartbeats going, unlike time.sleep
                delay = min(delay * 2, 30.0)

    def on_pickup(self, event: dict) -> None:
        pickup = event["data"]
        known = self.state.shipment(pickup["shipment_id"])
        if known is not None:
            if known["state"] != "cancelled":
                # Announced again: motcua has not seen our answer yet. Send the last one again, same id.
                with self.state.lock:
                    self.state.db.execute(
                        "UPDATE reports SET sent = 0 WHERE event_id = (SELECT event_id FROM reports "
                        "WHERE shipment_id = ? ORDER BY created_at DESC LIMIT 1)", (pickup["shipment_id"],))
            log.info("pickup_repeated shipment=%s state=%s", pickup["shipment_id"], known["state"])
            return
        row = {"shipment_id": pickup["shipment_id"], "dossier_code": pickup["dossier_code"],
               "correlation_id": event.get("correlationid")}
        try:
            order = self._with_retries(lambda: self.operator.create_order(pickup))
        except Refused as exc:
            with self.state.transaction() as db:
                db.execute("INSERT INTO shipments (shipment_id, dossier_code, correlation_id, state, updated_at) "
                           "VALUES (?, ?, ?, 'refused', ?)", (*row.values(), now_local()))
                record_report(db, row, self.source, "failed", occurred_at=now_local(), tracking_number=None,
                              note=f"Đơn vị vận chuyển từ chối đơn hàng: {exc.detail}")
            log.warning("order_refused shipment=%s status=%s", pickup["shipment_id"], exc.status)
            return
        with self.state.transaction() as db:
            db.execute("INSERT INTO shipments (shipment_id, dossier_code, correlation_id, state, order_id, "
                       "tracking_number, updated_at) VALUES (?, ?, ?, 'ordered', ?, ?, ?)",
                       (*row.values(), str(order.get("order_id")), order.get("tracking_number"), now_local()))
            record_report(db, row, self.source, "accepted", occurred_at=now_local(),
                          tracking_number=order.get("tracking_number"), note="Đã tạo đơn tại đơn vị vận chuyển.")
        log.info("order_created shipment=%s order=%s", pickup["shipment_id"], order.get("order_id"))

    def on_cancellation(self, event: dict) -> None:
        data = event["data"]
        known = self.state.shipment(data["shipment_id"])
        if known is not None and known["state"] == "ordered":
            try:
                self._with_retries(lambda: self.operator.cancel_order(known["order_id"], data["shipment_id"],
                                                                      data.get("reason")))
            except Refused as exc:  # e.g. already picked up: the operator's callbacks tell the rest
                log.warning("cancel_refused shipment=%s status=%s", data["shipment_id"], exc.status)
                return
        with self.state.transaction() as db:
            # Also when the cancellation overtook its pickup: the pickup that follows is then ignored.
            db.execute("INSERT INTO shipments (shipment_id, dossier_code, state, updated_at) "
                       "VALUES (?, ?, 'cancelled', ?) ON CONFLICT(shipment_id) DO UPDATE SET state = 'cancelled', "
                       "updated_at = excluded.updated_at", (data["shipment_id"], data["dossier_code"], now_local()))
        log.info("pickup_cancelled shipment=%s", data["shipment_id"])

    def run(self) -> int:
        backoff = 1.0
        while not self.stopping:
            try:
                self._run_connected()
                backoff = 1.0
            except (AuthenticationError, ProbableAuthenticationError, ProbableAccessDeniedError) as exc:
                log.error("broker_refused_login error=%s", type(exc).__name__)  # retrying will not help
                return 2
            except ChannelClosedByBroker as exc:
                if exc.reply_code in (403, 404):
                    log.error("broker_refused code=%s text=%s", exc.reply_code, exc.reply_text)
                    return 2
                log.warning("channel_closed code=%s text=%s", exc.reply_code, exc.reply_text)
            except (AMQPConnectionError, AMQPError, OSError) as exc:
                log.warning("connection_lost error=%s retry_in=%.0fs", type(exc).__name__, backoff)
            if not self.stopping:
                time.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
        return 0

    def _run_connected(self) -> None:
        self.connection = pika.BlockingConnection(connection_parameters(self.url))
        try:
            consumer = self.connection.channel()
            consumer.queue_declare(QUEUE, passive=True)  # check only: this user may not declare anything
            consumer.basic_qos(prefetch_count=5)
            self.publisher = self.connection.channel()
            self.publisher.confirm_delivery()
            consumer.basic_consume(QUEUE, self.on_message)
            log.info("bridge_started queue=%s", QUEUE)
            while not self.stopping:
                self.connection.process_data_events(time_limit=0.2)
                self.flush_reports()  # the callbacks' reports too: the HTTP threads only store them
        finally:
            if self.connection.is_open:
                try:
                    self.connection.close()
                except AMQPError:
                    pass


def main() -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("pika").setLevel(logging.CRITICAL)  # its failures are reported in one line each
    environ = os.environ
    secret = environ.get("OPERATOR_CALLBACK_SECRET", "")
    if len(secret) < 32:
        print("postal_http_bridge: OPERATOR_CALLBACK_SECRET must be set, at least 32 characters", file=sys.stderr)
        return 2
    if not environ.get("OPERATOR_API_URL"):
        print("postal_http_bridge: OPERATOR_API_URL must be set", file=sys.stderr)
        return 2
    state = State(environ.get("BRIDGE_STATE", "postal_http_bridge.sqlite3"))
    source = environ.get("BRIDGE_SOURCE", "/partners/http-operator")
    operator = OperatorClient(environ["OPERATOR_API_URL"], environ.get("OPERATOR_API_TOKEN", ""),
                              float(environ.get("OPERATOR_TIMEOUT_SECONDS", "10")))
    bridge = Bridge(broker_url(environ), state, operator, source, int(environ.get("OPERATOR_RETRIES", "5")))
    server = callback_server(environ.get("BRIDGE_LISTEN", "127.0.0.1:8470"), state, source, secret)
    threading.Thread(target=server.serve_forever, name="callbacks", daemon=True).start()
    log.info("callbacks_listening address=%s:%s", *server.server_address[:2])

    def stop(_signum, _frame):
        bridge.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        return bridge.run()
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
