#!/usr/bin/env python3
"""A reference province routing handler for motcua (docs/contracts.md §4.1): start from it.

It logs in as the broker user `province_routing`, declares its own queue `province-routing.steps`,
binds it to the exchange `routing.steps` with `step.<pattern>` for the unit paths the province
handles (PROVINCE_UNITS, default `14`: the provincial departments of Sơn La), and answers every
`vn.motcua.routing.step.assigned` with a `vn.motcua.routing.step.completed` on the exchange
`routing.step-results`, routing key = the step's `reply_to`. A `vn.motcua.routing.step.cancelled`
(the dossier was withdrawn) means: stop, and never answer that step.

Reliability, the same rules the district's services follow:
- manual acknowledgements: a step is acknowledged only after its answer is confirmed by the broker
  (publisher confirms, `mandatory`), so a crash at any point re-delivers the step, never loses it;
- idempotent on step_id: the answer is written to a local SQLite file before it is published; a step
  delivered again is answered with the very same event (same id), or not at all if that one was
  confirmed; a step cancelled before it arrived is never answered;
- a message that is not a well-formed step goes to `province-routing.steps.dlq` with no retry.

Only the standard library and pika. Settings (environment):

    PROVINCE_AMQP_URL   amqps://province_routing:<password>@host:5671/motcua (the district's broker; default
                        on 127.0.0.1; amqp://...:5672/%2F for a broker of `make run`)
    PROVINCE_CA_FILE    the district's CA, which signs the broker's certificate (empty: the system's CAs)
    PROVINCE_CERT_FILE, PROVINCE_KEY_FILE   the province's client certificate and key: the broker's
                        AMQPS port refuses a client without one
    PROVINCE_UNITS      comma-separated topic patterns over unit paths (default "14")
    PROVINCE_QUEUE      the queue's name, must start with "province-routing." (default province-routing.steps)
    PROVINCE_STATE      the SQLite state file (default province_routing.sqlite3)
    PROVINCE_DECISION   what `decide` answers: approved (default), rejected or supplement_required
    PROVINCE_SOURCE     CloudEvents `source` of the answers (default /province/14/routing)

Run: `python province_routing.py`. Stop with Ctrl-C or SIGTERM (the step in hand is finished first).
"""
from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import ssl
import sys
import time
import urllib.parse
import uuid
from datetime import datetime, timezone

import pika
from pika.exceptions import AMQPError, UnroutableError

STEPS_EXCHANGE = "routing.steps"
RESULTS_EXCHANGE = "routing.step-results"
STEP_ASSIGNED = "vn.motcua.routing.step.assigned"
STEP_CANCELLED = "vn.motcua.routing.step.cancelled"
STEP_COMPLETED = "vn.motcua.routing.step.completed"
CONTENT_TYPE = "application/cloudevents+json"
DEAD_LETTERS = "province-routing.dlx"

log = logging.getLogger("province_routing")


# -- the province's decision: replace this with the province's own work ----------------------------
NOTES = {"rejected": "Hồ sơ không đủ điều kiện giải quyết theo quy định.",
         "supplement_required": "Đề nghị bổ sung bản sao giấy tờ còn thiếu."}


def decide(step: dict) -> tuple[str, str | None]:
    """The outcome of a step and its note (required unless approved).

    A province plugs its own processing in here: queue the step in its document system, let its
    officers work, and answer when they are done (then answer from that system, keeping the rules
    of `Handler.answer`). The reference answers at once with PROVINCE_DECISION.
    """
    outcome = os.environ.get("PROVINCE_DECISION", "approved")
    return outcome, NOTES.get(outcome)


