#!/usr/bin/env python
"""Reporting's projection: events projected per second live, and the time to rebuild from the store.

    .venv/bin/python benchmarks/reporting_projection.py [--events 100000] [--live-events 10000]
                                                        [--live-seconds 60] [--json]

On a fresh PostgreSQL database (created and dropped here; `--database-url` names the server's admin
URL, default the local one), with a synthetic year of Sông Mã dossiers (19 communes, ~3.5 lifecycle
events each: reception, sometimes an online submission before it, a supplement pause, an apology, a
result, its return or a withdrawal) and ~3 routing and notification events each, which reporting
stores and counts but does not project:

1. live: the consumer's handler (`store_and_project`), one transaction per event as the worker runs
   it, over the first `--live-events` events (stopped after `--live-seconds`), beside the same
   transactions doing only what reporting did before the projection (`store_event`: keep and count);
2. rebuild: `--events` events written in bulk straight into a second fresh database's event_store,
   then the rebuild job's chunks timed (`run_to_end()`; the admin endpoint and `python -m
   motcua_reporting rebuild` run the same chunks as a job);
3. queries on the rebuilt projection: the year's Biểu 06 summary and its monthly trend for the
   district, as the API computes them.

Only 127.0.0.1 is contacted; everything created is removed at the end, also on Ctrl-C.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from motcua_shared import migrations
from motcua_shared.db import make_engine, session_factory
from motcua_shared.events import Event, registry
from motcua_shared.reference import load_units
from motcua_shared.web.auth import Principal
from motcua_shared.workcal import WorkingCalendar

from motcua_reporting.handlers import store_and_project, store_event
from motcua_reporting.models import event_store
from motcua_reporting.projection.rebuild import run_to_end
from motcua_reporting.service import SPEC
from motcua_reporting.statistics.period import Period
from motcua_reporting.statistics.report import Report
from motcua_reporting.statistics.scope import resolve

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
VN = timezone(timedelta(hours=7))
PREFIX = "vn.motcua."
# Events of other aggregates that reporting stores and counts but does not project.
BYSTANDERS = {"vn.motcua.route.started": "/motcua/routing", "vn.motcua.route.completed": "/motcua/routing",
              "vn.motcua.message.delivered": "/motcua/notification"}


def iso(moment: datetime) -> str:
    return moment.isoformat()


def reception(rng: random.Random, communes: list[tuple[str, str]], calendar: WorkingCalendar, counter: int):
    """One synthetic 2019 reception: the commune (code, path), the dossier code, the moment received,
    the appointment and the channel, drawn in that order so that a seed gives the same year."""
    unit, path = rng.choice(communes)
    code = f"H52.{unit}-19{counter:06d}"
    day = date(2019, 1, 1) + timedelta(days=rng.randrange(365))
    received = datetime(day.year, day.month, day.day, rng.randrange(7, 17), rng.randrange(60), tzinfo=VN)
    due = calendar.add(received, rng.choice((1, 3, 5, 10, 15)), "working_days")
    channel = rng.choices(("counter", "online", "postal"), weights=(70, 25, 5))[0]
    return unit, path, code, received, due, channel


class History:
    """A synthetic year: deterministic for a seed, shaped like the catalogue's examples."""

    def __init__(self, seed: int = 2019):
        self.rng = random.Random(seed)
        self.calendar = WorkingCalendar()
        communes = [unit for unit in load_units().children("126", date(2019, 6, 1))]
        self.communes = [(unit.code, f"14.126.{unit.code}") for unit in communes]
        self.examples = {entry.type: entry.example for entry in registry.all_types()}
        self.counter = 0

    def event(self, event_type: str, data: dict, moment: datetime, source: str, subject: str) -> Event:
        return Event(type=event_type, source=source, data=data, subject=subject, id=str(uuid.uuid4()),
                     time=iso(moment))

    def bystander(self, event_type: str, code: str, moment: datetime) -> Event:
        data = dict(self.examples[event_type])
        if "dossier_code" in data:
            data["dossier_code"] = code
        return self.event(event_type, data, moment, BYSTANDERS[event_type], code)

    def dossier(self) -> list[Event]:
        rng = self.rng
        self.counter += 1
        unit, path, code, received, due, channel = reception(rng, self.communes, self.calendar, self.counter)
        facts = {**self.examples[PREFIX + "dossier.received"], "code": code, "channel": channel,
                 "receiving_unit": unit, "receiving_unit_path": path, "competent_unit": unit,
                 "competent_unit_path": path, "inter_agency": rng.random() < 0.01}

        def intake(kind: str, data: dict, at: datetime) -> Event:
            return self.event(PREFIX + kind, data, at, "/motcua/intake", code)

        def change(at: datetime, **extra) -> dict:
            return {"code": code, "occurred_at": iso(at), "actor": "officer-7", **extra}

        events = []
        if channel == "online":
            submitted = {key: value for key, value in facts.items() if key not in ("received_at", "due_at")}
            events.append(intake("dossier.submitted", {**submitted, "submitted_at": iso(received - timedelta(hours=3))},
                                 received - timedelta(hours=3)))
        events.append(intake("dossier.received", {**facts, "received_at": iso(received), "due_at": iso(due)}, received))
        events.append(self.bystander("vn.motcua.route.started", code, received))
        clock = received + timedelta(hours=rng.randrange(2, 30))
        if rng.random() < 0.1:
            resumed = clock + timedelta(days=rng.randrange(1, 6))
            events.append(intake("dossier.supplement_requested",
                                 change(clock, stage="processing", items=[], note="Thiếu giấy tờ."), clock))
            due = self.calendar.extend(due, clock, resumed)
            events.append(intake("dossier.supplement_received", change(resumed, paused_from=iso(clock),
                                                                       due_at=iso(due)), resumed))
            clock = resumed + timedelta(hours=rng.randrange(2, 30))
        if rng.random() < 0.02:
            events.append(intake("dossier.withdrawn", change(clock, reason=None), clock))
            return events
        if rng.random() < 0.03:
            events.append(self.event(PREFIX + "apology.issued", {
                "dossier_code": code, "original_due_at": iso(due), "new_due_at": iso(due + timedelta(days=3)),
                "reason": "Cần xác minh thêm.", "issued_at": iso(due - timedelta(days=1)), "unit": unit},
                due - timedelta(days=1), "/motcua/routing", code))
            clock = due + timedelta(days=2)
        ended = min(clock + timedelta(days=rng.randrange(0, 12)), datetime(2019, 12, 31, 16, tzinfo=VN) +
                    timedelta(days=rng.randrange(0, 40)))
        events.append(self.bystander("vn.motcua.route.completed", code, ended))
        events.append(intake("dossier.processed", change(ended, result="approved", note=None, due_at=iso(due)), ended))
        events.append(self.bystander("vn.motcua.message.delivered", code, ended))
        events.append(intake("dossier.returned", change(ended + timedelta(days=1), method="counter"),
                             ended + timedelta(days=1)))
        return events

    def events(self, count: int) -> list[Event]:
        found = []
        while len(found) < count:
            found.extend(self.dossier())
        found = found[:count]
        self._check_shapes(found)
        return found

    @staticmethod
    def _check_shapes(events: list[Event]) -> None:
        """One event of each type is validated against the catalogue, so the benchmark projects data
        shaped exactly like the producers'."""
        seen = set()
        for event in events:
            if event.type not in seen:
                registry.load_data(event.type, event.data)
                seen.add(event.type)


