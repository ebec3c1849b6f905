#!/usr/bin/env python3
"""Reference client of the postal partner: the pickup queue in, progress reports out.

A partner (Vietnam Post, or any carrier) integrates with motcua through two broker objects
(docs/contracts.md §4.2): it consumes queue `postal.pickups` and publishes its reports to exchange
`postal.partner` with routing key `status`. This program does both, correctly under at-least-once
delivery, and is meant to be copied and adapted. It needs Python 3.10+ and pika, nothing else.

    python postal_partner.py run                  # accept each pickup, print a work order per line
    python postal_partner.py run --simulate       # also walk each shipment to delivered by itself
    python postal_partner.py report SH-7d1e2f delivered --tracking-number EB123456789VN
    python postal_partner.py --clock-offset 2019-06-28T08:00:00+07:00 run --simulate   # a motcua on another date

How it stays correct (README.md explains it for people):
- it declares nothing (its broker user may not): the queue is checked with a passive declare;
- a pickup is acknowledged only after it is stored in the local state file (SQLite), so a crash
  redelivers it instead of losing it, and a pickup seen before (motcua announces a shipment again
  while it is not accepted) is recognised by its shipment_id;
- a cancellation that overtakes its pickup is remembered, so the late pickup is ignored;
- every report is written to the state file before it is published, published with publisher
  confirms, and marked sent only once the broker confirmed it: a report is never lost, and a
  report sent again keeps its event id, so motcua applies it once.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import signal
import sqlite3
import ssl
import sys
import time
import urllib.parse
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

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
STATUSES = ("accepted", "picked_up", "delivered", "failed", "returned")

log = logging.getLogger("postal_partner")


# -- configuration ---------------------------------------------------------------------------------
# The district's broker: AMQPS on 5671 with this partner's client certificate, vhost `motcua` (the
# compose stack's). A broker of `make run` is plain amqp://...:5672/%2F.
DEFAULT_URL = "amqps://postal_partner@127.0.0.1:5671/motcua"


def broker_url() -> str:
    """POSTAL_PARTNER_AMQP_URL with the password from POSTAL_PARTNER_PASSWORD (kept out of the URL)."""
    url = os.environ.get("POSTAL_PARTNER_AMQP_URL", DEFAULT_URL)
    parts = urllib.parse.urlsplit(url)
    password = os.environ.get("POSTAL_PARTNER_PASSWORD")
    if password and parts.password is None:
        user = parts.username or "postal_partner"
        netloc = f"{user}:{urllib.parse.quote(password, safe='')}@{parts.hostname}"
        if parts.port:
            netloc += f":{parts.port}"
        url = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return url


def tls_options(url: str, environ=os.environ) -> pika.SSLOptions | None:
    """For an amqps:// URL: the broker's certificate verified against POSTAL_PARTNER_CA_FILE (the
    district's CA; empty: the system's CAs) and its host name, and this partner's client certificate
    POSTAL_PARTNER_CERT_FILE with its key POSTAL_PARTNER_KEY_FILE, which the broker demands."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "amqps":
        return None
    context = ssl.create_default_context(cafile=environ.get("POSTAL_PARTNER_CA_FILE") or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    cert = environ.get("POSTAL_PARTNER_CERT_FILE")
    if cert:
        context.load_cert_chain(cert, environ.get("POSTAL_PARTNER_KEY_FILE") or None)
    return pika.SSLOptions(context, server_hostname=parts.hostname)


def connection_parameters(url: str) -> pika.URLParameters:
    params = pika.URLParameters(url)
    params.ssl_options = tls_options(url)
    params.heartbeat = 30
    params.blocked_connection_timeout = 60
    params.client_properties = {"connection_name": "postal partner reference client"}
    return params


# -- local state: what we were asked to carry, and what we reported --------------------------------
SCHEMA = """
CREATE TABLE IF NOT EXISTS shipments (
    shipment_id TEXT PRIMARY KEY,
    dossier_code TEXT,
    correlation_id TEXT,
    request TEXT,               -- the pickup request's data (JSON); NULL if only its cancellation came
    state TEXT NOT NULL,        -- new, accepted, picked_up, delivered, failed, returned, cancelled
    next_status TEXT,           -- simulation: what to report next, and when (epoch seconds)
    next_at REAL,
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
    def __init__(self, path: str):
        self.db = sqlite3.connect(path, isolation_level=None)  # explicit transactions below
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)

    @contextmanager
    def transaction(self):
        """One transaction; nested uses join the outer one."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def shipment(self, shipment_id: str):
        return self.db.execute("SELECT * FROM shipments WHERE shipment_id = ?", (shipment_id,)).fetchone()

    def last_report(self, shipment_id: str):
        return self.db.execute("SELECT * FROM reports WHERE shipment_id = ? ORDER BY created_at DESC, rowid DESC "
                               "LIMIT 1", (shipment_id,)).fetchone()

    def unsent_reports(self) -> list:
        return self.db.execute("SELECT * FROM reports WHERE sent = 0 ORDER BY created_at, rowid").fetchall()

    def due_steps(self, now: float) -> list:
        return self.db.execute("SELECT * FROM shipments WHERE next_at IS NOT NULL AND next_at <= ? "
                               "ORDER BY next_at", (now,)).fetchall()


# -- events ------------------------------------------------------------------------------------------
@dataclass
class Options:
    source: str
    simulate: bool = False
    step_seconds: float = 5.0
    fail_rate: float = 0.0
    ignore_rate: float = 0.0
    duplicates: bool = False
    seed: str = "motcua"


# Seconds added to this machine's clock in every time we write (`--clock-offset`): 0 in production;
# a demonstration or a test whose motcua lives on another date sets it so our reports are not "from the
# future" (or from before the pickup) on motcua's clock, which would dead-letter them.
clock_offset = timedelta(0)


def parse_clock_offset(text: str) -> timedelta:
    """Seconds (`-233280000`, `3600.5`), or the RFC 3339 instant that "now" should be (with an offset)."""
    try:
        return timedelta(seconds=float(text))
    except ValueError:
        pass
    try:
        wanted = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected seconds or an RFC 3339 instant such as "
                                         "2019-06-28T08:00:00+07:00") from None
    if wanted.tzinfo is None:
        raise argparse.ArgumentTypeError("the instant needs an offset, e.g. 2019-06-28T08:00:00+07:00")
    return timedelta(seconds=round((wanted - datetime.now(timezone.utc)).total_seconds()))


