#!/usr/bin/env python
"""The seed's year imported: Sông Mã's 66,572 dossiers of January–May 2019 brought in with the bulk
import and counted, against the real stack on PostgreSQL (issue 17: under 10 minutes on 2 cores).

    .venv/bin/python benchmarks/import_year.py [--scale N] [--seed S] [--json]

One run, timed phase by phase on a fresh vhost and fresh databases (through the test harness, as
pipeline_throughput.py does), the five real workers running with the shipped defaults:

1. generate: the records (tests/motcua_testing/district_history.py at `--scale`) and the JSON-lines file;
2. check: `python -m motcua_intake import FILE --check` (read and validate the whole file, store nothing);
3. import: `python -m motcua_intake import FILE` (check again, stage in one transaction, apply part by
   part, each part one `vn.motcua.history.imported` event in the outbox): the CLI's own figures for its
   check and its apply, and its wall time;
4. counted: from the start of the import until routing has every route and reporting every dossier
   row, the intake outbox drained on the way (polled every half second);
5. summary: `GET /api/v1/reports/summary` for unit 126 over 2019-01-01..2019-05-31, compared figure by
   figure with the seed's table (the generator's expected summary; at scale 1 the article's figures);
6. again: the same file imported once more (already imported: nothing changes), and the sanity counts
   (no message written by notification, no shipment by postal, nothing dead-lettered).

Printed: seconds per phase, dossiers per second, the CPU each component used during phases 3–4 (cores
busy, from /proc) and the load averages. The run fails (exit 1) when a figure differs or a wait times out.
Everything it creates (vhost, databases, worker processes, the temporary directory) is removed at the
end, also on Ctrl-C or SIGTERM. Only 127.0.0.1 is contacted. See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline_throughput import (BenchmarkError, Resources, build_system, check_no_dead_letters,  # same dir
                                 check_workers_alive, cpu_share, cpu_snapshot, machine_context, open_resources,
                                 run_guarded, worker_pids, worker_settings)

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DISTRICT = "126"
PERIOD = ("2019-01-01", "2019-05-31")
LIMIT_SECONDS = 600  # issue 17: the whole year imported and counted in under 10 minutes
POLL = 0.5


def cli(system, *args: str, timeout: float) -> tuple[subprocess.CompletedProcess, float, float]:
    """The intake CLI as an administrator runs it; (result, wall seconds, CPU seconds of the CLI)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "motcua_intake", "import", *args, "--by", "benchmark"],
                          env={**os.environ, **system.env}, capture_output=True, text=True, timeout=timeout)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def seconds_in(text: str, pattern: str) -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def counts(system) -> dict[str, int]:
    from sqlalchemy import func, select

    found = {"routing": system.count("routing", "dossier_routes")}
    rt = system.runtime("reporting")
    table = rt.spec.metadata.tables["dossiers"]
    with rt.engine.connect() as conn:
        found["reporting"] = conn.execute(select(func.count()).select_from(table)
                                          .where(table.c.received_at.is_not(None))).scalar_one()
    found["intake outbox unsent"] = system.runtime("intake").outbox_store("bench").lag()[0]
    return found


def summary(system) -> dict:
    client = system.client("reporting")
    answer = client.get(f"/api/v1/reports/summary?from={PERIOD[0]}&to={PERIOD[1]}&unit={DISTRICT}",
                        headers=system.auth("leader", unit=DISTRICT))
    if answer.status_code != 200:
        raise BenchmarkError(f"summary answered {answer.status_code}: {answer.get_data(as_text=True)[:500]}")
    return answer.get_json()


def differences(got: dict, expected: dict, prefix: str = "") -> list[str]:
    found = []
    for key, value in expected.items():
        if isinstance(value, dict):
            found += differences(got.get(key, {}), value, f"{prefix}{key}.")
        elif got.get(key) != value:
            found.append(f"{prefix}{key}: expected {value}, got {got.get(key)}")
    return found


