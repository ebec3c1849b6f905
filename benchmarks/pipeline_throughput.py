#!/usr/bin/env python
"""Throughput and latency of the event pipeline, next to a bare pika baseline on the same broker.

    .venv/bin/python benchmarks/pipeline_throughput.py [--events N] [--runs R] [--json]

Each run uses a fresh vhost (created with rabbitmqctl) and fresh PostgreSQL databases (copied from
migrated templates by the test harness), and measures, in this order:

1. bare pika, no database: (a) a SelectConnection publisher with a sliding window of publisher
   confirms into a quorum queue, (b) a manual-ack consumer with prefetch 100 draining that queue,
   (c) both at once, end to end, (d) the same with the pipeline's fan-out: one topic exchange, four
   quorum queues, four consumer processes;
2. the outbox pipeline: the five real worker processes on PostgreSQL; N `dossier.received` events are
   written into intake's outbox in a few transactions, and the clock stops when each of the four
   consumers (routing, notification, postal, reporting) has recorded all N;
3. end-to-end latency on the idle system: events written one at a time, paced; latency is the
   consumer row's `recorded_at` / `stored_at` minus the outbox row's `created_at`.

Everything it creates (vhosts, databases, worker processes, a temporary directory) is removed at
the end, also on Ctrl-C or SIGTERM. Only 127.0.0.1 is contacted. See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import shutil
import signal
import statistics
import sys
import tempfile
import time
import traceback
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pika

ROOT = Path(__file__).resolve().parents[1]
AMQP_ADMIN_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CONSUMERS = ("routing", "notification", "postal", "reporting")
# Where each consumer's effect of a dossier.received lands: (table, key column, time column). The
# tables of routing, notification and postal are the harness's (motcua_testing.pipeline.EFFECTS).
EFFECT_COLUMNS = {
    "routing": ("dossier_code", "recorded_at"),
    "notification": ("dossier_code", "recorded_at"),
    "postal": ("dossier_code", "recorded_at"),
    "reporting": ("subject", "stored_at"),  # event_store; the event's subject is the dossier code
}
# Worker settings that matter for throughput: the benchmark runs the shipped defaults (read from
# motcua_shared.settings), not the shorter ones the test harness uses, unless --env overrides them.
TUNED_SETTINGS = ("OUTBOX_BATCH_SIZE", "OUTBOX_POLL_INTERVAL", "OUTBOX_LEASE_SECONDS", "CONSUMER_PREFETCH",
                  "BROKER_HEARTBEAT", "LOG_LEVEL")
POLL_INTERVAL = 0.05  # how often the benchmark looks at the consumers' databases


class BenchmarkError(RuntimeError):
    pass


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


# ------------------------------------------------------------------------------------------------
# Bare pika baseline
# ------------------------------------------------------------------------------------------------
def _params(url: str, name: str) -> pika.URLParameters:
    params = pika.URLParameters(url)
    params.heartbeat = 30
    params.blocked_connection_timeout = 60
    params.connection_attempts = 1
    params.socket_timeout = 10
    params.client_properties = {"connection_name": name}
    return params


def publish_windowed(url: str, exchange: str, routing_key: str, body: bytes, count: int, window: int,
                     timeout: float) -> dict:
    """Publish `count` persistent, mandatory messages keeping at most `window` unconfirmed (streaming
    confirms on a SelectConnection). Returns timings in time.monotonic() seconds."""
    state = {"published": 0, "acked": 0, "nacked": 0, "returned": 0, "t_start": None, "t_end": None,
             "error": None}
    outstanding: deque[int] = deque()  # delivery tags are increasing: confirms settle from the left
    holder = {}

    def pump():
        channel = holder["channel"]
        while state["published"] < count and len(outstanding) < window:
            state["published"] += 1
            outstanding.append(state["published"])
            channel.basic_publish(exchange, routing_key, body, mandatory=True, properties=pika.BasicProperties(
                content_type="application/cloudevents+json", delivery_mode=pika.DeliveryMode.Persistent,
                message_id=str(state["published"]), type="vn.motcua.dossier.received", app_id="/motcua/bench",
                timestamp=int(time.time())))

    def on_confirm(frame):
        method = frame.method
        acked = isinstance(method, pika.spec.Basic.Ack)
        if method.multiple:
            settled = 0
            while outstanding and outstanding[0] <= method.delivery_tag:
                outstanding.popleft()
                settled += 1
        else:
            try:
                outstanding.remove(method.delivery_tag)
                settled = 1
            except ValueError:
                settled = 0
        state["acked" if acked else "nacked"] += settled
        if state["acked"] + state["nacked"] >= count:
            state["t_end"] = time.monotonic()
            holder["connection"].close()
        else:
            pump()

    def on_return(_channel, _method, _properties, _body):
        state["returned"] += 1

    def on_confirm_ok(_frame):
        state["t_start"] = time.monotonic()
        pump()

    def on_channel(channel):
        holder["channel"] = channel
        channel.add_on_return_callback(on_return)
        channel.confirm_delivery(ack_nack_callback=on_confirm, callback=on_confirm_ok)

    def on_open_error(connection, error):
        state["error"] = f"connection failed: {error!r}"
        connection.ioloop.stop()

    def on_closed(connection, reason):
        if state["t_end"] is None and state["error"] is None:
            state["error"] = f"connection closed early: {reason!r}"
        connection.ioloop.stop()

    def on_timeout():
        state["error"] = f"publisher timed out after {timeout}s ({state['acked']}/{count} confirmed)"
        if holder["connection"].is_open:
            holder["connection"].close()
        else:
            holder["connection"].ioloop.stop()

    connection = pika.SelectConnection(_params(url, "bench publisher"),
                                       on_open_callback=lambda c: c.channel(on_open_callback=on_channel),
                                       on_open_error_callback=on_open_error, on_close_callback=on_closed)
    holder["connection"] = connection
    connection.ioloop.call_later(timeout, on_timeout)
    connection.ioloop.start()
    if state["error"]:
        raise BenchmarkError(state["error"])
    if state["nacked"] or state["returned"]:
        raise BenchmarkError(f"bare publisher: {state['nacked']} nacked, {state['returned']} returned")
    return state


def consume_child(url: str, queue: str, count: int, prefetch: int, timeout: float, ready, results) -> None:
    """A child process: consume `count` messages with manual acks, the way ConsumerRunner does it
    (BlockingConnection, deliveries buffered by the callback, acked one by one after
    process_data_events), minus parsing and the database. Reports monotonic timings."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent cleans up; it terminates us if needed
    out = {"queue": queue, "count": 0, "t_first": None, "t_last": None, "error": None}
    try:
        connection = pika.BlockingConnection(_params(url, f"bench consumer {queue}"))
        try:
            channel = connection.channel()
            channel.basic_qos(prefetch_count=prefetch)
            pending: deque = deque()
            channel.basic_consume(queue, lambda _ch, method, _props, _body: pending.append(method.delivery_tag))
            ready.set()
            deadline = time.monotonic() + timeout
            while out["count"] < count and time.monotonic() < deadline:
                connection.process_data_events(time_limit=0 if pending else 0.2)
                while pending:
                    channel.basic_ack(pending.popleft())
                    out["count"] += 1
                    out["t_last"] = time.monotonic()
                    if out["t_first"] is None:
                        out["t_first"] = out["t_last"]
            if out["count"] < count:
                out["error"] = f"consumer {queue} timed out: {out['count']}/{count}"
        finally:
            connection.close()
    except Exception as exc:  # reported to the parent, which raises
        out["error"] = f"consumer {queue}: {exc!r}"
    finally:
        ready.set()
        results.put(out)