class Databases:
    def __init__(self, admin_url: str):
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1)
        self.admin_url = admin_url
        self.created: list[str] = []

    def fresh(self) -> str:
        name = f"bench_reporting_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        url = make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)
        migrations.upgrade(SPEC, url)
        return url

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def live(url: str, events: list[Event], seconds: float, handler=store_and_project) -> dict:
    engine = make_engine(url)
    sessions = session_factory(engine)
    latencies, started = [], time.perf_counter()
    for event in events:
        began = time.perf_counter()
        with sessions.begin() as session:
            handler(session, event)
        latencies.append(time.perf_counter() - began)
        if began - started > seconds:
            break
    elapsed = time.perf_counter() - started
    engine.dispose()
    latencies.sort()
    return {"events": len(latencies), "seconds": round(elapsed, 2), "events_per_second": round(len(latencies) / elapsed),
            "p50_ms": round(statistics.median(latencies) * 1000, 2),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2)}


def bulk_load(url: str, events: list[Event]) -> float:
    engine = make_engine(url)
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    with engine.begin() as conn:
        for first in range(0, len(events), 5000):
            conn.execute(insert(event_store), [
                {"event_id": e.id, "type": e.type, "source": e.source, "subject": e.subject,
                 "time": datetime.fromisoformat(e.time), "data": e.data, "stored_at": now}
                for e in events[first:first + 5000]])
    engine.dispose()
    return time.perf_counter() - started


