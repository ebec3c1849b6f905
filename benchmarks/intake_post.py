#!/usr/bin/env python
"""POST /api/v1/dossiers under gunicorn, next to a bare Flask endpoint doing one insert and one outbox row.

    .venv/bin/python benchmarks/intake_post.py [--requests N] [--rounds R] [--concurrency C] [--workers W]
                                               [--threads T] [--one-desk] [--json]

Both servers run the same way: gunicorn, W workers of T threads each (gthread, as the APIs are served
with INTAKE_WEB_THREADS, default 4; T = 1 is gunicorn's sync worker), on 127.0.0.1, each on its own fresh PostgreSQL
database; intake also gets a fresh vhost (its API does not publish, the outbox does, but it is started
exactly as `python -m motcua_intake api` is in production). The load is C client threads, each sending
its next request as soon as the previous answer arrives (a new connection each time, the worst case for
the server): a warm-up, then R rounds of N measured requests per server, the two servers taking
turns. Reported: requests per second, p50 and p99 latency, the server's CPU milliseconds per request
(its gunicorn master and workers, from /proc; medians over the rounds), and intake's figures as a share
of the bare endpoint's. The machine is shared, so the rounds show the spread; the CPU per request moves
least with what else runs, and its ratio is the throughput ratio on cores the servers have to themselves.

What the bare endpoint does: parse the JSON body, one INSERT of the dossier row and one INSERT of an
outbox row in one transaction, answer 201 with a small JSON. What intake does beyond that: JWT
verification, marshmallow validation, reference-data checks, the daily code and logbook counters
(two upserts, in one statement with the code's check and the restore guard), the appointment from the
working calendar, the history row (one statement with the dossier's) and the event's schema.

By default the requests rotate over the nine communes of Sông Mã (a province-level receptionist), so
they contend the way a district's desks do; --one-desk sends them all to one desk, where every
request serialises on that desk's daily sequence row.

Everything it creates (databases, vhost, processes, a temporary directory) is removed at the end, also
on Ctrl-C or SIGTERM. Only 127.0.0.1 is contacted.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SECRET = "benchmark-secret-0123456789abcdef0123"
COMMUNES = ("04168", "04171", "04183", "04186", "04195", "04204", "04210", "04219", "04222")
BODY = {
    "procedure_code": "1.004873", "channel": "counter", "return_method": "counter",
    "applicant": {"full_name": "Lò Văn Hùng", "id_number": "014090001234", "phone": "0912345678",
                  "email": "hung@example.vn", "address": "Bản Hưng Mai"},
    "documents": [{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "copy_type": "original", "count": 1}],
}


# ------------------------------------------------------------------------------------------------
# The bare endpoint: what any Flask service writing a row and an outbox row costs
# ------------------------------------------------------------------------------------------------
BARE_SCHEMA = """
CREATE TABLE bare_dossiers (id bigserial PRIMARY KEY, code text NOT NULL UNIQUE, body jsonb NOT NULL,
                            received_at timestamptz NOT NULL);
CREATE TABLE bare_outbox (id bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, body bytea NOT NULL,
                          created_at timestamptz NOT NULL, sent_at timestamptz);
"""


def bare_app(database_url: str):
    from flask import Flask, request
    from sqlalchemy import create_engine, text

    app = Flask("bare")
    engine = create_engine(database_url, pool_size=10, max_overflow=10, pool_pre_ping=True)

    @app.post("/bare")
    def receive():
        body = json.loads(request.get_data())
        code, event_id = uuid.uuid4().hex, uuid.uuid4()
        event = json.dumps({"id": str(event_id), "type": "bare.received", "data": {"code": code, **body}},
                           ensure_ascii=False).encode()
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO bare_dossiers (code, body, received_at) VALUES (:c, :b, now())"),
                         {"c": code, "b": json.dumps(body, ensure_ascii=False)})
            conn.execute(text("INSERT INTO bare_outbox (event_id, body, created_at) VALUES (:e, :b, now())"),
                         {"e": event_id, "b": event})
        return {"code": code}, 201

    return app


def worker_class(threads: int) -> str:
    """As motcua_shared.server chooses it: one thread is gunicorn's plain sync worker."""
    return "gthread" if threads > 1 else "sync"


def serve_bare(database_url: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"127.0.0.1:{port}", "workers": workers, "worker_class": worker_class(threads),
                               "threads": threads, "accesslog": None, "keepalive": 5, "timeout": 30}.items():
                self.cfg.set(key, value)

        def load(self):
            return bare_app(database_url)

    Server().run()