class ChildConsumers:
    """Consumer processes, started with `spawn` (no inherited sockets), always reaped."""

    def __init__(self, url: str, queues: list[str], count: int, prefetch: int, timeout: float):
        ctx = mp.get_context("spawn")
        self.results = ctx.Queue()
        self.readies = [ctx.Event() for _ in queues]
        self.procs = [ctx.Process(target=consume_child, args=(url, q, count, prefetch, timeout, ev, self.results),
                                  daemon=True) for q, ev in zip(queues, self.readies)]
        self.timeout = timeout

    def __enter__(self):
        for p in self.procs:
            p.start()
        for ev in self.readies:
            if not ev.wait(30):
                raise BenchmarkError("a bare consumer process did not start within 30 s")
        return self

    def collect(self) -> list[dict]:
        outs = [self.results.get(timeout=self.timeout + 30) for _ in self.procs]
        errors = [o["error"] for o in outs if o["error"]]
        if errors:
            raise BenchmarkError("; ".join(errors))
        return outs

    def __exit__(self, *exc):
        for p in self.procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
                p.join(timeout=5)
        self.results.close()
        return False


def bare_baseline(amqp_url: str, body: bytes, count: int, window: int, prefetch: int, timeout: float) -> dict:
    suffix = uuid.uuid4().hex[:6]
    single = f"bench.bare.{suffix}"
    fanout_exchange = f"bench.bare.fanout.{suffix}"
    fanout_queues = [f"{fanout_exchange}.{c}" for c in CONSUMERS]
    connection = pika.BlockingConnection(_params(amqp_url, "bench setup"))
    try:
        channel = connection.channel()
        channel.queue_declare(single, durable=True, arguments={"x-queue-type": "quorum"})
        channel.exchange_declare(fanout_exchange, exchange_type="topic", durable=True)
        for q in fanout_queues:
            channel.queue_declare(q, durable=True, arguments={"x-queue-type": "quorum"})
            channel.queue_bind(q, fanout_exchange, routing_key="#")
    finally:
        connection.close()

    out = {}
    # (a) publisher alone, into an empty quorum queue with no consumer
    pub = publish_windowed(amqp_url, "", single, body, count, window, timeout)
    out["bare_publish"] = count / (pub["t_end"] - pub["t_start"])
    # (b) consumer alone, draining the full queue
    with ChildConsumers(amqp_url, [single], count, prefetch, timeout) as children:
        (c,) = children.collect()
    out["bare_consume"] = count / (c["t_last"] - c["t_first"])
    # (c) both at once: consumer waiting on the empty queue, then publish
    with ChildConsumers(amqp_url, [single], count, prefetch, timeout) as children:
        pub = publish_windowed(amqp_url, "", single, body, count, window, timeout)
        (c,) = children.collect()
    out["bare_e2e"] = count / (c["t_last"] - pub["t_start"])
    out["bare_e2e_publish"] = count / (pub["t_end"] - pub["t_start"])
    # (d) the pipeline's shape without databases: one publish, four quorum queues, four consumers
    with ChildConsumers(amqp_url, fanout_queues, count, prefetch, timeout) as children:
        pub = publish_windowed(amqp_url, fanout_exchange, "vn.motcua.dossier.received", body, count, window, timeout)
        cs = children.collect()
    out["bare_fanout_e2e"] = count / (max(c["t_last"] for c in cs) - pub["t_start"])

    connection = pika.BlockingConnection(_params(amqp_url, "bench teardown"))
    try:
        channel = connection.channel()
        for q in [single, *fanout_queues]:
            channel.queue_delete(q)
        channel.exchange_delete(fanout_exchange)
    finally:
        connection.close()
    return out


