#!/usr/bin/env python
"""Reporting's side of a bulk import: parts of `vn.motcua.history.imported` projected, and rebuilt.

    .venv/bin/python benchmarks/reporting_import.py [--dossiers 66572] [--part-size 500] [--json]

On a fresh PostgreSQL database (created and dropped here; `--database-url` names the server's admin
URL, default the local one), a synthetic year of Sông Mã dossiers shaped like an import's (reception,
result and its return for most; some still in progress, some paused for a supplement, a few
withdrawn; about 3 events each), cut into parts of `--part-size` dossiers:

1. parse: the consumer's decoding and validation of a part (`envelope.parse`, the catalogue's schema
   of every inner event), timed on a few parts and scaled; it runs before reporting's handler;
2. apply: each part through the consumer's handler (`store_and_project`: event store, counters,
   timeline, dossiers rows), one transaction per part as the worker runs it;
3. again: the first parts delivered once more under new envelopes (intake re-publishing after a crash):
   nothing is recomputed;
4. rebuild: the rebuild job's chunks (`run_to_end()`) from the event store (the parts re-expanded).

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

from sqlalchemy import func, select, text

from motcua_shared.db import make_engine, session_factory
from motcua_shared.events import Event, envelope, registry
from motcua_shared.events.catalogue.history import HISTORY_IMPORTED
from motcua_shared.reference import load_units
from motcua_shared.workcal import WorkingCalendar

from motcua_reporting.handlers import store_and_project
from motcua_reporting.models import dossier_timeline, dossiers
from motcua_reporting.projection.rebuild import run_to_end

from reporting_projection import POSTGRES_URL, Databases, reception  # same directory

VN = timezone(timedelta(hours=7))
PREFIX = "vn.motcua."
IMPORT_ID = "b3a0c9de-0000-4000-8000-000000000017"


def iso(moment: datetime) -> str:
    return moment.isoformat()


class Year:
    """Deterministic for a seed; data shaped like the catalogue's examples (checked on one part)."""

    def __init__(self, seed: int = 2019):
        self.rng = random.Random(seed)
        self.calendar = WorkingCalendar()
        self.communes = [(unit.code, f"14.126.{unit.code}") for unit in load_units().children("126", date(2019, 6, 1))]
        self.received_example = dict(registry.get(PREFIX + "dossier.received").example)
        self.counter = 0

    def dossier(self) -> dict:
        rng = self.rng
        self.counter += 1
        unit, path, code, received, due, channel = reception(rng, self.communes, self.calendar, self.counter)
        events = []

        def add(kind: str, data: dict) -> None:
            event_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{IMPORT_ID}/{code}/{len(events) + 1}")
            events.append({"id": str(event_id), "type": PREFIX + kind, "data": {**data, "historical": True}})

        def change(at: datetime, **extra) -> dict:
            return {"code": code, "occurred_at": iso(at), "actor": None, **extra}

        add("dossier.received", {**self.received_example, "code": code, "channel": channel, "receiving_unit": unit,
                                 "receiving_unit_path": path, "competent_unit": unit, "competent_unit_path": path,
                                 "inter_agency": rng.random() < 0.01, "received_at": iso(received), "due_at": iso(due)})
        clock = received + timedelta(hours=rng.randrange(2, 30))
        if rng.random() < 0.08:
            if rng.random() < 0.5:
                return {"code": code, "events": events, "steps": []}  # in progress
            add("dossier.supplement_requested", change(clock, stage="processing", items=[], note="Thiếu giấy tờ."))
            if rng.random() < 0.3:
                return {"code": code, "events": events, "steps": []}  # waiting for the supplement
            resumed = clock + timedelta(days=rng.randrange(1, 6))
            due = self.calendar.extend(due, clock, resumed)
            add("dossier.supplement_received", change(resumed, paused_from=iso(clock), due_at=iso(due)))
            clock = resumed + timedelta(hours=rng.randrange(2, 30))
        if rng.random() < 0.02:
            add("dossier.withdrawn", change(clock, reason=None))
            return {"code": code, "events": events, "steps": []}
        ended = clock + timedelta(days=rng.randrange(0, 12))
        add("dossier.processed", change(ended, result="approved", note=None, due_at=iso(due)))
        add("dossier.returned", change(ended + timedelta(days=1), method="counter"))
        return {"code": code, "events": events, "steps": []}

    def parts(self, dossiers_count: int, size: int) -> list[Event]:
        found, number = [], 0
        while self.counter < dossiers_count:
            number += 1
            batch = [self.dossier() for _ in range(min(size, dossiers_count - self.counter))]
            found.append(Event(type=HISTORY_IMPORTED, source="/motcua/intake", subject=IMPORT_ID,
                               data={"import_id": IMPORT_ID, "part": number, "dossiers": batch}))
        return found


def parse_cost(parts: list[Event], sample: int) -> dict:
    """Seconds the consumer spends decoding and validating a part before the handler sees it."""
    timings = []
    for part in parts[:sample]:
        body = part.to_json()
        started = time.perf_counter()
        envelope.parse(body)
        timings.append(time.perf_counter() - started)
    per_dossier = sum(timings) / sum(len(part.data["dossiers"]) for part in parts[:sample])
    return {"parts_timed": len(timings), "ms_per_part": round(statistics.mean(timings) * 1000, 1),
            "ms_per_dossier": round(per_dossier * 1000, 3)}


