#!/usr/bin/env python
"""The naive chain of issue 18: what this machine's broker and database do for a bare HTTP → 3-stage
pipeline with the same guarantees per hop, to compare the real pipeline against in the same run.

    .venv/bin/python benchmarks/naive_chain.py [--items 2000] [--clients 8] [--web-workers 2] [--json]

- HTTP: a bare Flask app under gunicorn (2 sync workers, as the services' APIs run) on a free loopback
  port; `POST /items` inserts the item into PostgreSQL (one transaction) and then publishes it to stage 1's
  queue with a publisher confirm, and answers 201;
- three consumer processes, each consuming its own quorum queue (prefetch 100, manual acks): per message
  one transaction (insert a row, idempotent on the item's id), one confirmed publish to the next stage's
  queue (stages 1 and 2), then the ack; stage 3 only inserts;
- `--clients` threads POST `--items` items (about 0.8 KB of JSON each, the size of the pipeline's
  events) as fast as they are answered.

Throughput = items fully through stage 3 per second: from the first measured POST until stage 3's table
holds every item (polled every 20 ms). A warm-up of 50 items goes through first, outside the clock. The CPU
of every process between those two moments is taken from /proc (loadtest/cpu_accounting.py); PostgreSQL's
figure is server-wide, the broker's is every RabbitMQ node on the machine.

It uses the local RabbitMQ (guest, 127.0.0.1:5672; `rabbitmqctl` on the PATH makes and removes a vhost
`naive-<id>`) and the local PostgreSQL (user postgres, 127.0.0.1:5432; a database `naive_<id>`), both
removed at the end, also after a failure, Ctrl-C or SIGTERM. Importable: `run_naive_chain()` answers
the figures as a dict (loadtest/pipeline_load.py runs it after the pipeline).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AMQP_BASE = "amqp://guest:guest@127.0.0.1:5672"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
STAGES = 3
PREFETCH = 100
WARMUP = 50
POLL = 0.02
FILLER = "x" * 640  # brings a body to about 0.8 KB, like the pipeline's events

sys.path.insert(0, str(ROOT / "loadtest"))  # cpu_accounting


def queue_of(stage: int) -> str:
    return f"naive.stage{stage}"


def table_of(stage: int) -> str:
    return f"stage_{stage}"  # stage 0 is the HTTP insert


def amqp_params(url: str):
    import pika

    params = pika.URLParameters(url)
    # A sync gunicorn worker services its connection only while it handles a request: no heartbeat, so an
    # idle worker is not disconnected between requests (the run is short; the broker is local).
    params.heartbeat = 0
    return params


def publish_confirmed(channel, stage: int, body: bytes) -> None:
    import pika

    # On a confirm-mode channel basic_publish returns after the broker's ack; a nack or an unroutable
    # message (mandatory) raises, so the caller never acks or answers 201 for a message not stored.
    channel.basic_publish("", queue_of(stage), body,
                          pika.BasicProperties(delivery_mode=2, content_type="application/json"), mandatory=True)


# -- the HTTP stage: a gunicorn app --------------------------------------------------------------
def create_app():
    """gunicorn's factory (`naive_chain:create_app()`); connections are opened per worker after the fork."""
    import pika
    import psycopg
    from flask import Flask, jsonify, request

    app = Flask("naive_chain")
    held: dict = {}

    def resources():
        if not held:
            held["db"] = psycopg.connect(os.environ["NAIVE_CHAIN_DATABASE_URL"], autocommit=True)
            channel = pika.BlockingConnection(amqp_params(os.environ["NAIVE_CHAIN_AMQP_URL"])).channel()
            channel.confirm_delivery()
            held["channel"] = channel
        return held["db"], held["channel"]

    @app.post("/items")
    def post_item():
        item = request.get_json()
        db, channel = resources()
        with db.transaction():
            db.execute(f"INSERT INTO {table_of(0)} (id, body) VALUES (%s, %s)", (item["id"], json.dumps(item)))
        publish_confirmed(channel, 1, json.dumps(item).encode())
        return jsonify(id=item["id"]), 201

    return app


