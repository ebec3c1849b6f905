#!/usr/bin/env python
"""Steps dispatched and completed per second through the broker, with local handling.

    .venv/bin/python benchmarks/routing_steps.py [--dossiers N] [--workers W] [--officers K] [--json]

One run, on a fresh vhost (rabbitmqctl) and a fresh routing database (copied from a migrated template
by the test harness's DatabaseFactory), with W routing worker processes at the shipped settings and
ROUTING_LOCAL_UNITS unset (every step is local). N `dossier.received` events of procedure 1.004873
(two steps: the commune's processing, the chairman's signature) are published to `intake.events`,
as intake's relay does (confirms, persistent). Then, phase by phase:

1. dispatch: from the first publish until every dossier's first step is in a local work inbox. Each
   step: the route planned (resolution, budgets, due time), `route.started` and `step.assigned`
   written with the route, relayed to `routing.steps`, consumed from `routing.steps.local`.
2. officers: K threads, each an officer with its own HTTP client (the Flask app in process, no
   network), claim and complete every first step (`POST .../claim`, `POST .../complete`). Each
   completion applies the answer, assigns the next step and writes `step.completed` and
   `step.assigned` in one transaction.
3. hand-over: from the first completion until every second step is in its inbox (relay, broker,
   local consumer; the `step.completed` echoes are consumed and change nothing).
4. the second steps are completed the same way; the clock stops when every route is completed.

Reported: each phase's steps per second, and end to end (2N steps from the first publish to the last
route completed). Everything it creates is removed at the end, also on Ctrl-C. Only 127.0.0.1 is
contacted. It needs rabbitmqctl on the PATH and the local PostgreSQL (user postgres, trust).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import shutil
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pika
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PROCEDURE = "1.004873"
POLL = 0.05


class BenchmarkError(RuntimeError):
    pass


def shipped_settings() -> dict[str, str]:
    """The harness shortens some settings for tests; the benchmark runs the shipped ones."""
    from motcua_shared.settings import COMMON

    tuned = ("OUTBOX_BATCH_SIZE", "OUTBOX_POLL_INTERVAL", "OUTBOX_LEASE_SECONDS", "CONSUMER_PREFETCH",
             "BROKER_HEARTBEAT", "RECONNECT_MAX_DELAY")
    return {s.name: str(s.default) for s in COMMON if s.name in tuned} | {"LOG_LEVEL": "WARNING",
                                                                        "ROUTING_SWEEP_SECONDS": "3600"}


def received_events(n: int, run_id: str) -> list:
    from motcua_shared.events import isoformat, new_event
    from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
    from motcua_shared.reference import load_catalogue, load_units
    from motcua_shared.workcal import WorkingCalendar

    procedure, units = load_catalogue().get(PROCEDURE), load_units()
    received_at = datetime.now(timezone.utc) - timedelta(minutes=1)
    day = received_at.astimezone(WorkingCalendar().tz).date()
    due = WorkingCalendar().add(received_at, procedure.processing_time.value, procedure.processing_time.unit)
    path = units.path("04222", day)
    return [new_event(DOSSIER_RECEIVED, source="/motcua/intake", subject=code, data={
        "code": code, "procedure_code": PROCEDURE, "procedure_level": "commune", "sector": procedure.sector,
        "inter_agency": False, "channel": "counter", "receiving_unit": "04222", "receiving_unit_path": path,
        "competent_unit": "04222", "competent_unit_path": path, "received_at": isoformat(received_at),
        "due_at": isoformat(due), "return_method": "counter",
        "applicant": {"full_name": "Lò Văn Hùng", "phone": None, "email": None, "address": None},
        "delivery_address": None, "fee_vnd": procedure.fee_vnd,
    }) for code in (f"H52.04222-{run_id}-{i:05d}" for i in range(n))]


def publish(amqp_url: str, events) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for event in events:
            channel.basic_publish("intake.events", event.type, event.to_json(), mandatory=True,
                                  properties=pika.BasicProperties(content_type="application/cloudevents+json",
                                                                  delivery_mode=2, message_id=event.id,
                                                                  correlation_id=event.correlationid))
    finally:
        connection.close()


def count(system, where) -> int:
    from motcua_routing.models import route_steps

    rt = system.runtime("routing")
    with rt.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(route_steps).where(*where)).scalar_one()


def wait_until(probe, target: int, timeout: float, what: str, system) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe() >= target:
            return time.monotonic()
        for proc in system.processes.procs.values():
            if proc.popen.poll() is not None:
                raise BenchmarkError(f"{proc.name} exited with {proc.popen.returncode}")
        time.sleep(POLL)
    raise BenchmarkError(f"timed out after {timeout:.0f} s waiting for {what} ({probe()} of {target})")


def local_steps(system, sequence: int) -> list[tuple[str, str]]:
    from motcua_routing.models import route_steps

    rt = system.runtime("routing")
    with rt.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(route_steps.c.step_id, route_steps.c.action).where(
            route_steps.c.sequence == sequence, route_steps.c.local_at.is_not(None),
            route_steps.c.status == "assigned"))]


def officers_complete(system, work: list[tuple[str, str]], officers: int) -> None:
    """K officer threads claim and complete the steps, each with its own HTTP client."""
    app = system.app("routing")
    errors: list[str] = []

    def officer(share):
        client = app.test_client()
        for step_id, action in share:
            role = "leader" if action in ("approve", "sign") else "specialist"
            headers = system.auth(role, unit="04222", sub=f"bench-{role}-{threading.get_ident()}")
            for path, body in ((f"/api/v1/steps/{step_id}/claim", None),
                               (f"/api/v1/steps/{step_id}/complete", {"outcome": "approved"})):
                answer = client.post(path, headers=headers, json=body) if body else client.post(path, headers=headers)
                if answer.status_code != 200:
                    errors.append(f"{path}: {answer.status_code} {answer.get_data(as_text=True)[:200]}")
                    return

    threads = [threading.Thread(target=officer, args=(work[i::officers],)) for i in range(officers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise BenchmarkError(errors[0])


def consumers(amqp_url: str) -> int:
    """Consumers on routing's three queues (0 until a worker has declared them)."""
    from motcua_routing.locality import ANSWERS_QUEUE, LOCAL_STEPS_QUEUE

    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        total = 0
        for queue in ("routing.inbox", LOCAL_STEPS_QUEUE, ANSWERS_QUEUE):
            channel = connection.channel()
            try:
                total += channel.queue_declare(queue, passive=True).method.consumer_count
            except pika.exceptions.ChannelClosedByBroker:  # not declared yet
                pass
        return total
    finally:
        connection.close()