def rebuilt(url: str) -> dict:
    engine = make_engine(url)
    started = time.perf_counter()
    result = run_to_end(session_factory(engine))
    elapsed = time.perf_counter() - started
    engine.dispose()
    return {**result, "seconds": round(elapsed, 2), "events_per_second": round(result["events"] / elapsed)}


def queries(url: str) -> dict:
    engine = make_engine(url)
    sessions = session_factory(engine)
    year = Period(date(2019, 1, 1), date(2019, 12, 31))
    scope = resolve("126", year, Principal(sub="bench", name="", roles=frozenset({"leader"}), unit="126"))
    timings = {}
    for name, run in (("summary", lambda report: report.summary()), ("trend", lambda report: report.trend()),
                      ("breakdown_by_unit", lambda report: report.breakdown("unit"))):
        started = time.perf_counter()
        with sessions() as session:
            report = Report(session, scope, year)
        answer = run(report)
        timings[f"{name}_seconds"] = round(time.perf_counter() - started, 3)
        if name == "summary":
            timings["dossiers_in_year"] = answer["received"]["total"]
    engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000, help="events in the store to rebuild from")
    parser.add_argument("--live-events", type=int, default=10_000, help="events projected live")
    parser.add_argument("--live-seconds", type=float, default=60.0, help="stop the live phase after this")
    parser.add_argument("--database-url", default=POSTGRES_URL, help="PostgreSQL admin URL (loopback)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    started = time.perf_counter()
    events = History().events(args.events)
    generated = time.perf_counter() - started
    databases = Databases(args.database_url)
    try:
        figures = {"generated": {"events": len(events), "seconds": round(generated, 2)},
                   "live": live(databases.fresh(), events[:args.live_events], args.live_seconds),
                   "store_only": live(databases.fresh(), events[:args.live_events], args.live_seconds, store_event)}
        target = databases.fresh()
        figures["bulk_load_seconds"] = round(bulk_load(target, events), 2)
        figures["rebuild"] = rebuilt(target)
        figures["queries"] = queries(target)
    finally:
        databases.drop_all()
    figures["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    rebuild_figures = figures["rebuild"]
    print(f"history        {len(events):,} events generated in {generated:.1f} s")
    for name, label in (("live", "live"), ("store_only", "store only")):
        run = figures[name]
        print(f"{label:<14} {run['events']:,} events, one transaction each: {run['events_per_second']:,} events/s "
              f"(p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms)")
    print(f"bulk load      {len(events):,} events into event_store in {figures['bulk_load_seconds']} s")
    print(f"rebuild        {rebuild_figures['events']:,} events ({rebuild_figures['timeline_entries']:,} lifecycle, "
          f"{rebuild_figures['dossiers']:,} dossiers) in {rebuild_figures['seconds']} s: "
          f"{rebuild_figures['events_per_second']:,} events/s")
    q = figures["queries"]
    print(f"queries        year summary of district 126 ({q['dossiers_in_year']:,} dossiers) "
          f"{q['summary_seconds']} s, monthly trend {q['trend_seconds']} s, by unit {q['breakdown_by_unit_seconds']} s")


if __name__ == "__main__":
    main()
