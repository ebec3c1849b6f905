"""CPU used by each process of a load run between two moments, from /proc (Linux only).

A *target* names a row of the table (e.g. "intake worker") and finds its root processes at each sample;
a root's CPU is the cumulative utime+stime of the root and of every live descendant, plus the cutime+cstime
each of them holds for children it has already reaped. So a gunicorn master's row includes its workers,
and a worker recycled by gunicorn (exited, reaped by the master) keeps its CPU in the row. A process that
is itself gone at the second sample takes its CPU with it: the delta of a root is counted only when the
root is alive at the end (and counted whole when it started during the window).

Roots are keyed by (pid, start time), so a pid reused by another process is not mistaken for the first.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Callable

CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ProcStat:
    pid: int
    ppid: int
    comm: str
    start_ticks: int  # since boot: with the pid, identifies the process
    own_s: float  # utime + stime of every thread of the process
    reaped_children_s: float  # cutime + cstime: children that exited and were waited for

    @property
    def key(self) -> tuple[int, int]:
        return (self.pid, self.start_ticks)


def read_stat(pid: int) -> ProcStat | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            raw = f.read()
    except OSError:
        return None
    # The command name is in parentheses and may itself hold spaces and parentheses: split at the last ")".
    head, _, tail = raw.rpartition(")")
    comm = head.split("(", 1)[1]
    fields = tail.split()
    # fields[0] is field 3 of proc(5): state; ppid is 4, utime 14, stime 15, cutime 16, cstime 17, starttime 22.
    try:
        return ProcStat(pid, int(fields[1]), comm, int(fields[19]),
                        (int(fields[11]) + int(fields[12])) / CLK_TCK,
                        (int(fields[13]) + int(fields[14])) / CLK_TCK)
    except (IndexError, ValueError):
        return None


def process_table() -> dict[int, ProcStat]:
    """Every process visible in /proc now (one scan)."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = read_stat(int(entry))
            if stat is not None:
                table[stat.pid] = stat
    return table


def children_of(table: dict[int, ProcStat]) -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for stat in table.values():
        kids.setdefault(stat.ppid, []).append(stat.pid)
    return kids


def tree(table: dict[int, ProcStat], root: int, kids: dict[int, list[int]] | None = None) -> list[int]:
    """The root and all its live descendants."""
    kids = kids if kids is not None else children_of(table)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            found.append(pid)
            todo.extend(kids.get(pid, ()))
    return found


def tree_cpu_s(table: dict[int, ProcStat], root: int, kids: dict[int, list[int]] | None = None) -> float:
    return sum(table[p].own_s + table[p].reaped_children_s for p in tree(table, root, kids))


def machine_busy_s() -> float:
    """CPU seconds all cores spent not idle since boot (/proc/stat), to show what else ran."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)  # idle + iowait
    return (sum(parts[:8]) - idle) / CLK_TCK


# -- finding roots --------------------------------------------------------------------------------
def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def postgres_roots(table: dict[int, ProcStat]) -> list[int]:
    """Every PostgreSQL postmaster on the machine (a postgres process whose parent is not one): its
    tree is the whole server, so backends that exited during the window are in its reaped time."""
    return [s.pid for s in table.values()
            if s.comm == "postgres" and table.get(s.ppid, ProcStat(0, 0, "", 0, 0, 0)).comm != "postgres"]


def rabbitmq_roots(table: dict[int, ProcStat]) -> list[int]:
    """Every RabbitMQ node's VM (beam.smp booting rabbit) with its port helpers. rabbitmqctl and the
    other CLI tools run a beam.smp of their own, which is not the broker: left out."""
    return [s.pid for s in table.values() if s.comm == "beam.smp" and "rabbit boot" in cmdline(s.pid)]


# -- sampling -------------------------------------------------------------------------------------
@dataclass
class Target:
    name: str
    roots: Callable[[dict[int, ProcStat]], list[int]]
    own_only: bool = False  # the root alone, without its children (the driver: its children are the system)
    note: str = ""


@dataclass
class Sample:
    at: float  # monotonic
    machine_s: float
    per_target: dict[str, dict[tuple[int, int], float]] = field(default_factory=dict)


class CpuAccount:
    """Targets sampled at start() and end(); result() gives each target's CPU in between."""

    def __init__(self, targets: list[Target]):
        self.targets = targets
        self.first: Sample | None = None
        self.last: Sample | None = None

    def add(self, target: Target) -> None:
        self.targets.append(target)

    def sample(self) -> Sample:
        table = process_table()
        kids = children_of(table)
        snap = Sample(time.monotonic(), machine_busy_s())
        for target in self.targets:
            values = {}
            for root in target.roots(table):
                if root in table:
                    own = table[root].own_s if target.own_only else tree_cpu_s(table, root, kids)
                    values[table[root].key] = own
            snap.per_target[target.name] = values
        return snap

    def start(self) -> None:
        self.first = self.sample()

    def end(self) -> None:
        self.last = self.sample()

    def result(self, units: int) -> dict:
        """CPU per target between start() and end(), and per unit of work (`units`: dossiers, items)."""
        if self.first is None or self.last is None:
            raise RuntimeError("CpuAccount.result() before start() and end()")
        seconds = max(1e-6, self.last.at - self.first.at)
        rows = {}
        for target in self.targets:
            before = self.first.per_target.get(target.name, {})
            after = self.last.per_target.get(target.name, {})
            used = sum(max(0.0, cpu - before.get(key, 0.0)) for key, cpu in after.items())
            rows[target.name] = {"cpu_s": round(used, 3), "ms_per_unit": round(1000 * used / units, 2),
                                 "processes": len(after), "note": target.note}
        total = sum(r["cpu_s"] for r in rows.values())
        for row in rows.values():
            row["share"] = round(row["cpu_s"] / total, 4) if total else 0.0
        machine = max(0.0, self.last.machine_s - self.first.machine_s)
        return {"window_s": round(seconds, 3), "units": units, "rows": rows,
                "total_cpu_s": round(total, 3), "total_ms_per_unit": round(1000 * total / units, 2),
                "cores_used": round(total / seconds, 3),
                # Everything busy on the machine, ours or not: above the total, other work shared the cores.
                "machine_cores_busy": round(machine / seconds, 3), "nproc": os.cpu_count()}


def format_table(result: dict, unit: str = "dossier", indent: str = "  ") -> list[str]:
    lines = [f"{indent}{'process':<34} {'CPU s':>8} {f'ms/{unit}':>12} {'share':>7}"]
    for name, row in sorted(result["rows"].items(), key=lambda kv: -kv[1]["cpu_s"]):
        note = f"  ({row['note']})" if row["note"] else ""
        lines.append(f"{indent}{name:<34} {row['cpu_s']:>8.2f} {row['ms_per_unit']:>12.1f} "
                     f"{100 * row['share']:>6.1f}%{note}")
    lines.append(f"{indent}{'total':<34} {result['total_cpu_s']:>8.2f} {result['total_ms_per_unit']:>12.1f} "
                 f"{100.0:>6.1f}%  = {result['cores_used']:.2f} cores over {result['window_s']:.1f} s; "
                 f"machine busy {result['machine_cores_busy']:.2f} of {result['nproc']} cores")
    return lines