# -- a consumer stage: its own process -----------------------------------------------------------
def consume_stage(stage: int, amqp_url: str, database_url: str) -> None:
    import pika
    import psycopg

    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    db = psycopg.connect(database_url, autocommit=True)
    connection = pika.BlockingConnection(amqp_params(amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    channel.basic_qos(prefetch_count=PREFETCH)
    for method, _props, body in channel.consume(queue_of(stage), inactivity_timeout=0.5):
        if stopping.is_set():
            break
        if method is None:
            continue
        item = json.loads(body)
        with db.transaction():  # one transaction per message, then the confirmed publish, then the ack
            db.execute(f"INSERT INTO {table_of(stage)} (id, body) VALUES (%s, %s) ON CONFLICT (id) DO NOTHING",
                       (item["id"], body.decode()))
        if stage < STAGES:
            publish_confirmed(channel, stage + 1, body)
        channel.basic_ack(method.delivery_tag)
    connection.close()
    db.close()


# -- the run -------------------------------------------------------------------------------------
class NaiveChain:
    """The vhost, the database and the processes of one run; close() removes them all."""

    def __init__(self, amqp_base: str, postgres_admin_url: str, web_workers: int, log_dir: Path):
        from motcua_shared.broker.admin import RabbitmqctlAdmin

        self.run_id = uuid.uuid4().hex[:8]
        self.admin = RabbitmqctlAdmin()
        self.vhost = f"naive-{self.run_id}"
        self.database = f"naive_{self.run_id}"
        self.postgres_admin_url = postgres_admin_url
        self.amqp_url = f"{amqp_base}/{self.vhost}"
        self.database_url = postgres_admin_url.rsplit("/", 1)[0] + f"/{self.database}"
        self.web_workers = web_workers
        self.log_dir = log_dir
        self.procs: dict[str, subprocess.Popen] = {}
        self.vhost_made = self.database_made = False

    def open(self) -> None:
        import pika
        import psycopg

        from motcua_shared.broker.permissions import Permission

        self.admin.add_vhost(self.vhost)
        self.vhost_made = True
        self.admin.set_permissions(self.vhost, Permission("guest", ".*", ".*", ".*"))
        with psycopg.connect(self.postgres_admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.database}"')
        self.database_made = True
        with psycopg.connect(self.database_url, autocommit=True) as db:
            for stage in range(STAGES + 1):
                db.execute(f"CREATE TABLE {table_of(stage)} (id uuid PRIMARY KEY, body jsonb NOT NULL, "
                           "at timestamptz NOT NULL DEFAULT now())")
        connection = pika.BlockingConnection(amqp_params(self.amqp_url))
        channel = connection.channel()
        for stage in range(1, STAGES + 1):  # the pipeline's consumer queues are quorum queues too
            channel.queue_declare(queue_of(stage), durable=True, arguments={"x-queue-type": "quorum"})
        connection.close()

        from motcua_testing.ports import free_port

        self.port = free_port()
        env = {**os.environ, "NAIVE_CHAIN_AMQP_URL": self.amqp_url, "NAIVE_CHAIN_DATABASE_URL": self.database_url}
        self._start("http", [sys.executable, "-m", "gunicorn", "--workers", str(self.web_workers),
                             "--worker-class", "sync", "--bind", f"127.0.0.1:{self.port}", "--chdir", str(HERE),
                             "--no-control-socket", "--log-level", "warning", "naive_chain:create_app()"], env)
        for stage in range(1, STAGES + 1):
            self._start(f"stage{stage}", [sys.executable, str(Path(__file__).resolve()), "stage", str(stage),
                                          self.amqp_url, self.database_url], env)
        self._wait_ready()

    def _start(self, name: str, command: list[str], env: dict) -> None:
        with open(self.log_dir / f"naive-{name}.log", "ab") as log:
            self.procs[name] = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                start_new_session=True)

    def _wait_ready(self, timeout: float = 60) -> None:
        import pika
        import requests

        deadline = time.monotonic() + timeout
        connection = pika.BlockingConnection(amqp_params(self.amqp_url))
        channel = connection.channel()
        try:
            while True:
                dead = [n for n, p in self.procs.items() if p.poll() is not None]
                if dead:
                    raise RuntimeError(f"naive chain: {dead} exited: {self.log_tail(dead[0])}")
                consumers = [channel.queue_declare(queue_of(s), passive=True).method.consumer_count
                             for s in range(1, STAGES + 1)]
                try:
                    http = requests.get(f"http://127.0.0.1:{self.port}/", timeout=1).status_code == 404
                except requests.RequestException:
                    http = False
                if http and all(consumers):
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"naive chain not ready after {timeout:.0f}s "
                                       f"(consumers {consumers}, http {http})")
                time.sleep(0.2)
        finally:
            connection.close()

    def log_tail(self, name: str) -> str:
        path = self.log_dir / f"naive-{name}.log"
        return path.read_text(errors="replace")[-1500:] if path.exists() else ""

    def through(self, db) -> int:
        return db.execute(f"SELECT count(*) FROM {table_of(STAGES)}").fetchone()[0]

    def close(self) -> list[str]:
        import psycopg

        problems = []
        for popen in self.procs.values():
            if popen.poll() is None:
                os.killpg(popen.pid, signal.SIGTERM)
        for popen in self.procs.values():
            try:
                popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(popen.pid, signal.SIGKILL)
                popen.wait()
        if self.database_made:
            try:
                with psycopg.connect(self.postgres_admin_url, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            except Exception as exc:
                problems.append(f"dropping database {self.database}: {exc!r}")
        if self.vhost_made:
            try:
                self.admin.delete_vhost(self.vhost)
            except Exception as exc:
                problems.append(f"deleting vhost {self.vhost}: {exc!r}")
        return problems


def post_items(port: int, ids: list[str], clients: int) -> None:
    """`clients` threads POST the items, each as soon as its previous one was answered."""
    import requests

    todo = iter(ids)
    lock = threading.Lock()
    errors: list[str] = []

    def client():
        session = requests.Session()
        while not errors:
            with lock:
                item_id = next(todo, None)
            if item_id is None:
                return
            answer = session.post(f"http://127.0.0.1:{port}/items", json={"id": item_id, "kind": "naive",
                                                                          "filler": FILLER}, timeout=30)
            if answer.status_code != 201:
                errors.append(f"POST /items: {answer.status_code} {answer.text[:200]}")

    threads = [threading.Thread(target=client, name=f"naive-client-{i}") for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(errors[0])


def wait_through(chain: NaiveChain, db, target: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while chain.through(db) < target:
        dead = [n for n, p in chain.procs.items() if p.poll() is not None]
        if dead:
            raise RuntimeError(f"naive chain: {dead} exited: {chain.log_tail(dead[0])}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"naive chain: {chain.through(db)} of {target} items through stage {STAGES} "
                               f"after {timeout:.0f}s")
        time.sleep(POLL)


def run_naive_chain(items: int = 2000, clients: int = 8, web_workers: int = 2, amqp_base: str = AMQP_BASE,
                    postgres_admin_url: str = POSTGRES_ADMIN_URL, log_dir: Path | None = None,
                    timeout: float = 300) -> dict:
    """One measured run; everything it creates is removed before it returns or raises."""
    import tempfile

    import psycopg

    from cpu_accounting import CpuAccount, Target, postgres_roots, rabbitmq_roots

    own_dir = log_dir is None
    log_dir = Path(tempfile.mkdtemp(prefix="motcua-naive-")) if own_dir else log_dir
    chain = NaiveChain(amqp_base, postgres_admin_url, web_workers, log_dir)
    try:
        chain.open()
        with psycopg.connect(chain.database_url, autocommit=True) as db:
            post_items(chain.port, [str(uuid.uuid4()) for _ in range(WARMUP)], clients)
            wait_through(chain, db, WARMUP, timeout)
            account = CpuAccount([
                Target(f"HTTP (gunicorn, {web_workers} workers)", lambda t: [chain.procs["http"].pid]),
                *[Target(f"stage {s} consumer", lambda t, s=s: [chain.procs[f"stage{s}"].pid])
                  for s in range(1, STAGES + 1)],
                Target("HTTP clients (this process)", lambda t: [os.getpid()], own_only=True),
                Target("rabbitmq", rabbitmq_roots, note="every node on the machine"),
                Target("postgresql", postgres_roots, note="server-wide"),
            ])
            ids = [str(uuid.uuid4()) for _ in range(items)]
            account.start()
            started = time.monotonic()
            post_items(chain.port, ids, clients)
            posted = time.monotonic() - started
            wait_through(chain, db, WARMUP + items, timeout)
            elapsed = time.monotonic() - started
            account.end()
        cpu = account.result(items)
        chain_rows = [n for n in cpu["rows"] if n.startswith(("HTTP (", "stage "))]
        chain_ms = sum(cpu["rows"][n]["cpu_s"] for n in chain_rows) * 1000 / items
        return {"items": items, "clients": clients, "web_workers": web_workers, "elapsed_s": round(elapsed, 3),
                "items_per_s": round(items / elapsed, 2), "posts_per_s": round(items / posted, 2),
                "chain_cpu_ms_per_item": round(chain_ms, 2), "cpu": cpu}
    except Exception:
        for name in chain.procs:
            tail = chain.log_tail(name).strip()
            if tail:
                print(f"--- naive-{name}.log:\n{tail}", file=sys.stderr)
        raise
    finally:
        for problem in chain.close():
            print(f"naive chain cleanup: {problem}", file=sys.stderr)
        if own_dir:
            import shutil

            shutil.rmtree(log_dir, ignore_errors=True)


def print_report(r: dict, indent: str = "  ") -> None:
    from cpu_accounting import format_table

    print(f"{indent}naive chain: {r['items_per_s']:.1f} items/s through stage {STAGES} ({r['items']} items, "
          f"{r['clients']} clients, {r['elapsed_s']:.1f} s; POSTs answered {r['posts_per_s']:.1f}/s); "
          f"its own processes {r['chain_cpu_ms_per_item']:.2f} CPU ms/item, everything "
          f"{r['cpu']['total_ms_per_unit']:.2f} ms/item")
    for line in format_table(r["cpu"], unit="item", indent=indent + "  "):
        print(line)


def main(argv=None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv[:1] == ["stage"]:  # the consumer processes the run starts: stage N AMQP_URL DATABASE_URL
        consume_stage(int(argv[1]), argv[2], argv[3])
        return 0
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--items", type=int, default=2000, help="items measured (default 2000)")
    p.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (default 8)")
    p.add_argument("--web-workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    p.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = p.parse_args(argv)
    if min(args.items, args.clients, args.web_workers) < 1:
        p.error("--items, --clients and --web-workers must be at least 1")
    sys.path.insert(0, str(ROOT / "tests"))  # motcua_testing.ports

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    try:
        result = run_naive_chain(args.items, args.clients, args.web_workers)
    except KeyboardInterrupt:
        print("interrupted (cleaned up)", file=sys.stderr)
        return 130
    except Exception as exc:
        print(f"naive chain failed: {exc}", file=sys.stderr)
        return 1
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print_report(result, indent="")
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
