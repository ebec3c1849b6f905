#!/usr/bin/env python
"""The fault suite: the pipeline load test run while the system is hurt, then checked for exactness.

    .venv/bin/python loadtest/fault_suite.py [--scenario NAME ...] [--dossiers N] [--json]

Each scenario builds a fresh system on a RabbitMQ node and a PostgreSQL cluster of its own
(motcua_testing.private_infra: real servers from this host's binaries, on free ports, so restarting
them disturbs nobody else), starts the five workers and the five APIs as real gunicorn processes, and
drives `pipeline_load`'s workload through HTTP (receptionists submit with an Idempotency-Key, officers
work routing's inbox, both retrying connection failures and 503s). While dossiers are in flight a
fault injector works through the scenario's faults:

- broker_restart: `rabbitmqctl stop_app`, 3 s down, `start_app`;
- connections_cut: `rabbitmqctl close_all_connections` (every worker, relay and API publisher);
- postgres_stop: `pg_ctl stop -m fast`, 4 s down, start again;
- kill_worker:<svc>: SIGKILL of the service's worker process group, started again 1 s later;
- kill_api:<svc>: SIGKILL of the service's gunicorn master and workers, started again 1 s later;
- poison_flood: 150 poison messages (not JSON, nested 100,000 deep, a 5,000-digit number, NaN, not
  an event, an envelope without its attributes, a known type with invalid data, a forged type)
  published straight into routing's, notification's and reporting's queues; and 32 more published
  by the partners with their own broker users where they may write (postal.partner,
  routing.step-results): nested too deep, a 5,000-digit number, over the partner queues' 256 KiB, and
  another service's event forged.

Afterwards every dossier must be routed once (one route, each step opened once and completed),
processed, counted once by reporting and notified once per template and channel; the only dead
letters allowed are the injected poison messages, each of them dead-lettered with its reason; and no
applicant's identity number, phone, e-mail, name or address may appear in any process's log.
It prints one row per scenario: faults, dossiers in, routed, counted, notified, duplicates, dead
letters (unexplained / poison), client retries and the run's duration.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import signal
import sys
import tempfile
import time
import traceback
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "loadtest"))

from api_processes import HttpClient, start_apis, wait_ready  # noqa: E402
from motcua_shared.settings import SERVICES  # noqa: E402

SCENARIOS = {
    "broker_restart": ["broker_restart"],
    "connections_cut": ["connections_cut"],
    "postgres_stop": ["postgres_stop"],
    "workers_killed": [f"kill_worker:{s}" for s in SERVICES],
    "apis_killed": [f"kill_api:{s}" for s in SERVICES],
    "poison_flood": ["poison_flood"],
}
SCENARIOS["everything"] = [f for name in SCENARIOS for f in SCENARIOS[name]]
POISON_QUEUES = ("routing.inbox", "notification.inbox", "reporting.inbox")
POISON_PER_QUEUE = 50
# Hostile bodies the partners themselves publish, with their own broker users, where they may write:
# exchange, routing key (the queue it reaches) per partner user.
PARTNER_POISON = {"postal_partner": ("postal.partner", "status", "postal.partner-reports"),
                  "province_routing": ("routing.step-results", "result.motcua", "routing.step-answers")}
PARTNER_POISON_PER_QUEUE = 16
POISON_TOTAL = len(POISON_QUEUES) * POISON_PER_QUEUE + len(PARTNER_POISON) * PARTNER_POISON_PER_QUEUE
PARTNER_PASSWORD = "fault-suite-partner-0123456789"  # a private broker of the suite's own, gone after it


def load_pipeline():
    spec = importlib.util.spec_from_file_location("pipeline_load", ROOT / "loadtest" / "pipeline_load.py")
    module = sys.modules.get("pipeline_load")
    if module is None:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------------
# Infrastructure of our own
# ------------------------------------------------------------------------------------------------
@dataclass
class Infra:
    rabbit: object
    postgres: object
    factory: object

    @classmethod
    def start(cls) -> "Infra":
        from motcua_testing.databases import DatabaseFactory
        from motcua_testing.private_infra import PrivatePostgres, PrivateRabbit

        rabbit = PrivateRabbit()
        postgres = PrivatePostgres()
        try:
            rabbit.start()
            postgres.start()
            return cls(rabbit, postgres, DatabaseFactory(postgres.url))
        except BaseException:
            rabbit.shutdown()
            postgres.shutdown()
            raise

    def system(self, log_dir: Path):
        """A fresh vhost and five fresh databases on the private servers."""
        from motcua_shared.broker.permissions import Permission, all_permissions, password_variable
        from motcua_shared.broker.setup import create_users, declare_system
        from motcua_testing.system import RETRY_DELAYS, System, spec_of

        vhost = f"fault-{uuid.uuid4().hex[:8]}"
        admin = self.rabbit.admin()
        admin.add_vhost(vhost)
        admin.set_permissions(vhost, Permission("guest", ".*", ".*", ".*"))
        amqp_url = self.rabbit.url_for(vhost)
        declare_system(amqp_url, RETRY_DELAYS)
        partners = [p for p in all_permissions() if p.user in PARTNER_POISON]
        create_users(admin, vhost, environ={password_variable(p.user): PARTNER_PASSWORD for p in partners},
                     permissions=partners)
        urls = {s: self.factory.url(self.factory.create(spec_of(s))) for s in SERVICES}
        # A killed notification worker's claimed messages wait for their delivery lease to lapse
        # (120 s by default, longer than any provider call) before another round sends them; the
        # shortest lease the settings accept (10 s margin + the 10 s SMTP timeout) keeps runs short.
        return System(amqp_url=amqp_url, vhost=vhost, database_urls=urls, var_dir=log_dir,
                      env={"LOG_LEVEL": "INFO", "NOTIFICATION_DELIVERY_LEASE_SECONDS": "21"})

    def shutdown(self) -> None:
        try:
            self.factory.engine.dispose()
        finally:
            self.rabbit.shutdown()
            self.postgres.shutdown()


# ------------------------------------------------------------------------------------------------
# Faults
# ------------------------------------------------------------------------------------------------
@dataclass
class Injected:
    fault: str
    at_s: float
    down_s: float
    submitted: int


@dataclass
class FaultInjector:
    infra: Infra
    system: object
    faults: list[str]
    lead: float  # seconds of undisturbed load before the first fault
    gap: float  # seconds between one fault's end and the next one
    bases: dict[str, str]
    run: object = None  # the LoadRun, for progress figures
    injected: list[Injected] = field(default_factory=list)
    # queue -> ids of the poison published; the load run reads it at the end to explain dead letters
    poison_ids: dict[str, set[str]] = field(default_factory=dict)

    def __call__(self) -> None:
        started = time.monotonic()
        time.sleep(self.lead)
        for fault in self.faults:
            if self.run.stop.is_set():
                return
            at = time.monotonic()
            submitted = len(self.run.tracks)
            self.inject(fault)
            self.injected.append(Injected(fault, round(at - started, 1), round(time.monotonic() - at, 2), submitted))
            time.sleep(self.gap)

    def inject(self, fault: str) -> None:
        kind, _, target = fault.partition(":")
        if kind == "broker_restart":
            self.infra.rabbit.stop_app()
            time.sleep(3)
            self.infra.rabbit.start_app()
        elif kind == "connections_cut":
            self.infra.rabbit.close_all_connections("motcua fault suite")
        elif kind == "postgres_stop":
            self.infra.postgres.stop("fast")
            time.sleep(4)
            self.infra.postgres.start()
        elif kind in ("kill_worker", "kill_api"):
            name = f"{target}-{'worker' if kind == 'kill_worker' else 'api'}"
            self.system.processes.kill(name, signal.SIGKILL)
            time.sleep(1)
            self.system.processes.restart(name)
        elif kind == "poison_flood":
            self.poison_ids.update(publish_poison(self.system.amqp_url))
            self.poison_ids.update(publish_partner_poison(self.system.amqp_url))
        else:
            raise ValueError(f"unknown fault {fault}")


def poison_body(n: int, message_id: str, good: dict) -> bytes:
    kind = n % 8
    if kind == 0:
        return b"\xff\xfe not JSON at all"
    if kind == 5:
        return b"[" * 100_000 + b"]" * 100_000  # deeper than the decoder's recursion limit
    if kind == 6:  # an integer beyond int()'s 4,300 digits
        return json.dumps({**good, "id": message_id, "data": "N"}).replace('"N"', "7" * 5_000).encode()
    document = {
        1: [1, 2, 3],  # JSON, not an event
        2: {"specversion": "1.0", "id": message_id},  # an envelope without its attributes
        3: {**good, "id": message_id, "data": {"code": 7}},  # a known type, its data against the schema
        4: {**good, "id": message_id, "type": "vn.gov.forged"},  # a type nobody publishes
        7: {**good, "id": message_id, "data": {**good["data"], "fee_vnd": float("nan")}},  # NaN: not JSON
    }[kind]
    return json.dumps(document).encode()


def publish_poison(amqp_url: str) -> dict[str, set[str]]:
    """Messages no consumer can act on, straight into the queues (as a broken or hostile publisher
    with write access would). Each must be dead-lettered with its reason, and nothing else disturbed."""
    import copy

    import pika

    from motcua_shared.events import new_event, registry
    from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

    good = new_event(DOSSIER_RECEIVED, source="/poison", subject="x",
                     data=copy.deepcopy(registry.get(DOSSIER_RECEIVED).example)).to_dict()
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    ids: dict[str, set[str]] = {}
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for queue in POISON_QUEUES:
            ids[queue] = set()
            for n in range(POISON_PER_QUEUE):
                message_id = f"poison-{queue}-{n}"
                body = poison_body(n, message_id, good)
                channel.basic_publish("", queue, body, pika.BasicProperties(
                    message_id=message_id, delivery_mode=2, content_type="application/cloudevents+json"),
                    mandatory=True)
                ids[queue].add(message_id)
    finally:
        connection.close()
    return ids


def partner_poison_body(n: int, message_id: str, good: dict) -> bytes:
    kind = n % 4
    if kind == 0:
        return b"[" * 100_000 + b"]" * 100_000  # under the partner queues' size bound, far too deep
    if kind == 1:
        return json.dumps({**good, "id": message_id, "data": "N"}).replace('"N"', "7" * 5_000).encode()
    if kind == 2:  # well-formed, but over the 256 KiB a partner queue takes
        return json.dumps({**good, "id": message_id, "subject": "x", "padding": "x" * 300_000}).encode()
    return json.dumps({**good, "id": message_id}).encode()  # another service's event, forged


def publish_partner_poison(amqp_url: str) -> dict[str, set[str]]:
    """Hostile bodies from the partners' own broker users, on the exchanges they may write to: each is
    dead-lettered with its reason, the workers go on, nothing else is disturbed."""
    import copy

    import pika

    from motcua_shared.events import new_event, registry
    from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

    good = new_event(DOSSIER_RECEIVED, source="/poison", subject="x",
                     data=copy.deepcopy(registry.get(DOSSIER_RECEIVED).example)).to_dict()
    ids: dict[str, set[str]] = {}
    for user, (exchange, routing_key, queue) in PARTNER_POISON.items():
        url = amqp_url.replace("amqp://guest:guest@", f"amqp://{user}:{PARTNER_PASSWORD}@", 1)
        connection = pika.BlockingConnection(pika.URLParameters(url))
        try:
            channel = connection.channel()
            channel.confirm_delivery()
            ids[queue] = set()
            for n in range(PARTNER_POISON_PER_QUEUE):
                message_id = f"poison-{user}-{n}"
                channel.basic_publish(exchange, routing_key, partner_poison_body(n, message_id, good),
                                      pika.BasicProperties(message_id=message_id, delivery_mode=2,
                                                           content_type="application/cloudevents+json"),
                                      mandatory=True)
                ids[queue].add(message_id)
        finally:
            connection.close()
    return ids


# ------------------------------------------------------------------------------------------------
# One scenario
# ------------------------------------------------------------------------------------------------
def run_scenario(infra: Infra, name: str, faults: list[str], dossiers: int, log_dir: Path,
                 lead: float = 2.0, gap: float = 2.5, duration_limit: float = 420) -> dict:
    pipeline = load_pipeline()
    system = infra.system(log_dir)
    sinks = pipeline.Sinks(log_dir)
    try:
        for service in SERVICES:
            system.start_workers(service, extra_env=pipeline.notification_env(sinks) if service == "notification" else None)
        bases = start_apis(system)
        clients = {s: HttpClient(base) for s, base in bases.items()}
        injector = FaultInjector(infra, system, faults, lead, gap, bases)
        # Submissions spread over the fault schedule, so that faults hit dossiers at every stage.
        schedule = lead + len(faults) * (gap + 2.0) + 2.0
        run = pipeline.LoadRun(system, sinks, dossiers, concurrency=4, duration_limit=duration_limit,
                               rate=max(1.0, dossiers / schedule), clients=clients, tolerate_outages=True,
                               extra_threads={"faults": injector}, expected_dead_letters=injector.poison_ids)
        injector.run = run
        figures = run.run()
        for service, base in bases.items():  # every API killed and started again serves again
            wait_ready(system, service, base, 60)
        figures.update(scenario=name, faults=[vars(i) for i in injector.injected],
                       client_retries=sum(c.retries for c in clients.values()),
                       failed_samples=run.failed_samples)
        return figures
    finally:
        sinks.stop()
        system.close()


def table(rows: list[dict]) -> str:
    head = ("scenario", "faults injected", "in", "routed", "counted", "notified", "dupl.", "dead (unexpl./poison)",
            "retries", "seconds")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        inv = r["invariants"]
        faults = ", ".join(f"{f['fault']} at {f['at_s']:g}s ({f['submitted']} in)" for f in r["faults"])
        lines.append("| " + " | ".join(str(x) for x in (
            r["scenario"], faults, r["dossiers"], inv["routes"], inv["reported_received"],
            inv["messages"] // 4, inv["duplicate_messages"],
            f"{inv['dead_letters']} / {inv['poison_dead_lettered']}", r["client_retries"],
            f"{r['elapsed_s']:.0f}")) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scenario", action="append", choices=sorted(SCENARIOS),
                   help="scenario to run (repeatable); default: each single-fault scenario, then everything")
    p.add_argument("--dossiers", type=int, default=60, help="dossiers per scenario (default 60)")
    p.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = p.parse_args(argv)
    names = args.scenario or list(SCENARIOS)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    rows, status = [], 0
    infra = Infra.start()
    try:
        for name in names:
            log_dir = Path(tempfile.mkdtemp(prefix=f"motcua-fault-{name}-"))
            started = time.monotonic()
            try:
                rows.append(run_scenario(infra, name, SCENARIOS[name], args.dossiers, log_dir))
                print(f"{name}: passed in {time.monotonic() - started:.0f}s", file=sys.stderr)
            except Exception as exc:
                status = 1
                print(f"{name}: FAILED: {exc} (logs in {log_dir})", file=sys.stderr)
                traceback.print_exc()
    except KeyboardInterrupt:
        status = 130
    finally:
        infra.shutdown()
    if rows:
        print(f"\nmotcua fault suite — load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(table(rows))
        if args.json:
            print(json.dumps(rows, indent=2, default=str))
    return status


if __name__ == "__main__":
    sys.exit(main())