# ------------------------------------------------------------------------------------------------
# Load
# ------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(port: int, path: str, body: bytes, headers: dict) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def load(port: int, path: str, bodies: list[bytes], headers: dict, concurrency: int) -> dict:
    """Send every body with `concurrency` closed-loop clients; return the rate and latencies."""
    latencies, statuses, lock = [], {}, threading.Lock()
    pending = iter(range(len(bodies)))

    def client():
        while True:
            with lock:
                index = next(pending, None)
            if index is None:
                return
            status, seconds = post(port, path, bodies[index], headers)
            with lock:
                latencies.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"requests": len(bodies), "seconds": round(elapsed, 3), "rps": round(len(bodies) / elapsed, 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
            "statuses": statuses}


def server_cpu_seconds(group: int) -> float:
    """CPU (user + system) used so far by every process of one server's process group (its gunicorn
    master and workers; each server is started in a session of its own). Read from /proc: on a machine
    shared with the clients and with other work, CPU per request is steadier than requests per second."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        # After the command name: state, ppid, pgrp, ..., utime (14th field of the line), stime (15th).
        if int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def measured_load(proc: subprocess.Popen, port: int, path: str, bodies: list[bytes], headers: dict,
                  concurrency: int) -> dict:
    """`load`, with the server's CPU milliseconds per request."""
    before = server_cpu_seconds(proc.pid)
    result = load(port, path, bodies, headers, concurrency)
    result["cpu_ms"] = round((server_cpu_seconds(proc.pid) - before) * 1000 / len(bodies), 3)
    return result


# ------------------------------------------------------------------------------------------------
# Resources
# ------------------------------------------------------------------------------------------------
@dataclass
class Resources:
    """Everything the benchmark made, removed in reverse order whatever happens."""

    engine: object = None
    databases: list[str] = field(default_factory=list)
    vhost: str | None = None
    processes: list[subprocess.Popen] = field(default_factory=list)
    tmpdir: Path | None = None

    def cleanup(self) -> None:
        from sqlalchemy import text

        for proc in self.processes:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.processes.clear()
        for name in self.databases:
            with self.engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.databases.clear()
        if self.vhost:
            from motcua_shared.broker.admin import RabbitmqctlAdmin

            RabbitmqctlAdmin().delete_vhost(self.vhost)
            self.vhost = None
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)


def database(res: Resources, name: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if res.engine is None:
        res.engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", pool_size=1)
    with res.engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    res.databases.append(name)
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status in (200, 404):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} not up after {timeout}s")


def start(res: Resources, args: list[str], env: dict, log: str) -> subprocess.Popen:
    handle = open(res.tmpdir / log, "ab")
    proc = subprocess.Popen(args, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT,
                            start_new_session=True, cwd=ROOT)
    handle.close()
    res.processes.append(proc)
    return proc


