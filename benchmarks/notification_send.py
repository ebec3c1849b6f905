#!/usr/bin/env python
"""Messages the notification service sends per second to local sinks, with its real worker running.

    .venv/bin/python benchmarks/notification_send.py [--events N] [--concurrency C] [--batch B] [--json]

Each run gets a fresh vhost (rabbitmqctl), a fresh PostgreSQL database for notification (copied from a
migrated template by the test harness) and the development sinks of `make run` (an aiosmtpd mail
catcher and the HTTP SMS gateway stand-in) on free local ports, in this process. Every dossier has its
own phone and e-mail, so the per-recipient hourly limit never applies; quiet hours are off.

1. delivery: N dossier.received notices are written into the ledger first (through the real handlers,
   2N messages: one SMS and one e-mail each), then the worker starts; the clock runs from the first
   message reaching a sink to the last. This is the sending side alone: claim, provider call, record.
2. end to end: with the worker running, N dossier.received events are published on intake.events
   (publisher confirms) and the clock runs from the first publish to the 2N-th message at the sinks:
   consume, render, write the ledger, claim, send, record.

Everything it creates is removed at the end, also on Ctrl-C. Only 127.0.0.1 is contacted.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AMQP = "amqp://guest:guest@127.0.0.1:5672/{vhost}"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEADLINE_SECONDS = 600


class BenchmarkError(RuntimeError):
    pass


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000, help="dossiers per phase (2 messages each)")
    parser.add_argument("--concurrency", type=int, default=None, help="NOTIFICATION_DELIVERY_CONCURRENCY")
    parser.add_argument("--batch", type=int, default=None, help="NOTIFICATION_DELIVERY_BATCH")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    return parser.parse_args(argv)


def received_events(count: int, first: int = 0):
    """dossier.received events of `count` dossiers, each with its own phone and e-mail, as intake sends them."""
    import copy

    from motcua_shared.events import new_event, registry
    from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

    now = datetime.now(timezone.utc)
    events = []
    for n in range(first, first + count):
        data = copy.deepcopy(registry.get(DOSSIER_RECEIVED).example)
        code = f"H52.04222-{now:%y%m%d}-{n:04d}"
        data.update(code=code, received_at=(now - timedelta(minutes=5)).isoformat(),
                    due_at=(now + timedelta(days=3)).isoformat())
        data["applicant"].update(phone=f"09{n:08d}", email=f"citizen{n}@example.vn")
        events.append(new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=data, subject=code))
    return events


def publish(amqp_url: str, events) -> None:
    import pika

    from motcua_shared.events import CONTENT_TYPE

    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for event in events:
            channel.basic_publish("intake.events", event.type, event.to_json(), mandatory=True,
                                  properties=pika.BasicProperties(content_type=CONTENT_TYPE, delivery_mode=2,
                                                                  message_id=event.id, type=event.type,
                                                                  correlation_id=event.correlationid))
    finally:
        connection.close()


class Arrivals:
    """Watches the sinks: when the first and the last of `expected` messages arrived."""

    def __init__(self, sinks, expected: int):
        self.sinks, self.expected = sinks, expected
        self.base = sinks.sms.total + sinks.mails.total

    def count(self) -> int:
        return self.sinks.sms.total + self.sinks.mails.total - self.base

    def wait(self, deadline: float, worker) -> tuple[float, float]:
        first = None
        while True:
            got = self.count()
            if got and first is None:
                first = time.monotonic()
            if got >= self.expected:
                return first, time.monotonic()
            if worker.popen.poll() is not None:
                raise BenchmarkError(f"the worker exited with {worker.popen.returncode}")
            if time.monotonic() > deadline:
                raise BenchmarkError(f"timed out: {got}/{self.expected} messages at the sinks")
            time.sleep(0.005)


def settled(runtime, deadline: float) -> dict[str, int]:
    """The ledger's statuses once every message is recorded (the sink can hear of one before the ledger)."""
    from sqlalchemy import func, select

    from motcua_notification.models import messages

    while True:
        with runtime.engine.connect() as conn:
            statuses = dict(conn.execute(select(messages.c.status, func.count()).group_by(messages.c.status)).all())
        if set(statuses) == {"delivered"} or time.monotonic() > deadline:
            return statuses
        time.sleep(0.05)


