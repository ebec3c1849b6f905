#!/usr/bin/env python
"""Shipments created and reported per second by the postal service, on the real broker and PostgreSQL.

    .venv/bin/python benchmarks/postal_shipments.py [--shipments N] [--partner-shipments M] [--json]

It builds a fresh vhost (with the whole system topology) and a fresh postal database, runs the real
postal worker as a process with the shipped throughput settings, and measures:

1. creation: N dossiers received at the counter and processed, to be returned by post (2N intake
   events queued on postal.inbox while the worker is stopped); the clock runs from the worker's
   start until all N pickup requests are on postal.pickups (the handler, its transaction and the
   outbox relay, end to end), and is also read from the shipments' own created_at (the consumer
   alone, without the worker's start-up);
2. reporting: the N pickups taken off the queue as the partner does, and 3N reports (accepted,
   picked_up, delivered) queued on postal.partner-reports while the worker is stopped; the clock
   runs from the worker's start until every shipment is delivered and every shipment.progressed is
   relayed;
3. with the reference partner client (examples/postal_partner, simulation, no step delay) as its
   own process: M dossiers in, until all M shipments are delivered, everything running at once;
4. the floor under all of it, in the same run: one INSERT and one COMMIT per event into the same
   database, in one process (what any consumer pays for its inbox row), to read the figures above
   against on a machine whose load varies.

Everything it creates (vhost, database, processes, a temporary directory) is removed at the end,
also on Ctrl-C. Only 127.0.0.1 is contacted.
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
from datetime import datetime
from pathlib import Path

import pika

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the test harness: motcua_testing, postal.harness

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ADMIN_AMQP = "amqp://guest:guest@127.0.0.1:5672/%2F"
TUNED_SETTINGS = ("OUTBOX_BATCH_SIZE", "OUTBOX_POLL_INTERVAL", "OUTBOX_LEASE_SECONDS", "CONSUMER_PREFETCH")
POLL = 0.05


class BenchmarkError(RuntimeError):
    pass


def publish_fast(amqp_url: str, exchange: str, messages: list[tuple[str, bytes]]) -> None:
    """Persistent publishes without waiting for each confirm; the caller checks the queue depth after."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        for routing_key, body in messages:
            message_id = json.loads(body)["id"]
            channel.basic_publish(exchange, routing_key, body, properties=pika.BasicProperties(
                content_type="application/cloudevents+json", delivery_mode=2, message_id=message_id))
    finally:
        connection.close()