def now_local() -> str:
    return (datetime.now(VIETNAM) + clock_offset).isoformat(timespec="seconds")


def status_event(options: Options, shipment, status: str, *, occurred_at: str, tracking_number: str | None,
                 note: str | None) -> dict:
    return {
        "specversion": "1.0", "id": str(uuid.uuid4()), "source": options.source, "type": STATUS_REPORTED,
        "time": now_local(), "subject": shipment["dossier_code"], "datacontenttype": "application/json",
        "correlationid": shipment["correlation_id"] or str(uuid.uuid4()),
        "data": {"shipment_id": shipment["shipment_id"], "status": status, "occurred_at": occurred_at,
                 "tracking_number": tracking_number, "note": note},
    }


def tracking_number_for(shipment_id: str) -> str:
    """A stable item code per shipment (a real partner uses its own numbering, e.g. EB123456789VN)."""
    return "EB" + str(int(uuid.uuid5(uuid.NAMESPACE_URL, shipment_id)) % 10**9).zfill(9) + "VN"


class BadMessage(ValueError):
    pass


def parse(body: bytes) -> dict:
    try:
        event = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadMessage(f"not UTF-8 JSON ({type(exc).__name__})") from None
    if not isinstance(event, dict) or not isinstance(event.get("data"), dict):
        raise BadMessage("not a CloudEvent with data")
    if event.get("type") not in (PICKUP_REQUESTED, PICKUP_CANCELLED):
        raise BadMessage(f"unexpected type {event.get('type')!r}")
    data = event["data"]
    required = ("shipment_id", "dossier_code") + (
        ("direction", "pickup", "delivery", "cod_amount_vnd", "requested_at", "deliver_by")
        if event["type"] == PICKUP_REQUESTED else ("cancelled_at",))
    missing = [name for name in required if name not in data]
    if missing:
        raise BadMessage(f"data lacks {missing}")
    return event