# ------------------------------------------------------------------------------------------------
# CPU accounting (where the cores went during a phase)
# ------------------------------------------------------------------------------------------------
CLK_TCK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0.0


def _procs_named(names: set[str]) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() in names:
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def _machine_busy() -> float:
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    return (sum(parts[:8]) - idle) / CLK_TCK


def _ours_or_shared(pid: int, database_prefix: str) -> bool:
    """A postgres process serving one of our databases, or one of the server's own (WAL writer,
    checkpointer...), which work for every client; backends of other databases are someone else's."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            title = f.read().decode(errors="replace")
    except OSError:
        return False
    if "127.0.0.1(" not in title and "[local]" not in title:
        return True  # postmaster or an auxiliary process
    return f" {database_prefix}" in title


def cpu_snapshot(worker_pids: dict[str, int], database_prefix: str) -> dict[str, float]:
    snap = {f"{name} worker": _proc_cpu(pid) for name, pid in worker_pids.items()}
    snap["rabbitmq"] = sum(_proc_cpu(p) for p in _procs_named({"beam.smp"}))
    # Backends that exit during the phase take their CPU time with them; the pools keep ours alive.
    snap["postgres"] = sum(_proc_cpu(p) for p in _procs_named({"postgres"}) if _ours_or_shared(p, database_prefix))
    snap["benchmark"] = _proc_cpu(os.getpid())
    snap["machine"] = _machine_busy()
    return snap


def cpu_share(before: dict[str, float], after: dict[str, float], seconds: float) -> dict[str, float]:
    """CPU used per component, in cores (1.0 = one core busy the whole time)."""
    used = {k: max(0.0, after[k] - before.get(k, 0.0)) / seconds for k in after}
    used["other processes"] = max(0.0, used["machine"] - sum(v for k, v in used.items() if k != "machine"))
    return used


# ------------------------------------------------------------------------------------------------
# The system: vhost, databases, workers (through the test harness)
# ------------------------------------------------------------------------------------------------
@dataclass
class Resources:
    """Everything the benchmark created, removed in reverse order whatever happens."""

    admin: object
    factory: object = None
    vhosts: list[str] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)
    systems: list[object] = field(default_factory=list)
    tmpdirs: list[Path] = field(default_factory=list)
    keep_logs: bool = False
    show_logs: bool = False  # print the tail of each worker log before removing it (after a failure)

    def cleanup(self) -> list[str]:
        problems = []
        for system in reversed(self.systems):
            try:
                system.close()
            except Exception as exc:
                problems.append(f"stopping workers: {exc!r}")
        self.systems.clear()
        for name in reversed(self.databases):
            try:
                self.factory.drop(name)
            except Exception as exc:
                problems.append(f"dropping database {name}: {exc!r}")
        self.databases.clear()
        if self.factory is not None:
            try:
                self.factory.close()  # drops the migrated templates
            except Exception as exc:
                problems.append(f"dropping templates: {exc!r}")
            self.factory = None
        for vhost in reversed(self.vhosts):
            try:
                self.admin.delete_vhost(vhost)
            except Exception as exc:
                problems.append(f"deleting vhost {vhost}: {exc!r}")
        self.vhosts.clear()
        for path in self.tmpdirs:
            if self.show_logs:
                for log in sorted(path.glob("*.log")):
                    lines = log.read_text(errors="replace").splitlines()
                    notable = [line for line in lines if '"level": "info"' not in line][-6:] or lines[-2:]
                    print(f"--- {log.name} (last warnings and errors):", file=sys.stderr)
                    for line in notable:
                        print("    " + line[:400], file=sys.stderr)
            if self.keep_logs:
                print(f"worker logs kept in {path}", file=sys.stderr)
            else:
                shutil.rmtree(path, ignore_errors=True)
        self.tmpdirs.clear()
        return problems


def build_system(res: Resources, run_index: int, worker_env: dict[str, str]):
    from motcua_shared.broker.permissions import Permission
    from motcua_shared.broker.setup import declare_system
    from motcua_shared.settings import SERVICES
    from motcua_testing.system import RETRY_DELAYS, System, spec_of

    vhost = f"bench-{res.factory.run_id}-{run_index}"
    res.vhosts.append(vhost)
    res.admin.add_vhost(vhost)
    res.admin.set_permissions(vhost, Permission("guest", ".*", ".*", ".*"))
    amqp_url = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"

    urls = {}
    for service in SERVICES:
        spec = spec_of(service)
        name = f"bench_{res.factory.run_id}_{run_index}_{service}"
        template = res.factory.template(spec)
        res.databases.append(name)
        res.factory._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        urls[service] = res.factory.url(name)

    declare_system(amqp_url, RETRY_DELAYS)
    var_dir = Path(tempfile.mkdtemp(prefix=f"motcua-bench-{run_index}-"))
    res.tmpdirs.append(var_dir)
    system = System(amqp_url=amqp_url, vhost=vhost, database_urls=urls, var_dir=var_dir, env=dict(worker_env))
    res.systems.append(system)
    return system


def worker_pids(system) -> dict[str, int]:
    return {p.name.removesuffix("-worker"): p.popen.pid for p in system.processes.procs.values()}


def check_workers_alive(system) -> None:
    dead = {name: p.popen.returncode for name, p in system.processes.procs.items() if p.popen.poll() is not None}
    if dead:
        name = next(iter(dead))
        tail = system.processes.log(name)[-2000:]
        raise BenchmarkError(f"worker(s) exited: {dead}; last lines of {name}:\n{tail}")


def check_no_dead_letters(system) -> None:
    from motcua_testing.pipeline import dead_letters

    dead = {queue: n for queue, n in dead_letters(system.amqp_url).items() if n}
    if dead:
        raise BenchmarkError(f"events were dead-lettered {dead}: a handler fails (see the worker logs below)")


def write_events(system, events, chunk: int) -> None:
    """Write events into intake's outbox `chunk` per transaction, exactly as intake does (Outbox.add)."""
    rt = system.runtime("intake")
    for start in range(0, len(events), chunk):
        with rt.sessions.begin() as session:
            for event in events[start:start + chunk]:
                rt.outbox.add(session, event)