def run(system, args) -> dict:
    from motcua_routing.models import dossier_routes, route_steps

    n = args.dossiers
    events = received_events(n, datetime.now().strftime("%H%M%S"))
    for i in range(args.workers):
        system.processes.start(f"routing-worker-{i}", "routing", "worker")
    wait_until(lambda: consumers(system.amqp_url), 3 * args.workers, 60, "the workers to consume", system)

    started = time.monotonic()
    publish(system.amqp_url, events)
    published = time.monotonic()
    first_in = wait_until(lambda: count(system, [route_steps.c.sequence == 1, route_steps.c.local_at.is_not(None)]),
                          n, args.timeout, "the first steps in the inboxes", system)

    completing = time.monotonic()
    officers_complete(system, local_steps(system, 1), args.officers)
    completed_first = time.monotonic()
    second_in = wait_until(lambda: count(system, [route_steps.c.sequence == 2, route_steps.c.local_at.is_not(None)]),
                           n, args.timeout, "the second steps in the inboxes", system)
    officers_complete(system, local_steps(system, 2), args.officers)
    rt = system.runtime("routing")

    def routes_done():
        with rt.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(dossier_routes)
                                .where(dossier_routes.c.status == "completed")).scalar_one()

    done = wait_until(routes_done, n, args.timeout, "every route to complete", system)
    return {
        "dossiers": n, "steps": 2 * n, "workers": args.workers, "officers": args.officers,
        "publish_s": published - started,
        "dispatch_steps_per_s": n / (first_in - started),
        "officer_completions_per_s": n / (completed_first - completing),
        "handover_steps_per_s": n / (second_in - completing),
        "end_to_end_steps_per_s": 2 * n / (done - started),
        "end_to_end_s": done - started,
    }


def dead_letters(amqp_url: str) -> int:
    from motcua_shared.broker.topology import dead_letter_queue
    from motcua_routing.locality import ANSWERS_QUEUE, LOCAL_STEPS_QUEUE

    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        return sum(channel.queue_declare(dead_letter_queue(q), passive=True).method.message_count
                   for q in ("routing.inbox", LOCAL_STEPS_QUEUE, ANSWERS_QUEUE))
    finally:
        connection.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=300)
    parser.add_argument("--workers", type=int, default=1, help="routing worker processes")
    parser.add_argument("--officers", type=int, default=4, help="officer threads completing steps")
    parser.add_argument("--timeout", type=float, default=180, help="seconds allowed per phase")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "tests"))  # the harness: motcua_testing
    from motcua_shared.broker.admin import RabbitmqctlAdmin
    from motcua_shared.broker.permissions import Permission
    from motcua_shared.broker.setup import declare_system
    from motcua_testing.databases import DatabaseFactory
    from motcua_testing.system import RETRY_DELAYS, System, spec_of

    if not RabbitmqctlAdmin.available():
        print("rabbitmqctl is not on PATH: the benchmark needs it to create and delete its vhost", file=sys.stderr)
        return 2

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    admin, factory = RabbitmqctlAdmin(), DatabaseFactory(POSTGRES_URL)
    vhost = f"bench-routing-{factory.run_id}"
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-routing-"))
    database, system, status = None, None, 0
    try:
        admin.add_vhost(vhost)
        admin.set_permissions(vhost, Permission("guest", ".*", ".*", ".*"))
        amqp_url = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
        declare_system(amqp_url, RETRY_DELAYS)
        database = factory.create(spec_of("routing"))
        system = System(amqp_url=amqp_url, vhost=vhost, database_urls={"routing": factory.url(database)},
                        var_dir=var_dir, env=shipped_settings())
        result = run(system, args)
        result["dead_letters"] = dead_letters(amqp_url)
        result["machine"] = f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            print(f"routing steps, {result['dossiers']} dossiers x 2 local steps, {args.workers} worker(s), "
                  f"{args.officers} officer thread(s) [{result['machine']}]")
            for label, key in (("dispatch (receipt -> first step in its inbox)", "dispatch_steps_per_s"),
                               ("officers (claim + complete over the API)", "officer_completions_per_s"),
                               ("hand-over (completion -> next step in its inbox)", "handover_steps_per_s"),
                               ("end to end (receipt -> route completed)", "end_to_end_steps_per_s")):
                print(f"  {label:<52} {result[key]:8.1f} steps/s")
            print(f"  end to end {result['end_to_end_s']:.1f} s; dead letters: {result['dead_letters']}")
        if result["dead_letters"]:
            status = 1
    except KeyboardInterrupt:
        print("\ninterrupted: cleaning up", file=sys.stderr)
        status = 130
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        status = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if system is not None:
            system.close()
        if database is not None:
            factory.drop(database)
        factory.close()
        admin.delete_vhost(vhost)
        shutil.rmtree(var_dir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