# -- the client ------------------------------------------------------------------------------------
class PartnerClient:
    def __init__(self, url: str, state: State, options: Options):
        self.url = url
        self.state = state
        self.options = options
        self.stopping = False
        self.connection = None
        self.publisher = None

    # Reports: stored first, then published with confirms, then marked sent.
    def record_report(self, shipment, status: str, *, occurred_at: str | None = None,
                      tracking_number: str | None = None, note: str | None = None, next_status: str | None = None,
                      next_at: float | None = None) -> None:
        event = status_event(self.options, shipment, status, occurred_at=occurred_at or now_local(),
                             tracking_number=tracking_number, note=note)
        copies = [event]
        if self.options.duplicates:  # simulation: exercise motcua's tolerance of repeated reports
            copies.append({**event, "id": str(uuid.uuid4())})
        db = self.state.db
        with self.state.transaction():
            for copy in copies:
                db.execute("INSERT INTO reports (event_id, shipment_id, status, body, created_at) "
                           "VALUES (?, ?, ?, ?, ?)", (copy["id"], shipment["shipment_id"], status,
                                                      json.dumps(copy, ensure_ascii=False).encode(), time.time()))
            db.execute("UPDATE shipments SET state = ?, next_status = ?, next_at = ? WHERE shipment_id = ?",
                       (status, next_status, next_at, shipment["shipment_id"]))

    def resend(self, report) -> None:
        """Mark an already-sent report for sending again, under the same event id (motcua dedupes on it)."""
        self.state.db.execute("UPDATE reports SET sent = 0 WHERE event_id = ?", (report["event_id"],))

    def flush_reports(self) -> None:
        for report in self.state.unsent_reports():
            self.publisher.basic_publish(
                EXCHANGE, ROUTING_KEY, report["body"], mandatory=True,
                properties=pika.BasicProperties(content_type=CONTENT_TYPE, delivery_mode=pika.DeliveryMode.Persistent,
                                                message_id=report["event_id"], type=STATUS_REPORTED,
                                                timestamp=int(time.time())))
            # basic_publish on a confirm channel returns once the broker confirmed (it raises if the
            # report was refused or could not be routed): only now is it safe to mark it sent.
            self.state.db.execute("UPDATE reports SET sent = 1 WHERE event_id = ?", (report["event_id"],))
            log.info("report_sent shipment=%s status=%s event=%s", report["shipment_id"], report["status"],
                     report["event_id"])

    # Pickups and cancellations.
    def on_message(self, channel, method, properties, body) -> None:
        try:
            event = parse(body)
        except BadMessage as exc:
            # Our user cannot own a dead-letter queue: log it for the operator and drop it.
            log.error("message_rejected reason=%s message_id=%s", exc, properties.message_id)
            channel.basic_reject(method.delivery_tag, requeue=False)
            return
        with self.state.transaction():  # the pickup and our answer to it are stored together
            if event["type"] == PICKUP_REQUESTED:
                self.on_pickup(event)
            else:
                self.on_cancellation(event)
        channel.basic_ack(method.delivery_tag)  # after the state file holds what the event meant

    def on_pickup(self, event: dict) -> None:
        data = event["data"]
        known = self.state.shipment(data["shipment_id"])
        if known is not None:
            # Announced again: motcua has not seen our acceptance yet. Send our last report again.
            last = self.state.last_report(data["shipment_id"])
            if last is not None and known["state"] != "cancelled":
                self.resend(last)
            log.info("pickup_repeated shipment=%s state=%s", data["shipment_id"], known["state"])
            return
        self.state.db.execute(
            "INSERT INTO shipments (shipment_id, dossier_code, correlation_id, request, state, received_at) "
            "VALUES (?, ?, ?, ?, 'new', ?)", (data["shipment_id"], data["dossier_code"], event.get("correlationid"),
                                              json.dumps(data, ensure_ascii=False), now_local()))
        shipment = self.state.shipment(data["shipment_id"])
        log.info("pickup_received shipment=%s direction=%s", data["shipment_id"], data["direction"])
        if self.options.simulate:
            self.simulate_accept(shipment)
        else:
            # A real partner hands the work order to its dispatch system here; this client prints it.
            print(json.dumps({"work_order": data}, ensure_ascii=False), flush=True)
            self.record_report(shipment, "accepted", note="Đã tiếp nhận yêu cầu.")

    def on_cancellation(self, event: dict) -> None:
        data = event["data"]
        known = self.state.shipment(data["shipment_id"])
        if known is None:
            # The cancellation overtook its pickup: remember it, so the pickup is ignored when it comes.
            self.state.db.execute(
                "INSERT INTO shipments (shipment_id, dossier_code, correlation_id, state, received_at) "
                "VALUES (?, ?, ?, 'cancelled', ?)", (data["shipment_id"], data["dossier_code"],
                                                     event.get("correlationid"), now_local()))
        elif known["state"] in ("new", "accepted"):
            self.state.db.execute("UPDATE shipments SET state = 'cancelled', next_status = NULL, next_at = NULL "
                                  "WHERE shipment_id = ?", (data["shipment_id"],))
        else:
            log.warning("cancellation_too_late shipment=%s state=%s", data["shipment_id"], known["state"])
            return
        log.info("pickup_cancelled shipment=%s", data["shipment_id"])

    # Simulation: accepted → picked_up → delivered, or failed → returned, or never accepted.
    def _chance(self, shipment_id: str, what: str) -> float:
        return random.Random(f"{self.options.seed}:{what}:{shipment_id}").random()

    def simulate_accept(self, shipment) -> None:
        if self._chance(shipment["shipment_id"], "ignore") < self.options.ignore_rate:
            log.info("simulation_ignores shipment=%s", shipment["shipment_id"])
            return
        self.record_report(shipment, "accepted", note="Đã tiếp nhận yêu cầu.", next_status="picked_up",
                           next_at=time.time() + self.options.step_seconds)

    def simulate_due_steps(self) -> None:
        for shipment in self.state.due_steps(time.time()):
            status = shipment["next_status"]
            fails = self._chance(shipment["shipment_id"], "fail") < self.options.fail_rate
            after = {"picked_up": "failed" if fails else "delivered", "failed": "returned"}.get(status)
            note = {"failed": "Người nhận vắng nhà, đã liên hệ không được.",
                    "returned": "Đã chuyển hoàn về nơi gửi."}.get(status)
            self.record_report(shipment, status, tracking_number=tracking_number_for(shipment["shipment_id"]),
                               note=note, next_status=after,
                               next_at=time.time() + self.options.step_seconds if after else None)

    # The loop.
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
                if exc.reply_code in (403, 404):  # not allowed, or not there: retrying will not help
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
            consumer.basic_qos(prefetch_count=20)
            self.publisher = self.connection.channel()
            self.publisher.confirm_delivery()
            consumer.basic_consume(QUEUE, self.on_message)
            log.info("partner_started queue=%s simulate=%s clock_offset_s=%.0f", QUEUE, self.options.simulate,
                     clock_offset.total_seconds())
            while not self.stopping:
                self.connection.process_data_events(time_limit=0.2)
                if self.options.simulate:
                    self.simulate_due_steps()
                self.flush_reports()
        finally:
            if self.connection.is_open:
                try:
                    self.connection.close()
                except AMQPError:
                    pass

    def stop(self, *_args) -> None:
        self.stopping = True