def unsent_count(system) -> int:
    return system.runtime("intake").outbox_store("bench").lag()[0]


def wait_for_counts(system, target: int, timeout: float, what: str, on_poll=None) -> dict[str, float]:
    """Poll effects() every POLL_INTERVAL until every consumer reached `target`; returns the
    monotonic time at which each consumer was first seen there ('outbox' too, if on_poll says so)."""
    from motcua_testing.pipeline import effects

    done: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    polls = 0
    while True:
        counts = effects(system)
        now = time.monotonic()
        for consumer, value in counts.items():
            if value >= target and consumer not in done:
                done[consumer] = now
        if on_poll is not None:
            on_poll(now, done)
        if all(c in done for c in CONSUMERS) and (on_poll is None or "outbox" in done):
            return done
        if now > deadline:
            raise BenchmarkError(f"timed out after {timeout:.0f}s waiting for {what}: counts {counts}, target {target}")
        polls += 1
        if polls % 20 == 0:  # about once a second: fail fast instead of waiting out the timeout
            check_workers_alive(system)
            check_no_dead_letters(system)
        time.sleep(POLL_INTERVAL)


def effect_times(system, prefix: str) -> dict[str, dict[str, datetime]]:
    """consumer -> {dossier code: the time its row was recorded} for codes starting with `prefix`."""
    from sqlalchemy import select

    from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
    from motcua_testing.pipeline import EFFECTS

    tables = {**EFFECTS, "reporting": "event_store"}
    out = {}
    for consumer, (key, stamp) in EFFECT_COLUMNS.items():
        table_name = tables[consumer]
        rt = system.runtime(consumer)
        table = rt.spec.metadata.tables[table_name]
        query = select(table.c[key], table.c[stamp]).where(table.c[key].like(prefix + "%"))
        if "type" in table.c:  # reporting stores every event about the dossier; we time the received one
            query = query.where(table.c.type == DOSSIER_RECEIVED)
        with rt.engine.connect() as conn:
            rows = conn.execute(query).all()
        first: dict[str, datetime] = {}
        for code, ts in rows:
            first[code] = min(ts, first.get(code, ts))
        out[consumer] = first
    return out