def backend_cpu(session) -> tuple[int, float]:
    """The PostgreSQL backend serving this session (local server): its pid and CPU seconds so far."""
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return pid, float("nan")


def apply(url: str, parts: list[Event]) -> dict:
    engine = make_engine(url)
    sessions = session_factory(engine)
    timings = []
    with sessions() as session:
        backend, server = backend_cpu(session)
    started, cpu = time.perf_counter(), time.process_time()
    for part in parts:
        began = time.perf_counter()
        with sessions.begin() as session:
            store_and_project(session, part)
        timings.append(time.perf_counter() - began)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    with sessions() as session:
        same, server_after = backend_cpu(session)
        server = server_after - server if same == backend else float("nan")  # one pooled connection throughout
        rows = session.execute(select(func.count()).select_from(dossiers)).scalar()
        entries = session.execute(select(func.count()).select_from(dossier_timeline)).scalar()
    engine.dispose()
    count = sum(len(part.data["dossiers"]) for part in parts)
    return {"parts": len(parts), "dossiers": count, "dossier_rows": rows, "timeline_entries": entries,
            "seconds": round(elapsed, 2), "ms_per_dossier": round(elapsed / count * 1000, 3),
            "client_cpu_ms_per_dossier": round(cpu / count * 1000, 3),
            "server_cpu_ms_per_dossier": round(server / count * 1000, 3),
            "part_ms_median": round(statistics.median(timings) * 1000, 1), "part_ms_max": round(max(timings) * 1000, 1)}


def rebuilt(url: str) -> dict:
    engine = make_engine(url)
    started, cpu = time.perf_counter(), time.process_time()
    result = run_to_end(session_factory(engine))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    return {**result, "seconds": round(elapsed, 2),
            "ms_per_dossier": round(elapsed / max(result["dossiers"], 1) * 1000, 3),
            "client_cpu_ms_per_dossier": round(cpu / max(result["dossiers"], 1) * 1000, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=66_572, help="dossiers imported (the seed year: 66,572)")
    parser.add_argument("--part-size", type=int, default=500, help="dossiers per part")
    parser.add_argument("--parse-sample", type=int, default=3, help="parts whose parsing is timed")
    parser.add_argument("--database-url", default=POSTGRES_URL, help="PostgreSQL admin URL (loopback)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    started = time.perf_counter()
    parts = Year().parts(args.dossiers, args.part_size)
    registry.load_data(HISTORY_IMPORTED, parts[0].data)  # the shapes are the catalogue's
    events = sum(len(d["events"]) for part in parts for d in part.data["dossiers"])
    figures = {"generated": {"dossiers": args.dossiers, "parts": len(parts), "events": events,
                             "seconds": round(time.perf_counter() - started, 2)},
               "parse": parse_cost(parts, args.parse_sample)}
    databases = Databases(args.database_url)
    try:
        target = databases.fresh()
        figures["apply"] = apply(target, parts)
        again = [Event(type=p.type, source=p.source, subject=p.subject, data=p.data) for p in parts[:4]]
        figures["again"] = apply(target, again)
        figures["rebuild"] = rebuilt(target)
    finally:
        databases.drop_all()
    figures["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "load_average_1min": round(os.getloadavg()[0], 2)}
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    gen, parse, run, again, rb = (figures[k] for k in ("generated", "parse", "apply", "again", "rebuild"))
    print(f"history   {gen['dossiers']:,} dossiers, {gen['events']:,} events, {gen['parts']} parts "
          f"of {args.part_size} (generated in {gen['seconds']} s)")
    print(f"parse     {parse['ms_per_part']} ms a part, {parse['ms_per_dossier']} ms/dossier "
          f"(consumer's validation, before the handler; {parse['parts_timed']} parts timed)")
    print(f"apply     {run['dossiers']:,} dossiers in {run['seconds']} s: {run['ms_per_dossier']} ms/dossier "
          f"(CPU: this process {run['client_cpu_ms_per_dossier']}, "
          f"PostgreSQL {run['server_cpu_ms_per_dossier']} ms/dossier; "
          f"part median {run['part_ms_median']} ms, max {run['part_ms_max']} ms); "
          f"{run['dossier_rows']:,} rows, {run['timeline_entries']:,} timeline entries")
    print(f"again     {again['parts']} parts re-published: {again['seconds']} s "
          f"(part median {again['part_ms_median']} ms), rows unchanged: {again['dossier_rows'] == run['dossier_rows']}")
    print(f"rebuild   {rb['dossiers']:,} dossiers ({rb['timeline_entries']:,} entries) in {rb['seconds']} s: "
          f"{rb['ms_per_dossier']} ms/dossier (this process's CPU {rb['client_cpu_ms_per_dossier']} ms/dossier)")
    with_parse = run["seconds"] + parse["ms_per_dossier"] * run["dossiers"] / 1000
    print(f"total     apply + parse ≈ {with_parse:.1f} s for {run['dossiers']:,} dossiers "
          f"(load average {figures['machine']['load_average_1min']} on {figures['machine']['cpus']} CPUs)")


if __name__ == "__main__":
    main()