def depth(amqp_url: str, queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        return connection.channel().queue_declare(queue, passive=True).method.message_count
    finally:
        connection.close()


def wait(probe, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(POLL)
    raise BenchmarkError(f"timed out after {timeout:.0f}s waiting for {what}")


def take_pickups(amqp_url: str, count: int) -> list[str]:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        ids = []
        while len(ids) < count:
            method, _props, body = channel.basic_get("postal.pickups", auto_ack=True)
            if method is None:
                raise BenchmarkError(f"only {len(ids)} of {count} pickups on postal.pickups")
            ids.append(json.loads(body)["data"]["shipment_id"])
        return ids
    finally:
        connection.close()


class Bench:
    def __init__(self, args):
        from motcua_shared.broker.admin import RabbitmqctlAdmin
        from motcua_testing.databases import DatabaseFactory

        self.args = args
        self.admin = RabbitmqctlAdmin()
        self.factory = DatabaseFactory(POSTGRES_URL)
        self.cleanups = []
        self.var_dir = Path(tempfile.mkdtemp(prefix="motcua-postal-bench-"))
        self.cleanups.append(lambda: shutil.rmtree(self.var_dir, ignore_errors=True))
        self.cleanups.append(self.factory.close)

    def new_system(self, tag: str):
        """A vhost with the system topology and a fresh postal database; its worker not started."""
        from motcua_shared.broker.permissions import Permission
        from motcua_shared.broker.setup import declare_system
        from motcua_shared.settings import COMMON
        from motcua_testing.system import RETRY_DELAYS, System, spec_of

        vhost = f"bench-postal-{uuid.uuid4().hex[:8]}-{tag}"
        self.admin.add_vhost(vhost)
        self.cleanups.append(lambda: self.admin.delete_vhost(vhost))
        self.admin.set_permissions(vhost, Permission("guest", ".*", ".*", ".*"))
        amqp_url = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
        declare_system(amqp_url, RETRY_DELAYS)
        database = self.factory.create(spec_of("postal"))
        self.cleanups.append(lambda: self.factory.drop(database))
        defaults = {s.name: s.default for s in COMMON}
        env = {name: str(defaults[name]) for name in TUNED_SETTINGS}
        env["LOG_LEVEL"] = "WARNING"
        system = System(amqp_url=amqp_url, vhost=vhost, database_urls={"postal": self.factory.url(database)},
                        var_dir=self.var_dir / tag, env=env)
        system.var_dir.mkdir()
        self.cleanups.append(system.close)
        return system

    def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            try:
                cleanup()
            except Exception as exc:  # keep cleaning up; say what was left behind
                print(f"cleanup: {exc!r}", file=sys.stderr)


def dossier_events(n: int, tag: str) -> list[tuple[str, bytes]]:
    from postal.harness import processed, received

    messages = []
    for i in range(n):
        code = f"H52.04222-190319-{tag}{i:05d}"
        for event in (received(code, channel="online"), processed(code)):
            messages.append((event.type, event.to_json()))
    return messages


def counts(system) -> tuple[int, int]:
    from sqlalchemy import func, select

    from motcua_postal.models import shipments

    rt = system.runtime("postal")
    with rt.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(shipments)).scalar_one()
        delivered = conn.execute(select(func.count()).select_from(shipments)
                                 .where(shipments.c.status == "delivered")).scalar_one()
    return total, delivered


def created_span(system) -> float:
    from sqlalchemy import func, select

    from motcua_postal.models import shipments

    with system.runtime("postal").engine.connect() as conn:
        first, last = conn.execute(select(func.min(shipments.c.created_at), func.max(shipments.c.created_at))).one()
    return (last - first).total_seconds()


def unsent(system) -> int:
    return system.runtime("postal").outbox_store("bench").lag()[0]


def measure_service(bench: Bench, n: int, timeout: float) -> dict:
    from postal.harness import report

    system = bench.new_system("service")
    publish_fast(system.amqp_url, "intake.events", dossier_events(n, "B"))
    wait(lambda: depth(system.amqp_url, "postal.inbox") == 2 * n, timeout, "the intake events to be queued")

    started = time.monotonic()
    system.start_workers("postal")
    wait(lambda: depth(system.amqp_url, "postal.pickups") == n, timeout, f"{n} pickups on postal.pickups")
    creation = time.monotonic() - started
    span = created_span(system)
    system.processes.stop_all()

    ids = take_pickups(system.amqp_url, n)
    reports = [(("status"), report(sid, status).to_json()) for status in ("accepted", "picked_up", "delivered")
               for sid in ids]
    publish_fast(system.amqp_url, "postal.partner", reports)
    wait(lambda: depth(system.amqp_url, "postal.partner-reports") == 3 * n, timeout, "the reports to be queued")

    started = time.monotonic()
    system.start_workers("postal")
    wait(lambda: counts(system)[1] == n and unsent(system) == 0, timeout, f"{n} shipments delivered and announced")
    reporting = time.monotonic() - started
    return {"shipments": n, "creation_s": creation, "created_per_s": n / creation,
            "created_per_s_consumer_only": n / span if span > 0 else float("nan"),
            "intake_events_per_s": 2 * n / creation, "reporting_s": reporting, "reports_per_s": 3 * n / reporting,
            "completed_per_s": n / reporting}


def measure_baseline(bench: Bench, count: int = 1000) -> dict:
    from sqlalchemy import insert

    from motcua_postal.models import inbox

    system = bench.new_system("baseline")
    rt = system.runtime("postal")
    started = time.monotonic()
    for _ in range(count):
        with rt.sessions.begin() as session:
            session.execute(insert(inbox).values(consumer="bench", queue="postal.inbox", event_id=str(uuid.uuid4()),
                                                 event_type="bench", processed_at=datetime.now().astimezone()))
    elapsed = time.monotonic() - started
    return {"commits": count, "commits_per_s": count / elapsed}


def measure_with_partner(bench: Bench, m: int, timeout: float) -> dict:
    from motcua_testing.infra import Broker
    from postal.harness import create_partner_user, start_partner, stop_partner

    system = bench.new_system("partner")
    system.broker = Broker(ADMIN_AMQP)  # what create_partner_user and start_partner log in with
    create_partner_user(system)
    system.start_workers("postal")
    partner = start_partner(system, "--simulate", "--step-seconds", "0")
    try:
        started = time.monotonic()
        publish_fast(system.amqp_url, "intake.events", dossier_events(m, "P"))
        wait(lambda: counts(system) == (m, m), timeout, f"{m} shipments delivered through the partner")
        elapsed = time.monotonic() - started
    finally:
        exit_code = stop_partner(partner)
    if exit_code != 0:
        raise BenchmarkError(f"the partner client exited with {exit_code}")
    return {"shipments": m, "elapsed_s": elapsed, "completed_per_s": m / elapsed, "reports_per_s": 3 * m / elapsed}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shipments", type=int, default=2000, help="shipments in phases 1 and 2 (default %(default)s)")
    parser.add_argument("--partner-shipments", type=int, default=300,
                        help="shipments through the reference partner client, 0 to skip (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=180.0, help="upper bound of each wait, in seconds")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    bench = Bench(args)
    results = {"machine": f"{platform.node()} {os.cpu_count()} CPUs, Python {platform.python_version()}",
               "when": datetime.now().isoformat(timespec="seconds"), "load_before": os.getloadavg()[0]}
    try:
        results["service"] = measure_service(bench, args.shipments, args.timeout)
        if args.partner_shipments:
            results["with_partner"] = measure_with_partner(bench, args.partner_shipments, args.timeout)
        results["baseline"] = measure_baseline(bench)
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        bench.close()
    results["load_after"] = os.getloadavg()[0]  # other work on the machine skews every figure: say how much

    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    s = results["service"]
    print(f"postal shipments benchmark, {results['machine']}, {results['when']}, "
          f"1-minute load {results['load_before']:.1f} before and {results['load_after']:.1f} after")
    print(f"1. creation   {s['shipments']} shipments in {s['creation_s']:.2f} s: {s['created_per_s']:,.0f} shipments/s "
          f"({s['intake_events_per_s']:,.0f} intake events/s) from worker start to the last pickup on the queue; "
          f"{s['created_per_s_consumer_only']:,.0f} shipments/s by the shipments' own created_at")
    print(f"2. reporting  {3 * s['shipments']} reports in {s['reporting_s']:.2f} s: {s['reports_per_s']:,.0f} reports/s, "
          f"{s['completed_per_s']:,.0f} shipments delivered/s (worker start to the last shipment.progressed relayed)")
    if "with_partner" in results:
        p = results["with_partner"]
        print(f"3. partner    {p['shipments']} shipments created, carried and delivered in {p['elapsed_s']:.2f} s "
              f"with the reference client: {p['completed_per_s']:,.0f} shipments/s end to end "
              f"({p['reports_per_s']:,.0f} reports/s)")
    b = results["baseline"]
    print(f"4. floor      {b['commits_per_s']:,.0f} single-insert transactions/s on the same database; "
          f"intake events at {s['intake_events_per_s'] / b['commits_per_s']:.0%} of it, "
          f"reports at {s['reports_per_s'] / b['commits_per_s']:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
