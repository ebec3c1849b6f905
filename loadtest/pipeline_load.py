#!/usr/bin/env python
"""Load test of the whole pipeline: N dossiers through the five real services, each followed to the end.

    .venv/bin/python loadtest/pipeline_load.py [--dossiers N] [--concurrency C] [--duration-limit S] [--json]
                                               [--api inprocess|gunicorn] [--profile DIR] [--no-bare]

It builds a fresh system (a vhost, five PostgreSQL databases copied from migrated templates, the five
real worker processes, the development SMTP and SMS sinks on free loopback ports), then:

- C submitter threads POST /api/v1/dossiers at the commune desks of Sông Mã (receptionists of each
  commune, every catalogue procedure a commune desk lodges today, the first dossier a liên thông
  death registration whose route climbs to a provincial department);
- one officer thread per commune, and one of the province, works routing's inbox through its API
  (claim, complete approved), each the steps at its own unit;
- a monitor thread polls the databases and the broker and records, per dossier, when each stage was
  first seen: a step in the inbox, `processed` at intake, counted by reporting, notified (the
  dossier_received and result_ready messages handed to both providers); and samples queue depths
  (passive queue_declare) and every service's outbox lag.

The APIs run in-process (a Flask test client per call, from many threads): the load goes through the
real application code, database and broker, without gunicorn's process model in the measurement.

Between the first submission and the moment the last dossier is done (the saturation window) it
accounts the CPU of every process (cpu_accounting.py) and, with --profile DIR, records a py-spy flame
graph of every worker and of one worker process of each API (profiling.py). After the run it counts the
events per dossier by type (outboxes) and the deliveries per dossier per consumer queue (inboxes), then
(unless --no-bare) measures the bare broker and database and the naive chain of issue 18
(benchmarks/naive_chain.py) on the same servers, and prints the pipeline's throughput against them.

At the end it asserts: every dossier counted exactly once by reporting (its summary totals and its
dossiers table), every notice sent exactly once per channel (ledger rows per dossier, template and
channel, and the sinks' totals equal the ledger's), nothing dead-lettered. Everything it created is
removed on exit, also on Ctrl-C. Only 127.0.0.1 is contacted. Stage times are observation times of a
poll every MONITOR_INTERVAL seconds, so they carry up to that much resolution error.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "loadtest"))  # cpu_accounting, profiling, api_processes beside this file
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
AMQP_BASE = "amqp://guest:guest@127.0.0.1:5672"  # the vhost is appended (build_system uses this broker)
SERVICES_ORDER = ("intake", "routing", "notification", "postal", "reporting")
MONITOR_INTERVAL = 0.1
NOTIFIED_TEMPLATES = ("dossier_received", "result_ready")
CHANNELS = ("sms", "email")
SENT = ("sending", "delivered")  # handed to the provider (SMS waits for a receipt in `sending`)
STAGES = ("submit_to_step_visible", "step_completed_to_processed", "processed_to_counted",
          "received_to_notified", "submit_to_counted", "submit_to_done")


class LoadError(AssertionError):
    pass


def local_today() -> date:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


# ------------------------------------------------------------------------------------------------
# The workload: which desks, which procedures
# ------------------------------------------------------------------------------------------------
def song_ma_communes(on: date) -> list[str]:
    """The communes of Sông Mã in force on `on` (04168..04222 in either hierarchy)."""
    from motcua_shared.reference import load_units

    return sorted(u.code for u in load_units().units_on(on) if "04168" <= u.code <= "04222")


def commune_procedures(on: date | None = None) -> list:
    """Procedures in force on `on` (today by default) that a commune desk lodges, in the hierarchy of
    that day: single-step ones, those with several steps at the commune (land, the district procedures
    that passed to the commune on 01/07/2025), and the liên thông groups whose route climbs on to the
    province (1.010915, 1.011537: commune → province since the district level closed)."""
    from motcua_shared.reference import Level, load_catalogue

    on = on or local_today()
    return [p for p in load_catalogue().all()
            if p.in_force_on(on) and p.route_on(on)[0] is Level.COMMUNE and p.level_on(on) is Level.COMMUNE]


# The first dossier of every run is this liên thông group, so a run always has a route that leaves the
# commune for a provincial department (commune → province today; commune → district → province in 2019).
CLIMBING_PROCEDURE = "1.010915"
PROVINCE = "14"


def applicant(index: int) -> dict:
    return {"full_name": f"Lò Văn Tải {index}", "id_number": f"0141{index:08d}",
            # one phone per dossier: the per-recipient SMS limit must not hold a load test back
            "phone": f"09{index:08d}", "email": f"tai{index}@example.vn", "address": f"Bản Hưng Mai số {index}"}


def personal_data_in_logs(system, dossiers: int) -> list[str]:
    """Every log line of every process of the run (workers and APIs), searched for each applicant's
    identity number, phone, e-mail, name and address, raw and as JSON escapes them."""
    findings = []
    logs = {name: system.processes.log(name) for name in system.processes.procs}
    for index in range(1, dossiers + 1):
        for kind, value in applicant(index).items():
            # Short names ("… 1") are prefixes of longer ones; the full value with its index is unique
            # for numbers, mails and the address; the name is checked in its escaped form too.
            forms = {value, json.dumps(value)[1:-1]}
            for name, text in logs.items():
                if any(form in text for form in forms):
                    findings.append(f"{kind} of dossier {index} in {name}.log")
    return findings


def dossier_payload(index: int, unit: str, procedure) -> dict:
    documents = [{"name": d.name, "copy_type": d.copy_type.value, "count": d.count}
                 for d in procedure.documents if not d.condition] or \
                [{"name": "Tờ khai", "copy_type": "original", "count": 1}]
    return {
        "procedure_code": procedure.code, "channel": "counter", "receiving_unit": unit,
        "applicant": applicant(index),
        "return_method": "counter", "documents": documents,
    }


# ------------------------------------------------------------------------------------------------
# Sinks: the development mail catcher and SMS gateway, as their own process
# ------------------------------------------------------------------------------------------------


class Sinks:
    def __init__(self, log_dir: Path):
        from motcua_testing.ports import free_port

        self.smtp_port, self.http_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        handle = open(log_dir / "devsinks.log", "ab")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "motcua_notification.devsinks", "--host", "127.0.0.1",
             "--smtp-port", str(self.smtp_port), "--http-port", str(self.http_port)],
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
        handle.close()
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{self.base}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise LoadError("the development sinks did not start (see devsinks.log)")
            time.sleep(0.1)

    @property
    def env(self) -> dict[str, str]:
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.smtp_port),
                "SMS_GATEWAY_URL": f"{self.base}/send"}

    def totals(self) -> dict[str, int]:
        return {"sms": requests.get(f"{self.base}/messages", timeout=10).json()["total"],
                "email": requests.get(f"{self.base}/mails", timeout=10).json()["total"]}

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


def notification_env(sinks: Sinks) -> dict[str, str]:
    # Quiet hours would hold non-urgent SMS until the morning: a load test measures the pipeline.
    return {**sinks.env, "NOTIFICATION_QUIET_HOURS": "off"}


# ------------------------------------------------------------------------------------------------
# The run
# ------------------------------------------------------------------------------------------------
@dataclass
class Track:
    code: str
    unit: str
    submitted: float  # monotonic, when intake answered 201
    step_visible: float | None = None
    last_step_completed: float | None = None
    processed: float | None = None
    counted: float | None = None
    received_notified: float | None = None
    notified: float | None = None


@dataclass
class LoadRun:
    system: object
    sinks: Sinks
    dossiers: int
    concurrency: int
    duration_limit: float
    rate: float | None = None  # submissions per second; None submits as fast as the submitters can
    seed: int = 1
    # service -> client with .get/.post (api_processes.HttpClient); None: in-process Flask test clients
    clients: dict | None = None
    # The fault suite: outages are expected, so the monitor skips a sample it cannot take.
    tolerate_outages: bool = False
    # name -> callable run beside the load (the fault injector); the run ends after they finish.
    extra_threads: dict = field(default_factory=dict)
    # queue -> message ids deliberately dead-lettered (poison): explained, so not a failure.
    expected_dead_letters: dict = field(default_factory=dict)
    failed_samples: int = 0
    # Told when the saturation window opens (before the first submission) and closes (the monitor saw
    # the last dossier done): .start() and .end() (SaturationWindow: CPU accounting, profiles).
    window: object = None
    tracks: dict[str, Track] = field(default_factory=dict)
    queue_samples: list[dict[str, int]] = field(default_factory=list)
    lag_samples: list[dict[str, tuple[int, float]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.today = local_today()
        self.units = song_ma_communes(self.today)
        self.procedures = commune_procedures(self.today)
        if not self.units or not self.procedures:
            raise LoadError("no Sông Mã commune or commune procedure in the reference data")
        self.climbing = next(p for p in self.procedures if p.code == CLIMBING_PROCEDURE)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.submitted_all = threading.Event()
        self.extra_done = threading.Event()
        if not self.extra_threads:
            self.extra_done.set()
        if self.clients is None:
            for service in ("intake", "routing", "reporting"):
                self.system.app(service)  # build the apps before the threads share them

    def client(self, service: str):
        return self.clients[service] if self.clients is not None else self.system.client(service)

    # -- workers of the load ------------------------------------------------------------------
    def submit(self, index: int) -> None:
        if self.rate:  # an open-loop schedule: dossier i is due at i/rate seconds after the start
            self.stop.wait(max(0.0, self.started + (index - 1) / self.rate - time.monotonic()))
        rng = random.Random(self.seed * 100_003 + index)
        unit = self.units[index % len(self.units)]
        procedure = self.climbing if index == 1 else rng.choice(self.procedures)
        payload = dossier_payload(index, unit, procedure)
        # The key makes a submission retried after a lost answer come back as the same dossier.
        headers = {**self.system.auth("receptionist", unit=unit), "Idempotency-Key": f"load-{self.seed}-{index}"}
        answer = self.client("intake").post("/api/v1/dossiers", json=payload, headers=headers)
        if answer.status_code != 201:
            raise LoadError(f"submission {index} at {unit}: {answer.status_code} {answer.get_json()}")
        code = answer.get_json()["code"]
        with self.lock:
            self.tracks[code] = Track(code, unit, time.monotonic())

    def officer(self, unit: str) -> None:
        """An officer of `unit` works the open steps at that unit itself: a provincial officer's scope
        covers every commune too, but the communes' own officers work theirs (two claims of one step
        would collide)."""
        routing = self.client("routing")
        headers = self.system.auth("specialist", "leader", unit=unit, sub=f"officer-{unit}")
        while not self.stop.is_set():
            answer = routing.get("/api/v1/steps?status=open&per_page=200", headers=headers)
            if answer.status_code != 200:
                raise LoadError(f"officer of {unit}: list steps {answer.status_code} {answer.get_json()}")
            seen = time.monotonic()
            with self.lock:  # a step not yet in tracks: intake has not answered its submitter; next round
                mine = [(step, self.tracks[step["dossier_code"]]) for step in answer.get_json()["items"]
                        if step["dossier_code"] in self.tracks and step["unit"] == unit]
            for _, track in mine:  # visible now, whatever the officer's own backlog
                if track.step_visible is None:
                    track.step_visible = seen
            worked = False
            for step, track in mine:
                for action, body in (("claim", None), ("complete", {"outcome": "approved"})):
                    done = routing.post(f"/api/v1/steps/{step['step_id']}/{action}", headers=headers, json=body)
                    if done.status_code == 409 and getattr(done, "after_ambiguity", False) and \
                            (done.get_json() or {}).get("code") == "step_closed":
                        break  # our earlier attempt completed it; its answer was lost with the API process
                    if done.status_code != 200:
                        raise LoadError(f"officer of {unit}: {action} {step['step_id']}: "
                                        f"{done.status_code} {done.get_json()}")
                track.last_step_completed = time.monotonic()
                worked = True
            if not worked:
                if self.submitted_all.is_set() and self.all_reached("processed"):
                    return
                self.stop.wait(0.1)

    def all_reached(self, stage: str) -> bool:
        with self.lock:
            tracks = list(self.tracks.values())
        return len(tracks) == self.dossiers and all(getattr(t, stage) is not None for t in tracks)

    # -- monitor -------------------------------------------------------------------------------
    def observe(self) -> None:
        from sqlalchemy import select

        now = time.monotonic()
        with self.lock:
            open_tracks = {c: t for c, t in self.tracks.items() if t.notified is None or t.counted is None}
        if open_tracks:
            codes = list(open_tracks)
            reporting = self.system.runtime("reporting")
            table = reporting.spec.metadata.tables["dossiers"]
            with reporting.engine.connect() as conn:
                counted = {r.code for r in conn.execute(select(table.c.code).where(
                    table.c.code.in_(codes), table.c.received_at.is_not(None), table.c.end_kind == "processed"))}
            notification = self.system.runtime("notification")
            table = notification.spec.metadata.tables["messages"]
            with notification.engine.connect() as conn:
                sent = Counter((r.dossier_code, r.template) for r in conn.execute(
                    select(table.c.dossier_code, table.c.template).where(
                        table.c.dossier_code.in_(codes), table.c.status.in_(SENT))))
            # Intake is read last: what reporting counted or notification sent was processed at intake
            # before, so this later read sees it (read first, a dossier processed, counted and notified
            # between two reads of one poll was never seen processed).
            intake = self.system.runtime("intake")
            table = intake.spec.metadata.tables["dossiers"]
            with intake.engine.connect() as conn:
                processed = {r.code for r in conn.execute(
                    select(table.c.code).where(table.c.status == "processed", table.c.code.in_(codes)))}
            for code, track in open_tracks.items():
                if track.processed is None and (code in processed or code in counted):
                    track.processed = now  # counted as processed by reporting: processed at intake by now
                if track.counted is None and code in counted:
                    track.counted = now
                if track.received_notified is None and sent[(code, "dossier_received")] >= len(CHANNELS):
                    track.received_notified = now
                if track.notified is None and all(sent[(code, t)] >= len(CHANNELS) for t in NOTIFIED_TEMPLATES):
                    track.notified = now
        self.sample_broker_and_outboxes()

    def sample_broker_and_outboxes(self) -> None:
        from motcua_shared.broker.catalogue import SUBSCRIPTIONS

        self.queue_samples.append({sub.queue: self.channel.queue_declare(sub.queue, passive=True).method.message_count
                                   for subs in SUBSCRIPTIONS.values() for sub in subs})
        self.lag_samples.append({s: self.system.runtime(s).outbox_store("load").lag() for s in SERVICES_ORDER})

    def monitor(self) -> None:
        import pika

        connection = None
        try:
            while not self.stop.is_set():
                try:
                    if connection is None or not connection.is_open:
                        connection = pika.BlockingConnection(pika.URLParameters(self.system.amqp_url))
                        self.channel = connection.channel()
                    self.observe()
                except Exception:
                    if not self.tolerate_outages:
                        raise
                    # The broker or a database is down on purpose: this sample is lost, the next one counts.
                    self.failed_samples += 1
                    connection = None
                    self.stop.wait(0.5)
                    continue
                if self.submitted_all.is_set() and self.extra_done.is_set() and self.all_reached("notified") \
                        and self.all_reached("counted"):
                    if self.window is not None:
                        self.window.end()  # here, not after the threads are joined: the last dossier is done now
                    return
                self.stop.wait(MONITOR_INTERVAL)
        finally:
            if connection is not None and connection.is_open:
                connection.close()

    def run_extra(self) -> None:
        try:
            with ThreadPoolExecutor(max_workers=len(self.extra_threads), thread_name_prefix="extra") as pool:
                for future in [pool.submit(fn) for fn in self.extra_threads.values()]:
                    future.result()
        finally:
            self.extra_done.set()

    # -- the whole run -------------------------------------------------------------------------
    def run(self) -> dict:
        if self.window is not None:
            self.window.start()
        started = self.started = time.monotonic()
        deadline = started + self.duration_limit
        threads = {"monitor": self.monitor,
                   **{f"officer {u}": (lambda u=u: self.officer(u)) for u in (*self.units, PROVINCE)}}
        if self.extra_threads:
            threads["extra"] = self.run_extra
        pool = ThreadPoolExecutor(max_workers=len(threads) + self.concurrency, thread_name_prefix="load")
        futures = {name: pool.submit(fn) for name, fn in threads.items()}
        try:
            submissions = [pool.submit(self.submit, i) for i in range(1, self.dossiers + 1)]
            for f in submissions:
                f.result(timeout=max(1.0, deadline - time.monotonic()))
            submit_seconds = time.monotonic() - started
            self.submitted_all.set()
            while not futures["monitor"].done():
                failed = [n for n, f in futures.items() if f.done() and f.exception()]
                if failed:
                    raise futures[failed[0]].exception()
                if time.monotonic() > deadline:
                    raise LoadError(f"duration limit of {self.duration_limit:.0f}s reached: {self.progress()}")
                time.sleep(0.2)
            futures["monitor"].result()
            elapsed = time.monotonic() - started
        finally:
            self.stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
        for f in futures.values():
            if f.exception():
                raise f.exception()
        self.observe_final()
        return self.report(elapsed, submit_seconds)

    def progress(self) -> str:
        with self.lock:
            tracks = list(self.tracks.values())
        counts = {s: sum(getattr(t, s) is not None for t in tracks)
                  for s in ("step_visible", "processed", "counted", "notified")}
        return f"{len(tracks)}/{self.dossiers} submitted, " + ", ".join(f"{k} {v}" for k, v in counts.items())

    # -- invariants ----------------------------------------------------------------------------
    def observe_final(self) -> None:
        import pika

        from motcua_testing.pipeline import dead_letters

        connection = pika.BlockingConnection(pika.URLParameters(self.system.amqp_url))
        self.channel = connection.channel()
        try:
            self.sample_broker_and_outboxes()
        finally:
            connection.close()
        self.invariants = check_invariants(self.system, self.sinks, self.tracks, self.today, self.client("reporting"))
        leaks = personal_data_in_logs(self.system, self.dossiers)
        if leaks:
            raise LoadError(f"personal data in the logs: {leaks[:5]} ({len(leaks)} in all)")
        self.invariants["log_lines_scanned"] = sum(len(self.system.processes.log(n).splitlines())
                                                   for n in self.system.processes.procs)
        found = explain_dead_letters(self.system.amqp_url, self.expected_dead_letters)
        self.invariants["dead_letters"] = found["unexplained"]
        self.invariants["poison_dead_lettered"] = found["explained"]
        if found["unexplained"] or found["missing"]:
            raise LoadError(f"dead letters not explained by injected poison: {dead_letters(self.system.amqp_url)}; "
                            f"{found['missing']} injected poison messages not dead-lettered")

    def report(self, elapsed: float, submit_seconds: float) -> dict:
        tracks = list(self.tracks.values())
        stages = {
            "submit_to_step_visible": [t.step_visible - t.submitted for t in tracks],
            "step_completed_to_processed": [max(0.0, t.processed - t.last_step_completed) for t in tracks],
            "processed_to_counted": [max(0.0, t.counted - t.processed) for t in tracks],
            "received_to_notified": [t.received_notified - t.submitted for t in tracks],
            "submit_to_counted": [t.counted - t.submitted for t in tracks],
            "submit_to_done": [max(t.counted, t.notified) - t.submitted for t in tracks],
        }
        max_queue = max((max(s.values(), default=0) for s in self.queue_samples), default=0)
        deepest = max(((q, n) for s in self.queue_samples for q, n in s.items()), key=lambda x: x[1], default=("-", 0))
        return {
            "dossiers": self.dossiers, "concurrency": self.concurrency, "communes": len(self.units),
            "elapsed_s": elapsed, "submit_phase_s": submit_seconds,
            "throughput_dossiers_per_s": self.dossiers / elapsed,
            "submit_rate_per_s": self.dossiers / submit_seconds,
            "stages_ms": {name: percentiles(values) for name, values in stages.items()},
            "max_queue_depth": max_queue, "deepest_queue": deepest[0],
            "max_queue_depths": {q: max(s[q] for s in self.queue_samples) for q in self.queue_samples[0]},
            "rate_limit_per_s": self.rate,
            "max_outbox_lag": {s: {"rows": max(x[s][0] for x in self.lag_samples),
                                   "age_s": round(max(x[s][1] for x in self.lag_samples), 3)}
                               for s in SERVICES_ORDER},
            "samples": len(self.queue_samples), "invariants": self.invariants,
            "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        }


def explain_dead_letters(amqp_url: str, expected: dict[str, set[str]]) -> dict:
    """Every dead letter must be one we injected on purpose (and every injected one must be there)."""
    from motcua_shared.broker.dlq import inspect

    from motcua_testing.pipeline import dead_letters

    counts = dead_letters(amqp_url)
    unexplained, explained, missing = 0, 0, 0
    for dlq, n in counts.items():
        queue = dlq.removesuffix(".dlq")
        wanted = expected.get(queue, set())
        if not n and not wanted:
            continue
        seen = {letter.event_id for letter in inspect(amqp_url, queue, limit=n + 10)}
        explained += len(seen & wanted)
        unexplained += n - len(seen & wanted)
        missing += len(wanted - seen)
    return {"unexplained": unexplained, "explained": explained, "missing": missing}


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {}

    def at(q: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"p50": round(1000 * statistics.median(ordered), 1), "p95": at(0.95), "p99": at(0.99),
            "max": round(1000 * ordered[-1], 1)}


def check_invariants(system, sinks: Sinks, tracks: dict[str, Track], today: date, reporting) -> dict:
    """Every dossier counted once by reporting and notified exactly once per template and channel."""
    codes = set(tracks)
    # Reporting: its summary, per commune, counts exactly our dossiers, all received and resolved.
    per_unit = Counter(t.unit for t in tracks.values())
    received = resolved = 0
    for unit, expected in per_unit.items():
        answer = reporting.get(f"/api/v1/reports/summary?from={today}&to={today}&unit={unit}",
                               headers=system.auth("leader", unit=unit))
        if answer.status_code != 200:
            raise LoadError(f"reporting summary for {unit}: {answer.status_code} {answer.get_json()}")
        body = answer.get_json()
        if body["received"]["total"] != expected or body["resolved"]["total"] != expected:
            raise LoadError(f"reporting counts {body['received']['total']} received, {body['resolved']['total']} "
                            f"resolved at {unit}; {expected} were submitted there")
        received += body["received"]["total"]
        resolved += body["resolved"]["total"]
    rows = Counter(r["code"] for r in system.rows("reporting", "dossiers"))
    if set(rows) != codes or any(n != 1 for n in rows.values()):
        raise LoadError(f"reporting's dossiers table holds {len(rows)} codes for {len(codes)} dossiers")
    # Routing: one route per dossier, each step of its plan opened once (no second attempt) and completed.
    routes = {r["id"]: r for r in system.rows("routing", "dossier_routes")}
    if Counter(r["dossier_code"] for r in routes.values()) != Counter(codes):
        raise LoadError(f"routing holds {len(routes)} routes for {len(codes)} dossiers")
    steps = system.rows("routing", "route_steps")
    repeated = [k for k, n in Counter((s["route_id"], s["sequence"]) for s in steps).items() if n > 1]
    open_steps = [s for s in steps if s["status"] != "completed"]
    if repeated or open_steps or {s["route_id"] for s in steps} != set(routes):
        raise LoadError(f"routing's steps: {len(repeated)} opened twice, {len(open_steps)} not completed")
    # Notification: one ledger row per dossier, template and channel, each handed to its provider,
    # and the sinks received exactly what the ledger says was sent.
    messages = system.rows("notification", "messages")
    per_key = Counter((m["dossier_code"], m["template"], m["channel"]) for m in messages)
    duplicates = {k: n for k, n in per_key.items() if n > 1}
    if duplicates:
        raise LoadError(f"{len(duplicates)} duplicate messages, e.g. {next(iter(duplicates.items()))}")
    missing = [(c, t, ch) for c in codes for t in NOTIFIED_TEMPLATES for ch in CHANNELS if (c, t, ch) not in per_key]
    if missing:
        raise LoadError(f"{len(missing)} messages never created, e.g. {missing[0]}")
    unsent = [m for m in messages if m["status"] not in SENT]
    if unsent:
        raise LoadError(f"{len(unsent)} messages not sent, e.g. status {unsent[0]['status']}")
    ledger = Counter(m["channel"] for m in messages if m["sent_at"] is not None)
    wait_until(lambda: sinks.totals() == {ch: ledger[ch] for ch in CHANNELS}, 30,
               lambda: f"the sinks to hold what the ledger sent: sinks {sinks.totals()}, ledger {dict(ledger)}")
    return {"reported_received": received, "reported_resolved": resolved, "routes": len(routes), "steps": len(steps), "messages": len(messages),
            "duplicate_messages": 0, "sink_totals": sinks.totals()}


def wait_until(probe, timeout: float, describe) -> None:
    deadline = time.monotonic() + timeout
    while not probe():
        if time.monotonic() > deadline:
            raise LoadError(f"timed out after {timeout:.0f}s waiting for {describe()}")
        time.sleep(0.2)


class SaturationWindow:
    """What happens at the edges of the saturation window: the CPU of every process of the run is sampled
    at both (cpu_accounting), and with a profile directory py-spy records the workers and one worker
    process of each API in between (profiling)."""

    def __init__(self, system, sinks: Sinks, api: str, profile_dir: Path | None = None, profile_rate: int = 100):
        from cpu_accounting import CpuAccount, Target, postgres_roots, rabbitmq_roots

        self.system, self.api = system, api
        procs = system.processes.procs

        def live(service: str, command: str):
            # Looked up at each sample: a worker restarted under another pid is still the service's worker.
            return lambda _table: [p.popen.pid for p in procs.values()
                                   if p.service == service and p.command == command and p.popen.poll() is None]

        targets = [Target(f"{s} worker", live(s, "worker"), note="with any child process") for s in SERVICES_ORDER]
        if api == "gunicorn":
            targets += [Target(f"{s} API", live(s, "api"), note="gunicorn master + workers") for s in SERVICES_ORDER]
        driver_note = ("submitters, officers, monitor; the five APIs run in it (--api inprocess)"
                       if api == "inprocess" else "HTTP clients: submitters, officers, monitor")
        targets += [
            Target("load driver (this process)", lambda _t: [os.getpid()], own_only=True, note=driver_note),
            Target("dev sinks (SMTP, SMS)", lambda _t: [sinks.popen.pid]),
            Target("rabbitmq", rabbitmq_roots, note="beam.smp + children, every node on the machine"),
            Target("postgresql", postgres_roots, note="server-wide: every postgres process on the machine"),
        ]
        self.cpu = CpuAccount(targets)
        self.profiler = None
        if profile_dir is not None:
            from profiling import Profiler

            self.profiler = Profiler(profile_dir, rate=profile_rate)
            self.cpu.add(Target("py-spy (profiling)", lambda _t: self.profiler.pids(), note="not the system's"))

    def start(self) -> None:
        if self.profiler is not None:
            self.attach_profilers()
        self.cpu.start()

    def attach_profilers(self) -> None:
        from profiling import api_worker_pid

        for proc in self.system.processes.procs.values():
            if proc.command == "worker" and proc.popen.poll() is None:
                self.profiler.start(proc.name, proc.popen.pid, subprocesses=True)
            elif proc.command == "api" and proc.popen.poll() is None:
                worker = api_worker_pid(proc.popen.pid)  # one of gunicorn's workers: they share the load
                if worker is not None:
                    self.profiler.start(f"{proc.name} (one worker)", worker)
        if self.api == "inprocess":
            self.profiler.start("load driver (in-process APIs)", os.getpid())

    def end(self) -> None:
        self.cpu.end()
        if self.profiler is not None:
            self.profiler.interrupt()  # the recorders stop now; their files are drawn after the run

    def figures(self, dossiers: int) -> dict:
        out = {"cpu": self.cpu.result(dossiers)}
        if self.profiler is not None:
            out["profile"] = self.profiler.stop()
        return out


def event_counts(system, dossiers: int) -> dict:
    """Events per dossier by type, as the outboxes hold them, and deliveries per dossier per consumer
    queue, as the inboxes hold them (one row per event a consumer handled on a queue)."""
    from sqlalchemy import text

    published, delivered = {}, {}
    for service in SERVICES_ORDER:
        with system.runtime(service).engine.connect() as conn:
            for event_type, n in conn.execute(text("SELECT event_type, count(*) FROM outbox GROUP BY event_type")):
                published[f"{service}: {event_type}"] = round(n / dossiers, 3)
            for queue, n in conn.execute(text("SELECT queue, count(*) FROM inbox GROUP BY queue")):
                delivered[f"{service}: {queue}"] = round(n / dossiers, 3)
    return {"events_per_dossier_by_type": dict(sorted(published.items())),
            "deliveries_per_dossier_by_queue": dict(sorted(delivered.items()))}


def run_load(system, dossiers: int, concurrency: int, duration_limit: float, log_dir: Path,
             rate: float | None = None, api: str = "inprocess", profile_dir: Path | None = None,
             profile_rate: int = 100) -> dict:
    """Start the sinks and the five workers on `system` (a motcua_testing System with fresh vhost and
    databases), drive the load, check the invariants; the caller owns the system's cleanup.
    `api="gunicorn"` starts the five APIs as gunicorn processes and drives them over HTTP;
    `profile_dir` records flame graphs there during the saturation window."""
    sinks = Sinks(log_dir)
    window = None
    try:
        for service in SERVICES_ORDER:
            system.start_workers(service, extra_env=notification_env(sinks) if service == "notification" else None)
        clients = None
        if api == "gunicorn":
            from api_processes import HttpClient, start_apis

            clients = {s: HttpClient(base) for s, base in start_apis(system).items()}
        window = SaturationWindow(system, sinks, api, profile_dir, profile_rate)
        figures = LoadRun(system, sinks, dossiers, concurrency, duration_limit, rate, clients=clients,
                          window=window).run()
        figures["api"] = api
        figures.update(window.figures(dossiers))
        figures["cpu"]["per_service_ms_per_dossier"] = per_service_ms(figures["cpu"])
        figures["events_published"] = sum(system.count(s, "outbox") for s in SERVICES_ORDER)
        figures.update(event_counts(system, dossiers))
        return figures
    finally:
        if window is not None and window.profiler is not None:
            window.profiler.interrupt()  # a failed run: no recorder outlives it
            window.profiler.reap()
        sinks.stop()


def bare_limits(system, seconds_budget: float = 60.0) -> dict:
    """The machine's own limits, measured right after the run on the same broker and database server:
    bare publish-confirm-consume of 1 KB messages (one queue, and the four-way fan-out), and bare
    PostgreSQL write transactions (one row and one outbox-like row per commit, 4 threads)."""
    from sqlalchemy import create_engine, text

    from pipeline_throughput import bare_baseline

    broker = bare_baseline(system.amqp_url, b"x" * 1024, count=5000, window=200, prefetch=200, timeout=seconds_budget)
    engine = create_engine(system.database_urls["intake"], pool_size=4)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bare_rows (id bigserial PRIMARY KEY, body jsonb NOT NULL)"))
        conn.execute(text("CREATE TABLE bare_outbox (id bigserial PRIMARY KEY, body bytea NOT NULL)"))
    per_thread = 500

    def writer(_):
        with engine.connect() as conn:
            for _ in range(per_thread):
                with conn.begin():
                    conn.execute(text("INSERT INTO bare_rows (body) VALUES (CAST(:b AS jsonb))"), {"b": '{"n": 1}'})
                    conn.execute(text("INSERT INTO bare_outbox (body) VALUES (:b)"), {"b": b"x" * 1024})

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(writer, range(4)))
    db_tps = 4 * per_thread / (time.monotonic() - started)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE bare_rows, bare_outbox"))
    engine.dispose()
    return {"broker_msgs_per_s": round(broker["bare_e2e"]), "broker_fanout_msgs_per_s": round(broker["bare_fanout_e2e"]),
            "db_write_tx_per_s": round(db_tps)}


# ------------------------------------------------------------------------------------------------
# Command line: a system of our own, removed whatever happens
# ------------------------------------------------------------------------------------------------
def per_service_ms(cpu: dict) -> dict[str, float]:
    """CPU ms per dossier of each service: its worker and its API (gunicorn; in-process APIs are in the
    driver's row and not here)."""
    rows = cpu["rows"]
    return {s: sum(rows[k]["ms_per_unit"] for k in (f"{s} worker", f"{s} API") if k in rows) for s in SERVICES_ORDER}


def print_report(r: dict) -> None:
    from cpu_accounting import format_table

    pace = f"{r['rate_limit_per_s']:g}/s" if r["rate_limit_per_s"] else "unpaced"
    print(f"\nmotcua pipeline load — {r['dossiers']} dossiers, {r['concurrency']} submitters ({pace}), "
          f"APIs {r.get('api', 'inprocess')}, "
          f"{r['communes']} communes, load average {r['loadavg']}")
    print(f"  end-to-end throughput   {r['throughput_dossiers_per_s']:.2f} dossiers/s "
          f"({r['elapsed_s']:.1f} s; submissions {r['submit_rate_per_s']:.1f}/s)")
    print(f"  {'stage':<30} {'p50':>9} {'p95':>9} {'p99':>9} {'max':>9}  ms")
    for name in STAGES:
        p = r["stages_ms"][name]
        print(f"  {name:<30} {p['p50']:>9.1f} {p['p95']:>9.1f} {p['p99']:>9.1f} {p['max']:>9.1f}")
    print(f"  max queue depth         {r['max_queue_depth']} ({r['deepest_queue']}), {r['samples']} samples; "
          + ", ".join(f"{q} {n}" for q, n in r["max_queue_depths"].items() if n))
    print("  max outbox lag          " + ", ".join(f"{s} {v['rows']} rows/{v['age_s']:.2f}s"
                                                 for s, v in r["max_outbox_lag"].items()))
    if "cpu" in r:
        print(f"  CPU from the first submission to the last dossier done ({r['cpu']['window_s']:.1f} s):")
        for line in format_table(r["cpu"], unit="dossier", indent="    "):
            print(line)
        whose = "API + worker" if r.get("api") == "gunicorn" else "worker only (the APIs are in the driver)"
        print(f"    per service, {whose}: " + ", ".join(
            f"{s} {ms:.1f}" for s, ms in r["cpu"]["per_service_ms_per_dossier"].items()) + " ms/dossier")
    if "events_per_dossier_by_type" in r:
        print(f"  events per dossier      {r['events_published'] / r['dossiers']:.2f} in all, by type (outboxes):")
        for name, n in r["events_per_dossier_by_type"].items():
            print(f"    {name:<46} {n:>6.2f}")
        print(f"  deliveries per dossier  {sum(r['deliveries_per_dossier_by_queue'].values()):.2f} in all, "
              "by consumer queue (inboxes):")
        for name, n in r["deliveries_per_dossier_by_queue"].items():
            print(f"    {name:<46} {n:>6.2f}")
    if "bare" in r:
        b = r["bare"]
        events_per_dossier = r["events_published"] / r["dossiers"]
        event_rate = r["throughput_dossiers_per_s"] * events_per_dossier
        print(f"  bare limits, same run   broker {b['broker_msgs_per_s']} msg/s (fan-out to 4: "
              f"{b['broker_fanout_msgs_per_s']}), PostgreSQL {b['db_write_tx_per_s']} write tx/s")
        print(f"  against them            {events_per_dossier:.1f} events per dossier, {event_rate:.0f} events/s = "
              f"{event_rate / b['broker_msgs_per_s']:.3f} of the bare broker; "
              f"{r['throughput_dossiers_per_s']:.2f} dossiers/s = 1/{b['db_write_tx_per_s'] / r['throughput_dossiers_per_s']:.0f} "
              f"of the bare write transactions")
    if "naive_chain" in r:
        from naive_chain import print_report as print_naive

        n = r["naive_chain"]
        print(f"  pipeline / naive chain = {r['throughput_dossiers_per_s'] / n['items_per_s']:.2f} "
              f"({r['throughput_dossiers_per_s']:.2f} dossiers/s against {n['items_per_s']:.1f} items/s; "
              f"CPU {r['cpu']['total_ms_per_unit']:.0f} ms/dossier against "
              f"{n['cpu']['total_ms_per_unit']:.2f} ms/item)")
        print_naive(n, indent="    ")
    if "profile" in r:
        prof = r["profile"]
        print(f"  flame graphs            {len(prof['processes'])} in {prof['dir']} (top frames: {prof['top_frames']})"
              + (f"; no profile of {', '.join(prof['failed'])}" if prof["failed"] else ""))
    inv = r["invariants"]
    print(f"  invariants              reported {inv['reported_received']} received / {inv['reported_resolved']} "
          f"resolved, {inv['messages']} messages, 0 duplicates, sinks {inv['sink_totals']}, "
          f"dead letters {inv['dead_letters']}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dossiers", type=int, default=200, help="dossiers to submit (default 200)")
    p.add_argument("--concurrency", type=int, default=8, help="submitter threads (default 8)")
    p.add_argument("--duration-limit", type=float, default=600.0, help="seconds before giving up (default 600)")
    p.add_argument("--rate", type=float, default=None,
                   help="submissions per second (open loop); default: as fast as the submitters go")
    p.add_argument("--api", choices=("inprocess", "gunicorn"), default="inprocess",
                   help="drive the APIs in-process (Flask test clients) or as gunicorn processes over HTTP")
    p.add_argument("--no-bare", dest="bare", action="store_false",
                   help="skip measuring the bare broker and database limits and the naive chain after the run")
    p.add_argument("--naive-items", type=int, default=2000,
                   help="items through the naive chain measured after the run (default 2000; skipped by --no-bare)")
    p.add_argument("--profile", metavar="DIR", type=Path, default=None,
                   help="record py-spy flame graphs (--gil) of every worker and one worker of each API into DIR")
    p.add_argument("--profile-rate", metavar="HZ", type=int, default=100,
                   help="py-spy samples per second and process with --profile (default 100)")
    p.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = p.parse_args(argv)
    if args.dossiers < 1 or args.concurrency < 1 or args.duration_limit <= 0 or (args.rate is not None and args.rate <= 0):
        p.error("--dossiers and --concurrency must be at least 1, --duration-limit and --rate positive")
    if args.naive_items < 1 or args.profile_rate < 1:
        p.error("--naive-items and --profile-rate must be at least 1")
    if args.profile is not None:
        from profiling import py_spy

        if py_spy() is None:
            p.error("--profile needs py-spy: .venv/bin/pip install -r requirements-dev.lock")

    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from motcua_shared.broker.admin import RabbitmqctlAdmin
    from motcua_testing.databases import DatabaseFactory
    from pipeline_throughput import Resources, build_system

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    res = Resources(admin=RabbitmqctlAdmin())
    status, result = 0, None
    try:
        res.factory = DatabaseFactory(POSTGRES_URL)
        system = build_system(res, 0, {"LOG_LEVEL": "WARNING"})
        log_dir = Path(tempfile.mkdtemp(prefix="motcua-load-"))
        res.tmpdirs.append(log_dir)
        result = run_load(system, args.dossiers, args.concurrency, args.duration_limit, log_dir, args.rate, args.api,
                          args.profile, args.profile_rate)
        if args.bare:
            system.processes.stop_all()  # the bare figures are the machine's, not shared with idle workers
            result["bare"] = bare_limits(system)
            from naive_chain import run_naive_chain

            # Same broker and database server, same number of concurrent clients as the submitters.
            result["naive_chain"] = run_naive_chain(
                args.naive_items, clients=args.concurrency, log_dir=log_dir,
                amqp_base=AMQP_BASE, postgres_admin_url=POSTGRES_URL.replace("+psycopg", ""))
    except KeyboardInterrupt:
        print("\ninterrupted: cleaning up", file=sys.stderr)
        status = 130
    except LoadError as exc:
        print(f"load test failed: {exc}", file=sys.stderr)
        res.show_logs = True
        status = 1
    except Exception:
        traceback.print_exc()
        res.show_logs = True
        status = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for problem in res.cleanup():
            print(f"cleanup: {problem}", file=sys.stderr)
    if result:
        print_report(result)
        if args.json:
            print(json.dumps(result, indent=2))
    return status


if __name__ == "__main__":
    sys.exit(main())
