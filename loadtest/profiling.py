"""Flame graphs of the pipeline's processes under load, with py-spy (a development dependency).

`Profiler.start(name, pid)` attaches `py-spy record --gil` to a running process: only samples taken while
a thread holds the GIL are kept, so the graph shows where the process spends CPU in Python (waiting on a
socket or a lock is not in it). py-spy writes collapsed stacks ("raw"); `stop()` interrupts every
recorder (py-spy writes its file on SIGINT), then draws one SVG flame graph per process from them and
writes `top-frames.txt`: per process, the frames with the most inclusive samples (the frame was on the
stack) and the most self samples (the frame was running).

The SVG is drawn here rather than by py-spy because one py-spy run writes one format, and the top frames
need the raw stacks: the stacks are recorded once and both outputs come from them.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import signal
import subprocess
import sys
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

TOP_FRAMES = 15
RATE = 100  # samples per second: py-spy's default


def py_spy() -> str | None:
    """py-spy from the interpreter's own environment first (the venv installs it), then the PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


@dataclass
class Recording:
    name: str
    pid: int
    raw_path: Path
    popen: subprocess.Popen
    log_path: Path


class Profiler:
    def __init__(self, out_dir: Path, rate: int = RATE):
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.rate = rate
        self.recordings: list[Recording] = []
        self.executable = py_spy()
        if self.executable is None:
            raise RuntimeError("py-spy is not installed: .venv/bin/pip install -r requirements-dev.lock")

    def start(self, name: str, pid: int, subprocesses: bool = False) -> None:
        safe = re.sub(r"[^A-Za-z0-9_.]+", "-", name).strip("-")
        raw_path = self.out_dir / f"{safe}.raw.txt"
        log_path = self.out_dir / f"{safe}.py-spy.log"
        command = [self.executable, "record", "--gil", "--format", "raw", "--rate", str(self.rate),
                   "--pid", str(pid), "--output", str(raw_path)]
        if subprocesses:  # a worker that forks processes of its own: their stacks are its stacks
            command.append("--subprocesses")
        with open(log_path, "wb") as log:
            popen = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.recordings.append(Recording(name, pid, raw_path, popen, log_path))

    def pids(self) -> list[int]:
        return [r.popen.pid for r in self.recordings if r.popen.poll() is None]

    def interrupt(self) -> None:
        """Tell every recorder to stop sampling (py-spy writes its file on SIGINT)."""
        for r in self.recordings:
            if r.popen.poll() is None:
                r.popen.send_signal(signal.SIGINT)

    def reap(self) -> None:
        for r in self.recordings:
            try:
                r.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                r.popen.kill()
                r.popen.wait()

    def stop(self) -> dict:
        """Stop the recorders, draw the graphs and the top frames; answer what was written."""
        self.interrupt()
        self.reap()
        written, failed = {}, {}
        for r in self.recordings:
            if not r.raw_path.exists():
                failed[r.name] = r.log_path.read_text(errors="replace")[-300:].strip()
                continue
            stacks = read_collapsed(r.raw_path.read_text(errors="replace"))
            svg = self.out_dir / f"{r.raw_path.name.removesuffix('.raw.txt')}.svg"
            svg.write_text(flame_graph_svg(stacks, f"{r.name} (pid {r.pid}), GIL held, {self.rate} Hz"))
            written[r.name] = {"svg": str(svg), "samples": sum(stacks.values()), "stacks": stacks}
        top = self.out_dir / "top-frames.txt"
        top.write_text(top_frames_report({n: w["stacks"] for n, w in written.items()}, TOP_FRAMES)
                       + "".join(f"\n{n}: no profile ({why})\n" for n, why in failed.items()))
        return {"dir": str(self.out_dir), "top_frames": str(top), "failed": failed,
                "processes": {n: {"svg": w["svg"], "samples": w["samples"]} for n, w in written.items()}}


# -- collapsed stacks -----------------------------------------------------------------------------
def read_collapsed(text: str) -> Counter:
    """'frame;frame;frame COUNT' lines (py-spy's raw format, flamegraph.pl's input) → Counter of stacks."""
    stacks: Counter = Counter()
    for line in text.splitlines():
        stack, _, count = line.rstrip().rpartition(" ")
        if stack and count.isdigit():
            stacks[tuple(stack.split(";"))] += int(count)
    return stacks


# py-spy frames look like "function (path/file.py:123)"; with --subprocesses and --threads it adds
# "process 123:"..."" and "thread (0x...)" frames, which are labels, not code.
_LABEL = re.compile(r'^(process \d+:|thread \(0x)')
_SITE = re.compile(r"^.*?(?:site|dist)-packages/")


def short_frame(frame: str) -> str:
    """Drop the environment's prefix from a frame's file, keep function (file:line)."""
    match = re.match(r"^(.*) \((.*)\)$", frame)
    if not match:
        return frame
    function, where = match.groups()
    where = _SITE.sub("", where)
    where = re.sub(r"^.*?/(shared|services/[a-z]+)/", "", where)  # project code: from its package down
    return f"{function} ({where})"


def is_project(frame: str) -> bool:
    """Our own code (the services, the shared library, the load tools) rather than a library's."""
    return bool(re.search(r"\((motcua_[a-z_]+/|loadtest/|benchmarks/)", frame))