# -- state: which steps were answered, with what ----------------------------------------------------
class State:
    def __init__(self, path: str):
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS steps (step_id TEXT PRIMARY KEY, status TEXT NOT NULL, "
                        "answer TEXT, published INTEGER NOT NULL DEFAULT 0)")

    def get(self, step_id: str) -> tuple[str, str | None, bool] | None:
        row = self.db.execute("SELECT status, answer, published FROM steps WHERE step_id = ?", (step_id,)).fetchone()
        return None if row is None else (row[0], row[1], bool(row[2]))

    def answered(self, step_id: str, answer: str) -> None:
        self.db.execute("INSERT INTO steps (step_id, status, answer) VALUES (?, 'answered', ?)", (step_id, answer))

    def published(self, step_id: str) -> None:
        self.db.execute("UPDATE steps SET published = 1 WHERE step_id = ?", (step_id,))

    def cancelled(self, step_id: str) -> None:
        self.db.execute("INSERT INTO steps (step_id, status) VALUES (?, 'cancelled') "
                        "ON CONFLICT(step_id) DO UPDATE SET status = 'cancelled'", (step_id,))


class BadMessage(ValueError):
    pass


def parse(body: bytes) -> dict:
    try:
        event = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadMessage("not UTF-8 JSON") from None
    if not isinstance(event, dict) or event.get("specversion") != "1.0" or not isinstance(event.get("data"), dict):
        raise BadMessage("not a CloudEvent")
    needed = {STEP_ASSIGNED: ("step_id", "dossier_code", "reply_to"),
              STEP_CANCELLED: ("step_id",)}.get(event.get("type"))
    if needed is None or not all(isinstance(event["data"].get(key), str) for key in needed):
        raise BadMessage(f"not a step: type {event.get('type')!r}")
    return event


DEFAULT_URL = "amqps://province_routing@127.0.0.1:5671/motcua"