def outbox_times(system, event_ids: list[str]) -> dict[str, tuple[datetime, datetime | None]]:
    from sqlalchemy import select

    rt = system.runtime("intake")
    t = rt.spec.outbox_table
    with rt.engine.connect() as conn:
        rows = conn.execute(select(t.c.event_id, t.c.created_at, t.c.sent_at).where(t.c.event_id.in_(event_ids))).all()
    return {event_id: (created, sent) for event_id, created, sent in rows}


def measure_pipeline(system, n: int, chunk: int, timeout: float, run_tag: str) -> dict:
    from motcua_testing.pipeline import received_event

    prefix = f"H52.04222-{run_tag}-P"
    events = [received_event(f"{prefix}{i:06d}") for i in range(n)]  # built before the clock starts
    target = 1 + n  # the warm-up event came first
    state = {"inserted": False}

    def on_poll(now, done):
        if state["inserted"] and "outbox" not in done and unsent_count(system) == 0:
            done["outbox"] = now

    database_prefix = system.database_urls["intake"].rsplit("/", 1)[1].removesuffix("_intake")
    cpu_before = cpu_snapshot(worker_pids(system), database_prefix)
    t0 = time.monotonic()
    t0_wall = now_utc()
    write_events(system, events, chunk)
    t_inserted = time.monotonic()
    t_inserted_wall = now_utc()
    state["inserted"] = True
    done = wait_for_counts(system, target, timeout, f"{n} events at every consumer", on_poll)
    t_end = max(done[c] for c in CONSUMERS)
    cpu = cpu_share(cpu_before, cpu_snapshot(worker_pids(system), database_prefix), max(1e-3, t_end - t0))

    # The same clock read from the rows themselves (finer than the 50 ms polling).
    stamps = effect_times(system, prefix)
    for consumer in CONSUMERS:
        if len(stamps[consumer]) != n:
            raise BenchmarkError(f"{consumer} recorded {len(stamps[consumer])} rows for {n} events")
    sent = [s for _c, s in outbox_times(system, [e.id for e in events]).values()]
    if any(s is None for s in sent):
        raise BenchmarkError("outbox rows still unsent after every consumer recorded them")
    last = {c: max(stamps[c].values()) for c in CONSUMERS}
    first = {c: min(stamps[c].values()) for c in CONSUMERS}
    result = {
        "pipeline_eps": n / (t_end - t0),
        "pipeline_eps_rows": n / (max(last.values()) - t0_wall).total_seconds(),
        "relay_eps": n / (done["outbox"] - t0),
        "relay_eps_rows": n / (max(sent) - t0_wall).total_seconds(),
        "insert_s": t_inserted - t0,
        # How far the relay trailed the writer: its last sent_at after the last insert's commit.
        "relay_lag_s": (max(sent) - t_inserted_wall).total_seconds(),
        "pipeline_s": t_end - t0,
        "cpu": cpu,
    }
    for c in CONSUMERS:
        # A consumer's own pace: from its first row to its last.
        span = (last[c] - first[c]).total_seconds()
        result[f"consumer_eps_{c}"] = (n - 1) / span if span > 0 else float("nan")
    return result