def function_of(frame: str) -> str:
    """'f (file.py:12)' → 'f (file.py)': the lines of one function taken together."""
    return re.sub(r":\d+\)$", ")", frame)


def frame_totals(stacks: Counter) -> tuple[Counter, Counter, Counter, int]:
    """Inclusive samples per frame (a frame counted once per sample, however often it recurs in the
    stack); self samples per function (the innermost frame: its lines taken together, a line alone is too
    thin to rank) and per line; and the total of samples."""
    inclusive: Counter = Counter()
    own_function: Counter = Counter()
    own_line: Counter = Counter()
    total = 0
    for stack, count in stacks.items():
        frames = [short_frame(f) for f in stack if not _LABEL.match(f)]
        total += count
        if not frames:
            continue
        for frame in set(frames):
            inclusive[frame] += count
        own_function[function_of(frames[-1])] += count
        own_line[frames[-1]] += count
    return inclusive, own_function, own_line, total


def top_frames_report(profiles: dict[str, Counter], n: int = TOP_FRAMES) -> str:
    out = ["Top frames per process (py-spy --gil: samples while the process held the GIL, i.e. ran Python).",
           "inclusive: the frame (function at file:line) was on the stack; self: the function was the one",
           "running (its lines together; the line named is its hottest). Project frames: motcua_*, loadtest,",
           "benchmarks; library frames: everything else, the standard library included.", ""]
    for name, stacks in profiles.items():
        inclusive, own_function, own_line, total = frame_totals(stacks)
        out.append(f"== {name}: {total} samples")
        if not total:
            out.append("   (no sample: the process did not hold the GIL while it was watched)\n")
            continue
        hottest_line = {}
        for frame, _count in own_line.most_common():
            hottest_line.setdefault(function_of(frame), frame)
        for title, counter, label in (("inclusive", inclusive, lambda f: f),
                                      ("self", own_function, lambda f: hottest_line[f])):
            for kind, keep in (("project", True), ("library", False)):
                out.append(f"   -- {title}, {kind} frames")
                for frame, count in [(f, c) for f, c in counter.most_common() if is_project(f) == keep][:n]:
                    out.append(f"   {100 * count / total:6.1f}% {count:>7}  {label(frame)}")
        out.append("")
    return "\n".join(out) + "\n"


# -- the SVG --------------------------------------------------------------------------------------
def flame_graph_svg(stacks: Counter, title: str, width: int = 1200, row: int = 16) -> str:
    """A static flame graph (root at the bottom, widths proportional to samples, a tooltip per box)."""
    root: dict = {"count": 0, "kids": {}}
    for stack, count in stacks.items():
        node = root
        node["count"] += count
        for frame in stack:
            node = node["kids"].setdefault(frame, {"count": 0, "kids": {}})
            node["count"] += count
    total = root["count"] or 1

    def depth(node) -> int:
        return 1 + max((depth(k) for k in node["kids"].values()), default=0)

    levels = depth(root)
    height = (levels + 2) * row + 10
    boxes: list[str] = []

    def draw(node, name: str, x: float, level: int) -> None:
        w = width * node["count"] / total
        if w < 0.3:  # narrower than a pixel's third: invisible, and it would only grow the file
            return
        y = height - (level + 1) * row - 4
        label = short_frame(name)
        tip = html.escape(f"{label} — {node['count']} samples, {100 * node['count'] / total:.1f}%")
        hue = 10 + zlib.crc32(label.split(" (")[0].encode()) % 45  # warm colours, stable per function
        text = html.escape(label[: int(w / 7)]) if w > 28 else ""
        boxes.append(f'<g><title>{tip}</title><rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" '
                     f'fill="hsl({hue},85%,60%)" rx="2"/>'
                     + (f'<text x="{x + 3:.1f}" y="{y + row - 5}">{text}</text>' if text else "") + "</g>")
        child_x = x
        for kid_name, kid in sorted(node["kids"].items(), key=lambda kv: kv[0]):
            draw(kid, kid_name, child_x, level + 1)
            child_x += width * kid["count"] / total

    draw(root, f"all ({stacks and sum(stacks.values())} samples)", 0.0, 0)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="monospace" font-size="11">\n'
            f'<rect width="100%" height="100%" fill="#fdfdf6"/>\n'
            f'<text x="4" y="14" font-size="13">{html.escape(title)}</text>\n'
            + "\n".join(boxes) + "\n</svg>\n")


def api_worker_pid(master_pid: int) -> int | None:
    """One of the gunicorn master's worker processes (its children), the oldest."""
    from cpu_accounting import process_table

    table = process_table()
    kids = sorted((s.start_ticks, s.pid) for s in table.values() if s.ppid == master_pid)
    return kids[0][1] if kids else None


if __name__ == "__main__":  # redraw from a raw file: python loadtest/profiling.py FILE.raw.txt
    for path in map(Path, sys.argv[1:]):
        stacks = read_collapsed(path.read_text())
        path.with_suffix(".svg").write_text(flame_graph_svg(stacks, path.name))
        print(top_frames_report({path.name: stacks}), end="")
    sys.exit(0 if sys.argv[1:] else os.EX_USAGE)