def tls_options(url: str, environ=os.environ) -> pika.SSLOptions | None:
    """For an amqps:// URL: the broker's certificate and host name verified against PROVINCE_CA_FILE,
    and the province's client certificate (PROVINCE_CERT_FILE, PROVINCE_KEY_FILE) presented."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "amqps":
        return None
    context = ssl.create_default_context(cafile=environ.get("PROVINCE_CA_FILE") or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if environ.get("PROVINCE_CERT_FILE"):
        context.load_cert_chain(environ["PROVINCE_CERT_FILE"], environ.get("PROVINCE_KEY_FILE") or None)
    return pika.SSLOptions(context, server_hostname=parts.hostname)


class Handler:
    def __init__(self, url: str, patterns: list[str], queue: str, state: State, source: str):
        self.url, self.patterns, self.queue, self.state, self.source = url, patterns, queue, state, source
        self.stopping = False

    def run(self) -> None:
        delay = 0.5
        while not self.stopping:
            try:
                self._serve()
                delay = 0.5
            except AMQPError as exc:
                log.warning("connection lost (%s); reconnecting in %.1fs", type(exc).__name__, delay)
                time.sleep(delay)
                delay = min(delay * 2, 30)

    def _serve(self) -> None:
        params = pika.URLParameters(self.url)
        params.ssl_options = tls_options(self.url)
        params.heartbeat = 30
        params.client_properties = {"connection_name": "province routing"}
        connection = pika.BlockingConnection(params)
        try:
            channel = connection.channel()
            channel.exchange_declare(DEAD_LETTERS, "direct", durable=True)
            channel.queue_declare(self.queue + ".dlq", durable=True, arguments={"x-queue-type": "quorum"})
            channel.queue_bind(self.queue + ".dlq", DEAD_LETTERS, routing_key=self.queue)
            channel.queue_declare(self.queue, durable=True, arguments={
                "x-queue-type": "quorum", "x-dead-letter-exchange": DEAD_LETTERS,
                "x-dead-letter-routing-key": self.queue})
            for pattern in self.patterns:  # the exchange is the district's: bound to, never declared
                channel.queue_bind(self.queue, STEPS_EXCHANGE, routing_key=f"step.{pattern}")
            channel.basic_qos(prefetch_count=20)
            publisher = connection.channel()
            publisher.confirm_delivery()
            channel.basic_consume(self.queue, lambda ch, method, props, body: self._on_message(
                connection, ch, publisher, method, body))
            log.info("handling steps %s on queue %s", ", ".join(f"step.{p}" for p in self.patterns), self.queue)
            while not self.stopping:
                connection.process_data_events(time_limit=0.5)
        finally:
            if connection.is_open:
                connection.close()

    def _on_message(self, connection, channel, publisher, method, body: bytes) -> None:
        try:
            event = parse(body)
        except BadMessage as exc:
            log.error("dead-lettering a message: %s", exc)
            channel.basic_reject(method.delivery_tag, requeue=False)
            return
        step = event["data"]
        if event["type"] == STEP_CANCELLED:
            self.state.cancelled(step["step_id"])
            log.info("step %s of %s cancelled", step["step_id"], step.get("dossier_code"))
            channel.basic_ack(method.delivery_tag)
            return
        known = self.state.get(step["step_id"])
        if known and (known[0] == "cancelled" or known[2]):
            channel.basic_ack(method.delivery_tag)  # cancelled, or answered and confirmed: nothing to do
            return
        answer = known[1] if known else self.answer(event)
        try:
            publisher.basic_publish(RESULTS_EXCHANGE, step["reply_to"], answer.encode("utf-8"), mandatory=True,
                                    properties=pika.BasicProperties(
                                        content_type=CONTENT_TYPE, delivery_mode=2, type=STEP_COMPLETED,
                                        message_id=json.loads(answer)["id"],
                                        correlation_id=event.get("correlationid")))
        except UnroutableError:
            # No answer queue is bound to reply_to yet: keep the step and try again later.
            log.warning("answer to %s is unroutable; retrying", step["reply_to"])
            connection.sleep(5)
            channel.basic_nack(method.delivery_tag, requeue=True)
            return
        self.state.published(step["step_id"])
        channel.basic_ack(method.delivery_tag)

    def answer(self, event: dict) -> str:
        """Decide, then store the answer before publishing it: a repeat publishes the same event."""
        step = event["data"]
        outcome, note = decide(step)
        answer = json.dumps({
            "specversion": "1.0", "id": str(uuid.uuid4()), "source": self.source, "type": STEP_COMPLETED,
            "time": datetime.now(timezone.utc).isoformat(), "subject": step["dossier_code"],
            "datacontenttype": "application/json", "correlationid": event.get("correlationid") or str(uuid.uuid4()),
            "causationid": event.get("id"),
            # W3C trace context, when the step carries one: the answer appears in the dossier's trace.
            **{name: event[name] for name in ("traceparent", "tracestate") if isinstance(event.get(name), str)},
            "data": {"step_id": step["step_id"], "dossier_code": step["dossier_code"], "outcome": outcome,
                     "completed_at": datetime.now(timezone.utc).isoformat(),
                     "handled_by": step.get("agency_name") or "Cơ quan cấp tỉnh", "note": note},
        }, ensure_ascii=False)
        self.state.answered(step["step_id"], answer)
        log.info("step %s of %s (%s at %s): %s", step["step_id"], step["dossier_code"], step.get("action"),
                 step.get("unit_path"), outcome)
        return answer


def main() -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("pika").setLevel(logging.WARNING)
    queue = os.environ.get("PROVINCE_QUEUE", "province-routing.steps")
    if not queue.startswith("province-routing."):
        raise SystemExit("PROVINCE_QUEUE must start with 'province-routing.' (the broker user's permissions)")
    if os.environ.get("PROVINCE_DECISION", "approved") not in ("approved", "rejected", "supplement_required"):
        raise SystemExit("PROVINCE_DECISION must be approved, rejected or supplement_required")
    handler = Handler(
        url=os.environ.get("PROVINCE_AMQP_URL", DEFAULT_URL),
        patterns=[p.strip() for p in os.environ.get("PROVINCE_UNITS", "14").split(",") if p.strip()],
        queue=queue, state=State(os.environ.get("PROVINCE_STATE", "province_routing.sqlite3")),
        source=os.environ.get("PROVINCE_SOURCE", "/province/14/routing"))

    def stop(_signum, _frame):
        handler.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    handler.run()
    log.info("stopped")


if __name__ == "__main__":
    main()