def run(options) -> dict:
    from motcua_shared import migrations
    from motcua_shared.broker.admin import RabbitmqctlAdmin
    from motcua_shared.broker.permissions import Permission
    from motcua_shared.web.auth import issue_token
    from motcua_intake.service import SPEC
    from sqlalchemy import create_engine, func, select, text

    run_id = uuid.uuid4().hex[:8]
    res = Resources(tmpdir=Path(tempfile.mkdtemp(prefix="intake-bench-")))

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        intake_url = database(res, f"bench_{run_id}_intake")
        migrations.upgrade(SPEC, intake_url)
        bare_url = database(res, f"bench_{run_id}_bare")
        with create_engine(bare_url).begin() as conn:
            for statement in filter(str.strip, BARE_SCHEMA.split(";")):
                conn.execute(text(statement))
        res.vhost = f"bench-intake-{run_id}"
        admin = RabbitmqctlAdmin()
        admin.add_vhost(res.vhost)
        admin.set_permissions(res.vhost, Permission("guest", ".*", ".*", ".*"))

        intake_port, bare_port = free_port(), free_port()
        intake = start(res, [sys.executable, "-m", "motcua_intake", "api"], {
            "INTAKE_DATABASE_URL": intake_url, "INTAKE_PORT": str(intake_port),
            "INTAKE_WEB_WORKERS": str(options.workers), "INTAKE_WEB_THREADS": str(options.threads),
            "MOTCUA_JWT_SECRET": SECRET, "LOG_LEVEL": "WARNING",
            "AMQP_URL": f"amqp://guest:guest@127.0.0.1:5672/{res.vhost}", "MOTCUA_VAR_DIR": str(res.tmpdir),
        }, "intake-api.log")
        bare = start(res, [sys.executable, __file__, "--serve-bare", bare_url, "--port", str(bare_port),
                           "--workers", str(options.workers), "--threads", str(options.threads)], {},
                     "bare-api.log")
        wait_healthy(intake_port, intake)
        wait_healthy(bare_port, bare)

        units = (COMMUNES[-1],) if options.one_desk else COMMUNES
        total = options.warmup + options.requests
        bodies = [json.dumps({**BODY, "receiving_unit": units[i % len(units)]}, ensure_ascii=False).encode()
                  for i in range(total)]
        intake_headers = {"Content-Type": "application/json", "Authorization": "Bearer " + issue_token(
            secret=SECRET, roles=["receptionist"], unit="14", sub="bench-desk", ttl_seconds=3600)}
        bare_headers = {"Content-Type": "application/json"}

        targets = {"intake": (intake, intake_port, "/api/v1/dossiers", intake_headers),
                   "bare": (bare, bare_port, "/bare", bare_headers)}
        for _proc, port, path, headers in targets.values():
            load(port, path, bodies[:options.warmup], headers, options.concurrency)
        rounds = []
        for index in range(options.rounds):
            # Alternate which goes first, so that neither always gets the quieter machine.
            order = ("bare", "intake") if index % 2 == 0 else ("intake", "bare")
            measured = {name: measured_load(*targets[name][:3], bodies[options.warmup:], targets[name][3],
                                            options.concurrency) for name in order}
            rounds.append({name: measured[name] for name in ("bare", "intake")})

        with create_engine(intake_url).connect() as conn:
            stored = {table: conn.execute(select(func.count()).select_from(SPEC.metadata.tables[table])).scalar_one()
                      for table in ("dossiers", "outbox", "dossier_history")}
        expected = options.warmup + options.rounds * options.requests
        failed = [r["intake"]["statuses"] for r in rounds if r["intake"]["statuses"] != {201: options.requests}]
        if any(count != expected for count in stored.values()) or failed:
            raise RuntimeError(f"intake did not store every dossier once: {stored}, {failed}")
        results = {"rounds": rounds, "median": {name: {key: statistics.median(r[name][key] for r in rounds)
                                                       for key in ("rps", "p50_ms", "p99_ms", "cpu_ms")}
                                                for name in ("bare", "intake")}}
        median = results["median"]
        results["ratio"] = {
            "rps": round(median["intake"]["rps"] / median["bare"]["rps"], 3),
            "p50": round(median["intake"]["p50_ms"] / median["bare"]["p50_ms"], 2),
            "p99": round(median["intake"]["p99_ms"] / median["bare"]["p99_ms"], 2),
            # bare's CPU per request over intake's: the throughput ratio both servers would reach on an
            # otherwise idle machine whose cores they saturate.
            "cpu": round(median["bare"]["cpu_ms"] / median["intake"]["cpu_ms"], 3),
        }
        results["setup"] = {"requests": options.requests, "rounds": options.rounds, "warmup": options.warmup,
                            "concurrency": options.concurrency, "gunicorn_workers": options.workers,
                            "worker_class": (f"gthread x{options.threads}" if options.threads > 1 else "sync"),
                            "desks": len(units), "cpus": os.cpu_count(), "load_average": os.getloadavg()[0],
                            "python": platform.python_version()}
        return results
    finally:
        res.cleanup()


def report(results: dict) -> None:
    setup = results["setup"]
    print(f"POST under gunicorn ({setup['gunicorn_workers']} {setup['worker_class']} workers each), "
          f"{setup['rounds']} rounds of "
          f"{setup['requests']} requests after {setup['warmup']} warm-up, {setup['concurrency']} concurrent clients, "
          f"{setup['desks']} desk(s); {setup['cpus']} CPUs shared with the clients (load average at the end "
          f"{setup['load_average']:.1f})")
    print(f"{'':34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms':>9}   rounds (req/s; server CPU ms per request)")
    for name, label in (("bare", "bare Flask: 1 insert + 1 outbox"), ("intake", "intake POST /api/v1/dossiers")):
        median = results["median"][name]
        each = ", ".join(str(r[name]["rps"]) for r in results["rounds"])
        cpu = ", ".join(f"{r[name]['cpu_ms']:.2f}" for r in results["rounds"])
        print(f"{label:34}{median['rps']:>9}{median['p50_ms']:>9}{median['p99_ms']:>9}{median['cpu_ms']:>9.2f}"
              f"   {each}; {cpu}")
    ratio = results["ratio"]
    print(f"intake / bare (medians): {ratio['rps']:.0%} of the throughput, p50 x{ratio['p50']}, p99 x{ratio['p99']}; "
          f"by server CPU per request (bare / intake) {ratio['cpu']:.0%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="measured requests per server and round")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; the medians are reported")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server")
    parser.add_argument("--threads", type=int, default=4, help="threads of each gunicorn worker (1: sync workers)")
    parser.add_argument("--one-desk", action="store_true", help="every request at one desk (one sequence row)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--serve-bare", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve_bare:
        serve_bare(options.serve_bare, options.port, options.workers, options.threads)
        return 0
    try:
        results = run(options)
    except KeyboardInterrupt:
        print("interrupted; everything the benchmark created was removed", file=sys.stderr)
        return 130
    print(json.dumps(results, indent=2)) if options.json else report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