def report_once(url: str, state: State, options: Options, args) -> int:
    """`report`: tell motcua one status by hand (e.g. from a dispatcher's console)."""
    client = PartnerClient(url, state, options)
    with state.transaction():
        if state.shipment(args.shipment_id) is None:  # a shipment this state file never saw
            state.db.execute("INSERT INTO shipments (shipment_id, state, received_at) VALUES (?, 'new', ?)",
                             (args.shipment_id, now_local()))
        client.record_report(state.shipment(args.shipment_id), args.status,
                             occurred_at=args.occurred_at or now_local(), tracking_number=args.tracking_number,
                             note=args.note)
    connection = pika.BlockingConnection(connection_parameters(url))
    try:
        client.publisher = connection.channel()
        client.publisher.confirm_delivery()
        client.flush_reports()
    finally:
        connection.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reference client of motcua's postal partner contract.")
    parser.add_argument("--state", default=os.environ.get("POSTAL_PARTNER_STATE", "postal_partner_state.sqlite3"),
                        help="SQLite file with the shipments seen and the reports sent (default %(default)s)")
    parser.add_argument("--source", default=os.environ.get("POSTAL_PARTNER_SOURCE", "/partners/vnpost"),
                        help="CloudEvents `source` of the reports (default %(default)s)")
    parser.add_argument("--clock-offset", type=parse_clock_offset, metavar="SECONDS|INSTANT",
                        default=os.environ.get("POSTAL_PARTNER_CLOCK_OFFSET", "0"),
                        help="shift every time we write (report `time`, `occurred_at` by default): seconds to "
                             "add to this machine's clock, or the RFC 3339 instant \"now\" should be, e.g. "
                             "2019-06-28T08:00:00+07:00 (POSTAL_PARTNER_CLOCK_OFFSET; default 0, keep 0 in "
                             "production). For a motcua whose MOTCUA_CLOCK_OFFSET_SECONDS is not 0, give the same "
                             "number of seconds.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="consume postal.pickups and report progress")
    run.add_argument("--simulate", action="store_true",
                     help="walk each shipment through accepted → picked_up → delivered by itself")
    run.add_argument("--step-seconds", type=float, default=5.0, help="simulation: time between two statuses")
    run.add_argument("--fail-rate", type=float, default=0.0,
                     help="simulation: share of shipments whose delivery fails (then returned), 0..1")
    run.add_argument("--ignore-rate", type=float, default=0.0,
                     help="simulation: share of pickups never accepted (motcua announces them again), 0..1")
    run.add_argument("--duplicates", action="store_true", help="simulation: send every report twice")
    run.add_argument("--seed", default="motcua", help="simulation: which shipments fail or are ignored")
    report = sub.add_parser("report", help="send one status report")
    report.add_argument("shipment_id")
    report.add_argument("status", choices=STATUSES)
    report.add_argument("--occurred-at", help="RFC 3339 with offset (default: now)")
    report.add_argument("--tracking-number")
    report.add_argument("--note")
    args = parser.parse_args(argv)
    global clock_offset
    clock_offset = args.clock_offset

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("pika").setLevel(logging.CRITICAL)  # its failures are reported below, in one line
    state = State(args.state)
    url = broker_url()
    if args.command == "report":
        return report_once(url, state, Options(source=args.source), args)
    options = Options(source=args.source, simulate=args.simulate, step_seconds=args.step_seconds,
                      fail_rate=args.fail_rate, ignore_rate=args.ignore_rate, duplicates=args.duplicates,
                      seed=args.seed)
    client = PartnerClient(url, state, options)
    signal.signal(signal.SIGTERM, client.stop)
    signal.signal(signal.SIGINT, client.stop)
    return client.run()


if __name__ == "__main__":
    sys.exit(main())