def run(args) -> dict:
    sys.path.insert(0, str(ROOT / "tests"))  # the harness: motcua_testing
    from motcua_shared.broker.admin import RabbitmqctlAdmin
    from motcua_shared.broker.permissions import Permission
    from motcua_shared.broker.setup import declare_system
    from motcua_shared.events import parse
    from motcua_shared.service import Runtime
    from motcua_shared.settings import load
    from sqlalchemy import func, select

    from motcua_notification.devsinks import DevSinks
    from motcua_notification.handlers import handlers
    from motcua_notification.models import messages
    from motcua_notification.options import Options
    from motcua_notification.service import SPEC
    from motcua_testing.databases import DatabaseFactory
    from motcua_testing.processes import ProcessGroup
    from motcua_testing.system import RETRY_DELAYS

    def free_port() -> int:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    if not RabbitmqctlAdmin.available():
        raise BenchmarkError("rabbitmqctl is not on PATH: the benchmark needs it to create its vhost")
    deadline = time.monotonic() + DEADLINE_SECONDS
    admin, factory = RabbitmqctlAdmin(), DatabaseFactory(POSTGRES)
    vhost = f"bench-notification-{uuid.uuid4().hex[:8]}"
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-notification-"))
    sinks = DevSinks(host="127.0.0.1", smtp_port=free_port(), http_port=free_port(), keep=4 * args.events)
    database, processes, runtime = None, None, None
    try:
        admin.add_vhost(vhost)
        admin.set_permissions(vhost, Permission("guest", ".*", ".*", ".*"))
        amqp_url = AMQP.format(vhost=vhost)
        declare_system(amqp_url, RETRY_DELAYS)
        database = factory.create(SPEC)
        sinks.start()
        env = {
            "AMQP_URL": amqp_url, "NOTIFICATION_DATABASE_URL": factory.url(database), "MOTCUA_VAR_DIR": str(var_dir),
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sinks.smtp.port),
            "SMS_GATEWAY_URL": f"http://127.0.0.1:{sinks.http.server_address[1]}/send",
            "NOTIFICATION_QUIET_HOURS": "off", "LOG_LEVEL": "WARNING",
        }
        if args.concurrency:
            env["NOTIFICATION_DELIVERY_CONCURRENCY"] = str(args.concurrency)
        if args.batch:
            env["NOTIFICATION_DELIVERY_BATCH"] = str(args.batch)
        settings = load("notification", SPEC.settings, environ=env)
        runtime = Runtime(SPEC, settings)
        processes = ProcessGroup(var_dir, env)

        # 1. delivery alone: the ledger is full before the worker starts.
        handle = handlers(settings, Options.from_settings(settings))
        t = time.monotonic()
        for event in received_events(args.events):
            parsed = parse(event.to_json())
            with runtime.sessions.begin() as session:
                handle[parsed.type](session, parsed)
        written = time.monotonic() - t
        with runtime.engine.connect() as conn:
            ledger = conn.execute(select(func.count()).select_from(messages)).scalar_one()
        if ledger != 2 * args.events:
            raise BenchmarkError(f"expected {2 * args.events} messages in the ledger, found {ledger}")
        arrivals = Arrivals(sinks, 2 * args.events)
        started = time.monotonic()
        worker = processes.start("notification-worker", "notification", "worker")
        first, last = arrivals.wait(deadline, worker)
        delivery = {"messages": 2 * args.events, "window_s": last - first, "from_start_s": last - started,
                    "ledger_writes_per_s": 2 * args.events / written}

        # 2. end to end, the worker already running.
        events = received_events(args.events, first=args.events)  # other dossiers, other addresses
        arrivals = Arrivals(sinks, 2 * args.events)
        t = time.monotonic()
        publish(amqp_url, events)
        published = time.monotonic() - t
        _, last = arrivals.wait(deadline, worker)
        end_to_end = {"events": args.events, "messages": 2 * args.events, "elapsed_s": last - t,
                      "publish_s": published}
        statuses = settled(runtime, deadline)
        references = {m["reference"] for m in sinks.sms.all()} | {m["raw"].split(b"Message-ID: <", 1)[1][:36]
                                                                   for m in sinks.mails.all()}
        if len(references) != 4 * args.events or sinks.sms.total + sinks.mails.total != 4 * args.events:
            raise BenchmarkError(f"{sinks.sms.total + sinks.mails.total} messages at the sinks for "
                                 f"{len(references)} distinct ones: something was sent twice")
        return {"delivery": delivery, "end_to_end": end_to_end, "statuses": statuses,
                "settings": {k: settings.values[k.lower()] for k in (
                    "NOTIFICATION_DELIVERY_CONCURRENCY", "NOTIFICATION_DELIVERY_BATCH",
                    "NOTIFICATION_DELIVERY_INTERVAL", "CONSUMER_PREFETCH")}}
    finally:
        if processes is not None:
            processes.stop_all()
        if runtime is not None:
            runtime.close()
        sinks.stop()
        if database is not None:
            factory.drop(database)
        factory.close()
        admin.delete_vhost(vhost)
        shutil.rmtree(var_dir, ignore_errors=True)


def report(figures: dict, args) -> None:
    d, e = figures["delivery"], figures["end_to_end"]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("settings: " + ", ".join(f"{k}={v}" for k, v in figures["settings"].items()))
    print(f"delivery only   {d['messages']:>6} messages  {d['messages'] / d['window_s']:>8,.0f} msg/s "
          f"(first to last arrival {d['window_s']:.2f} s; {d['from_start_s']:.2f} s from worker start)")
    print(f"end to end      {e['messages']:>6} messages  {e['messages'] / e['elapsed_s']:>8,.0f} msg/s "
          f"= {e['events'] / e['elapsed_s']:,.0f} events/s ({e['elapsed_s']:.2f} s; publishing took "
          f"{e['publish_s']:.2f} s)")
    print(f"ledger writes   {d['ledger_writes_per_s']:,.0f} messages/s rendered and written by the handlers "
          f"in-process (one transaction per event)")
    print("final statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(figures["statuses"].items())))
    if args.json:
        print(json.dumps(figures, indent=2))


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        figures = run(args)
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; everything it created was removed", file=sys.stderr)
        return 130
    report(figures, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