def pctl(values: list[float], q: float) -> float:
    """Percentile with linear interpolation between closest ranks (q in 0..100)."""
    data = sorted(values)
    if len(data) == 1:
        return data[0]
    pos = (len(data) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def measure_latency(system, count: int, rate: float, already: int, timeout: float, run_tag: str) -> dict:
    from motcua_testing.pipeline import received_event

    prefix = f"H52.04222-{run_tag}-L"
    time.sleep(1.0)  # let the system settle after the throughput phase
    events = []
    start = time.monotonic()
    for i in range(count):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        event = received_event(f"{prefix}{i:06d}")
        write_events(system, [event], 1)  # one event, one transaction, like one dossier at the desk
        events.append(event)
        if time.monotonic() - start > timeout:
            raise BenchmarkError("latency phase: pacing fell too far behind")
    wait_for_counts(system, already + count, timeout, f"{count} paced events at every consumer")

    stamps = effect_times(system, prefix)
    outbox = outbox_times(system, [e.id for e in events])
    per_consumer: dict[str, list[float]] = {c: [] for c in CONSUMERS}
    everywhere, relay = [], []
    for e in events:
        created, sent = outbox[e.id]
        code = e.subject
        lat = {c: (stamps[c][code] - created).total_seconds() * 1000 for c in CONSUMERS}
        for c in CONSUMERS:
            per_consumer[c].append(lat[c])
        everywhere.append(max(lat.values()))
        relay.append((sent - created).total_seconds() * 1000)
    out = {"lat_p50": pctl(everywhere, 50), "lat_p90": pctl(everywhere, 90), "lat_p99": pctl(everywhere, 99),
           "lat_max": max(everywhere), "lat_relay_p50": pctl(relay, 50), "lat_relay_p99": pctl(relay, 99)}
    for c in CONSUMERS:
        out[f"lat_p50_{c}"] = pctl(per_consumer[c], 50)
    return out


def one_run(res: Resources, run_index: int, args, worker_env: dict[str, str], body: bytes) -> dict:
    from motcua_testing.pipeline import enqueue

    run_tag = f"{res.factory.run_id[:4]}{run_index}"
    system = build_system(res, run_index, worker_env)
    result: dict = {}
    if not args.skip_bare:
        result.update(bare_baseline(system.amqp_url, body, args.bare_messages, args.window, 100, args.timeout))

    system.start_workers()
    # Warm-up: one event through every consumer proves all five workers are up and connected.
    enqueue(system, [f"H52.04222-{run_tag}-W000000"])
    wait_for_counts(system, 1, 60, "the warm-up event")
    result.update(measure_pipeline(system, args.events, args.chunk, args.timeout, run_tag))
    result.update(measure_latency(system, args.latency_events, args.latency_rate, 1 + args.events,
                                  args.timeout, run_tag))
    if "bare_e2e" in result:
        result["ratio_pipeline_to_bare"] = result["pipeline_eps"] / result["bare_e2e"]
        result["ratio_pipeline_to_fanout"] = result["pipeline_eps"] / result["bare_fanout_e2e"]

    # Tear this run's system down now, so the next run starts on a quiet machine.
    res.systems.remove(system)
    codes = system.processes.stop_all()
    system.close()
    if not res.keep_logs:
        res.tmpdirs.remove(system.var_dir)
        shutil.rmtree(system.var_dir, ignore_errors=True)
    if any(code != 0 for code in codes.values()):
        print(f"warning: worker exit codes {codes}", file=sys.stderr)
    return result


# ------------------------------------------------------------------------------------------------
# Reporting
# ------------------------------------------------------------------------------------------------
ROWS = [
    # key, label, unit, format
    ("bare_publish", "bare pika: publisher, confirm window {window}", "msg/s", "{:,.0f}"),
    ("bare_consume", "bare pika: consumer, manual ack, prefetch 100", "msg/s", "{:,.0f}"),
    ("bare_e2e", "bare pika: publisher + consumer, end to end", "msg/s", "{:,.0f}"),
    ("bare_fanout_e2e", "bare pika: fan-out to 4 queues/4 consumers, e2e", "msg/s", "{:,.0f}"),
    ("pipeline_eps", "outbox -> 4 consumers, end to end (polled)", "ev/s", "{:,.0f}"),
    ("pipeline_eps_rows", "  same, from the rows' timestamps", "ev/s", "{:,.0f}"),
    ("relay_eps", "  relay: outbox empty (polled; capped by the writer)", "ev/s", "{:,.0f}"),
    ("relay_eps_rows", "  relay: last sent_at", "ev/s", "{:,.0f}"),
    ("consumer_eps_routing", "  routing consumer, first->last row", "ev/s", "{:,.0f}"),
    ("consumer_eps_notification", "  notification consumer", "ev/s", "{:,.0f}"),
    ("consumer_eps_postal", "  postal consumer", "ev/s", "{:,.0f}"),
    ("consumer_eps_reporting", "  reporting consumer", "ev/s", "{:,.0f}"),
    ("insert_s", "  time to write the N outbox rows", "s", "{:.2f}"),
    ("relay_lag_s", "  relay's last sent_at after the last insert", "s", "{:.2f}"),
    ("ratio_pipeline_to_bare", "ratio pipeline / bare e2e", "x", "{:.3f}"),
    ("ratio_pipeline_to_fanout", "ratio pipeline / bare fan-out e2e", "x", "{:.3f}"),
    ("lat_p50", "latency outbox -> all 4 consumers, p50", "ms", "{:.1f}"),
    ("lat_p90", "  p90", "ms", "{:.1f}"),
    ("lat_p99", "  p99", "ms", "{:.1f}"),
    ("lat_max", "  max", "ms", "{:.1f}"),
    ("lat_relay_p50", "  outbox created_at -> sent_at, p50", "ms", "{:.1f}"),
    ("lat_relay_p99", "  outbox created_at -> sent_at, p99", "ms", "{:.1f}"),
    ("lat_p50_routing", "  p50 at routing", "ms", "{:.1f}"),
    ("lat_p50_notification", "  p50 at notification", "ms", "{:.1f}"),
    ("lat_p50_postal", "  p50 at postal", "ms", "{:.1f}"),
    ("lat_p50_reporting", "  p50 at reporting", "ms", "{:.1f}"),
]


def summarise(runs: list[dict]) -> dict:
    summary = {}
    keys = {k for r in runs for k in r if k != "cpu"}
    for key in keys:
        values = [r[key] for r in runs if key in r]
        summary[key] = {"median": statistics.median(values), "min": min(values), "max": max(values),
                        "values": values}
    cpu_keys = {k for r in runs for k in r.get("cpu", {})}
    summary["cpu"] = {k: statistics.median([r["cpu"].get(k, 0.0) for r in runs]) for k in cpu_keys}
    return summary


def print_table(summary: dict, args, context: dict) -> None:
    print()
    print(f"motcua pipeline benchmark — {len(summary.get('pipeline_eps', {}).get('values', []))} run(s), "
          f"N={args.events} events, bare={args.bare_messages} msgs, latency {args.latency_events} ev at "
          f"{args.latency_rate:g}/s")
    for k, v in context.items():
        print(f"  {k}: {v}")
    print()
    header = f"{'figure':<52} {'median':>10}  {'min – max':>21}  unit"
    print(header)
    print("-" * len(header))
    for key, label, unit, fmt in ROWS:
        if key not in summary:
            continue
        s = summary[key]
        spread = f"{fmt.format(s['min'])} – {fmt.format(s['max'])}"
        print(f"{label.format(window=args.window):<52} {fmt.format(s['median']):>10}  {spread:>21}  {unit}")
    if summary.get("cpu"):
        print()
        print("CPU during the throughput phase (median over runs; cores busy, 1.00 = one full core of "
              f"{context.get('nproc', '?')}):")
        cpu = summary["cpu"]
        order = [f"{s} worker" for s in ("intake", "routing", "notification", "postal", "reporting")]
        order += ["postgres", "rabbitmq", "benchmark", "other processes", "machine"]
        print("  " + "  ".join(f"{k.replace(' worker', '')}={cpu[k]:.2f}" for k in order if k in cpu))


# ------------------------------------------------------------------------------------------------
def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=2000, help="events for the throughput phase (default 2000)")
    p.add_argument("--runs", type=int, default=3, help="repetitions (default 3)")
    p.add_argument("--chunk", type=int, default=500, help="outbox rows per insert transaction (default 500)")
    p.add_argument("--bare-messages", type=int, default=5000, help="messages per bare pika measurement (default 5000)")
    p.add_argument("--window", type=int, default=500,
                   help="bare publisher's confirm window (default 500, the relay's OUTBOX_BATCH_SIZE)")
    p.add_argument("--latency-events", type=int, default=200, help="paced events for the latency phase (default 200)")
    p.add_argument("--latency-rate", type=float, default=20.0, help="paced events per second (default 20)")
    p.add_argument("--timeout", type=float, default=90.0, help="upper bound of each wait, seconds (default 90)")
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                   help="worker setting override, e.g. --env OUTBOX_POLL_INTERVAL=0.01 (repeatable)")
    p.add_argument("--skip-bare", action="store_true", help="skip the bare pika baseline")
    p.add_argument("--json", action="store_true", help="also print every figure of every run as JSON")
    p.add_argument("--keep-logs", action="store_true", help="keep the worker logs directory")
    args = p.parse_args(argv)
    for name in ("events", "runs", "chunk", "bare_messages", "window", "latency_events"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.latency_rate <= 0:
        p.error("--latency-rate must be positive")
    return args


def worker_settings(overrides: list[str]) -> dict[str, str]:
    from motcua_shared.settings import COMMON

    defaults = {s.name: s.default for s in COMMON}
    env = {name: str(defaults[name]) for name in TUNED_SETTINGS}
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SystemExit(f"--env expects KEY=VALUE, got {item!r}")
        if key.endswith("_URL") or key == "AMQP_URL":
            raise SystemExit(f"--env {key}: the benchmark chooses its own broker and database URLs")
        env[key] = value
    return env


def machine_context() -> dict:
    from sqlalchemy import create_engine, text

    ctx = {"nproc": os.cpu_count(), "loadavg_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
           "python": platform.python_version(), "pika": pika.__version__}
    try:
        conn = pika.BlockingConnection(_params(AMQP_ADMIN_URL, "bench probe"))
        props = conn._impl.server_properties
        ctx["rabbitmq"] = props.get("version", b"?").decode() if isinstance(props.get("version"), bytes) \
            else props.get("version")
        conn.close()
    except Exception as exc:
        raise BenchmarkError(f"RabbitMQ at 127.0.0.1:5672 is not reachable: {exc!r}") from None
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as c:
            ver = c.execute(text("show server_version")).scalar()
            sc = c.execute(text("show synchronous_commit")).scalar()
        engine.dispose()
        ctx["postgresql"] = f"{ver} (synchronous_commit={sc})"
    except Exception as exc:
        raise BenchmarkError(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {exc!r}") from None
    return ctx


def run_guarded(res: Resources, work) -> int:
    """Run `work()` with the benchmark's resources, and always clean them up.

    Ctrl-C and SIGTERM interrupt the work (130), a BenchmarkError or any other error fails it (1)
    with the workers' logs shown; whatever happened, the vhosts, databases and processes in `res`
    are removed, and a second Ctrl-C cannot stop that cleanup. Returns the exit status."""
    interrupted = []

    def on_signal(signum, _frame):
        interrupted.append(signum)
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    status = 0
    try:
        work()
    except BaseException as exc:
        if interrupted or isinstance(exc, KeyboardInterrupt):
            # An interrupt inside a database call may surface as a driver error: it is still an interrupt.
            print("\ninterrupted: cleaning up", file=sys.stderr)
            status = 130
        elif isinstance(exc, BenchmarkError):
            print(f"benchmark failed: {exc}", file=sys.stderr)
            res.show_logs = True
            status = 1
        elif isinstance(exc, Exception):
            traceback.print_exc()
            res.show_logs = True
            status = 1
        else:
            raise
    finally:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        problems = res.cleanup()
        signal.signal(signal.SIGINT, previous)
        for problem in problems:
            print(f"cleanup: {problem}", file=sys.stderr)
    return status


def open_resources(keep_logs: bool) -> Resources | None:
    """The benchmark's resources, empty yet; None (after saying why) when rabbitmqctl is missing."""
    sys.path.insert(0, str(ROOT / "tests"))  # the harness: motcua_testing
    from motcua_shared.broker.admin import RabbitmqctlAdmin

    if not RabbitmqctlAdmin.available():
        print("rabbitmqctl is not on PATH: the benchmark needs it to create and delete its vhosts", file=sys.stderr)
        return None
    return Resources(admin=RabbitmqctlAdmin(), keep_logs=keep_logs)


def main(argv=None) -> int:
    args = parse_args(argv)
    res = open_resources(args.keep_logs)
    if res is None:
        return 2
    from motcua_testing.databases import DatabaseFactory
    from motcua_testing.pipeline import received_event

    worker_env = worker_settings(args.env)
    runs: list[dict] = []
    started = time.monotonic()
    context: dict = {}

    def work():
        context.update(machine_context())
        context["worker settings"] = " ".join(f"{k}={v}" for k, v in worker_env.items())
        body = received_event("H52.04222-190315-0001").to_json()
        context["event body"] = f"{len(body)} bytes"
        res.factory = DatabaseFactory(POSTGRES_URL)
        for i in range(args.runs):
            t = time.monotonic()
            result = one_run(res, i, args, worker_env, body)
            runs.append(result)
            print(f"run {i + 1}/{args.runs}: pipeline {result['pipeline_eps']:,.0f} ev/s, "
                  + (f"bare e2e {result['bare_e2e']:,.0f} msg/s, " if "bare_e2e" in result else "")
                  + f"latency p50 {result['lat_p50']:.1f} ms p99 {result['lat_p99']:.1f} ms "
                  f"({time.monotonic() - t:.0f} s)", flush=True)

    status = run_guarded(res, work)
    if runs:
        context["loadavg_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        context["wall time"] = f"{time.monotonic() - started:.0f} s"
        summary = summarise(runs)
        print_table(summary, args, context)
        if args.json:
            print(json.dumps({"context": context, "args": vars(args), "runs": runs, "summary": summary},
                             indent=2, default=str))
    return status


if __name__ == "__main__":
    sys.exit(main())