def run(res: Resources, args, worker_env: dict[str, str], figures: dict) -> None:
    from motcua_testing.district_history import district_year, write_jsonl

    # 1. generate
    started = time.monotonic()
    history = district_year(args.scale, args.seed)
    figures["generate_s"] = time.monotonic() - started
    n = figures["dossiers"] = len(history.records)
    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-import-"))
    res.tmpdirs.append(workdir)
    started = time.monotonic()
    path = write_jsonl(history.records, workdir / f"song-ma-2019-scale-{args.scale}.jsonl")
    figures["write_file_s"] = time.monotonic() - started
    figures["file_mb"] = path.stat().st_size / 1e6
    print(f"generated {n:,} dossiers in {figures['generate_s']:.1f} s; file {figures['file_mb']:.1f} MB "
          f"written in {figures['write_file_s']:.1f} s", flush=True)

    system = build_system(res, 0, worker_env)
    system.start_workers()
    pids = worker_pids(system)
    time.sleep(3)  # the workers connect and declare before the clock starts
    check_workers_alive(system)

    # 2. check only
    done, wall, _cpu = cli(system, str(path), "--check", timeout=args.timeout)
    if done.returncode != 0:
        raise BenchmarkError(f"the check failed (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    figures["check_cli_s"] = wall
    figures["check_s"] = seconds_in(done.stdout, r"kiểm tra trong ([\d.]+) giây")
    print(f"check: {figures['check_s']} s inside the CLI, {wall:.1f} s wall", flush=True)

    # 3–4. import, and wait until routing and reporting have everything
    cpu_before, t0 = cpu_snapshot(pids, f"bench_{res.factory.run_id}"), time.monotonic()
    usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen([sys.executable, "-m", "motcua_intake", "import", str(path), "--by", "benchmark"],
                            env={**os.environ, **system.env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    reached: dict[str, float] = {}
    deadline = t0 + args.timeout
    output = ("", "")
    while True:
        now = time.monotonic()
        if proc.poll() is not None and "cli" not in reached:
            reached["cli"] = now - t0
            output = proc.communicate()
            if proc.returncode != 0:
                raise BenchmarkError(f"the import failed (exit {proc.returncode}):\n{output[0][-3000:]}"
                                     f"{output[1][-2000:]}")
        seen = counts(system)
        for name in ("routing", "reporting"):
            if seen[name] >= n and name not in reached:
                reached[name] = now - t0
        if "cli" in reached and seen["intake outbox unsent"] == 0 and "outbox" not in reached:
            reached["outbox"] = now - t0
        if {"cli", "routing", "reporting", "outbox"} <= set(reached):
            break
        if now > deadline:
            proc.kill()
            raise BenchmarkError(f"timed out after {args.timeout:.0f} s: {seen}, reached {reached}")
        check_workers_alive(system)
        time.sleep(POLL)
    elapsed = time.monotonic() - t0
    usage_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu_share(cpu_before, cpu_snapshot(pids, f"bench_{res.factory.run_id}"), elapsed)
    cpu["import CLI"] = ((usage_after.ru_utime - usage_before.ru_utime)
                         + (usage_after.ru_stime - usage_before.ru_stime)) / elapsed
    cpu["other processes"] = max(0.0, cpu["other processes"] - cpu["import CLI"])
    figures["cpu"] = cpu
    figures["import_cli_s"] = reached["cli"]
    figures["import_check_s"] = seconds_in(output[0], r"kiểm tra trong ([\d.]+) giây")
    figures["import_apply_s"] = seconds_in(output[0], r"Đã nhập \d+ hồ sơ.* trong ([\d.]+) giây")
    if figures["import_check_s"] is not None and figures["import_apply_s"] is not None:
        figures["import_stage_s"] = reached["cli"] - figures["import_check_s"] - figures["import_apply_s"]
    else:
        figures["import_stage_s"] = None
    figures["outbox_drained_s"] = reached["outbox"]
    figures["routing_all_s"] = reached["routing"]
    figures["reporting_all_s"] = reached["reporting"]
    figures["counted_s"] = elapsed
    print(f"import: CLI done in {reached['cli']:.1f} s (check {figures['import_check_s']} s, apply "
          f"{figures['import_apply_s']} s); routing has all at {reached['routing']:.1f} s, reporting at "
          f"{reached['reporting']:.1f} s", flush=True)

    # 5. the summary against the seed's table
    started = time.monotonic()
    got = summary(system)
    figures["summary_s"] = time.monotonic() - started
    figures["summary"] = got
    figures["differences"] = differences(got, history.expected) + differences(history.expected, got)

    # 6. the same file again, and what must not have happened
    again, wall, _cpu = cli(system, str(path), timeout=args.timeout)
    figures["again_s"] = wall
    if again.returncode != 0 or "đã được nhập" not in again.stdout:
        raise BenchmarkError(f"importing the same file again: exit {again.returncode}\n{again.stdout[-2000:]}")
    if counts(system) != {"routing": n, "reporting": n, "intake outbox unsent": 0}:
        raise BenchmarkError(f"the second import changed something: {counts(system)}")
    figures["messages"] = system.count("notification", "messages")
    figures["shipments"] = system.count("postal", "shipments")
    check_no_dead_letters(system)
    if figures["differences"]:
        raise BenchmarkError("the summary is not the seed's table:\n  " + "\n  ".join(figures["differences"]))
    if figures["messages"] or figures["shipments"]:
        raise BenchmarkError(f"history disturbed someone: {figures['messages']} messages, "
                             f"{figures['shipments']} shipments")


def print_report(figures: dict, context: dict, args) -> None:
    n = figures["dossiers"]
    total = figures["generate_s"] + figures["write_file_s"] + figures["check_cli_s"] + figures["counted_s"]
    figures["total_s"] = total
    print()
    print(f"motcua import benchmark: Sông Mã 2019-01..05 at scale 1:{args.scale} (seed {args.seed}), "
          f"{n:,} dossiers")
    for key, value in context.items():
        print(f"  {key}: {value}")
    print()
    rows = [
        ("generate the records", figures["generate_s"], n / figures["generate_s"]),
        ("write the JSON-lines file", figures["write_file_s"], None),
        ("check (CLI --check, inside)", figures["check_s"], n / figures["check_s"] if figures["check_s"] else None),
        ("check (CLI --check, wall incl. start)", figures["check_cli_s"], None),
        ("import CLI: its check", figures["import_check_s"], None),
        ("import CLI: apply, part by part (its figure)", figures["import_apply_s"],
         n / figures["import_apply_s"] if figures["import_apply_s"] else None),
        ("import CLI: start, read, stage (the rest)", figures["import_stage_s"], None),
        ("import CLI: wall", figures["import_cli_s"], n / figures["import_cli_s"]),
        ("  intake outbox drained", figures["outbox_drained_s"], None),
        ("  routing has every route", figures["routing_all_s"], None),
        ("  reporting has every dossier", figures["reporting_all_s"], None),
        ("import until counted (from the CLI's start)", figures["counted_s"], n / figures["counted_s"]),
        ("summary API over the period", figures["summary_s"], None),
        ("the same file again (already imported)", figures["again_s"], None),
        ("TOTAL generate + check + import + counted", total, n / total),
    ]
    print(f"{'phase':<46} {'seconds':>9} {'dossiers/s':>11}")
    print("-" * 68)
    for label, seconds, rate in rows:
        shown = f"{seconds:9.1f}" if seconds is not None else f"{'?':>9}"
        print(f"{label:<46} {shown} {(f'{rate:11,.0f}' if rate else ''):>11}")
    verdict = "under" if total < LIMIT_SECONDS else "OVER"
    print(f"\n{verdict} the 10-minute target ({total:.0f} s of {LIMIT_SECONDS} s)")
    print("\nCPU during import + counting (cores busy, 1.00 = one full core of "
          f"{context.get('nproc', '?')}):")
    cpu = figures["cpu"]
    order = ["import CLI"] + [f"{s} worker" for s in ("intake", "routing", "notification", "postal", "reporting")]
    order += ["postgres", "rabbitmq", "benchmark", "other processes", "machine"]
    print("  " + "  ".join(f"{k.replace(' worker', '')}={cpu[k]:.2f}" for k in order if k in cpu))
    got = figures["summary"]
    print("\nBiểu 06, unit 126, 01/01–31/05/2019 (reporting's answer; every figure equals the seed's table)"
          if not figures["differences"] else "\nBiểu 06 differs from the seed's table:")
    for part in ("one_stop", "inter_agency", None):
        groups = got[part] if part else got
        print(f"  {part or 'total':<13} received {groups['received']['total']:>6,} (online "
              f"{groups['received']['online']:,}, counter/postal {groups['received']['counter_postal']:,}, "
              f"carried over {groups['received']['carried_over']})  resolved {groups['resolved']['total']:>6,} "
              f"(early {groups['resolved']['early']:,}, on time {groups['resolved']['on_time']:,}, late "
              f"{groups['resolved']['late']})  in progress {groups['in_progress']['total']:,} (overdue "
              f"{groups['in_progress']['overdue']})")
    print(f"  notification messages {figures['messages']}, postal shipments {figures['shipments']}, "
          "nothing dead-lettered")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scale", type=int, default=1, help="1:N of the seed's table (default 1: 66,572 dossiers)")
    p.add_argument("--seed", type=int, default=2019, help="the generator's seed (default 2019)")
    p.add_argument("--timeout", type=float, default=1800.0, help="upper bound of each wait, seconds (default 1800)")
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                   help="worker and CLI setting, e.g. --env INTAKE_IMPORT_PART_SIZE=500 (repeatable)")
    p.add_argument("--json", action="store_true", help="also print every figure as JSON")
    p.add_argument("--keep-logs", action="store_true", help="keep the worker logs directory")
    args = p.parse_args(argv)
    if args.scale < 1:
        p.error("--scale must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    res = open_resources(args.keep_logs)
    if res is None:
        return 2
    from motcua_testing.databases import DatabaseFactory

    worker_env = worker_settings(args.env)
    figures: dict = {}
    context: dict = {}
    started = time.monotonic()

    def work():
        context.update(machine_context())
        context["worker settings"] = " ".join(f"{k}={v}" for k, v in worker_env.items())
        res.factory = DatabaseFactory(POSTGRES_URL)
        run(res, args, worker_env, figures)

    status = run_guarded(res, work)
    if status == 0:
        context["loadavg_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        context["wall time"] = f"{time.monotonic() - started:.0f} s"
        print_report(figures, context, args)
        if args.json:
            print(json.dumps({"context": context, "args": vars(args), "figures": figures}, indent=2, default=str))
    return status


if __name__ == "__main__":
    sys.exit(main())
