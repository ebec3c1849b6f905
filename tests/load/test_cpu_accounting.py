"""The load test's measuring tools on real processes: CPU accounting from /proc follows a process tree
(a child that exited and was reaped still counts, a root's own-only row leaves its children out), and
the profile report ranks frames from py-spy's collapsed stacks. No broker or database is needed."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "loadtest"))

import cpu_accounting
import profiling

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

# A parent that starts a child burning ~0.4 s of CPU, waits for it (reaps it), then burns ~0.2 s itself
# and waits to be told to exit (a line on stdin), so it is alive at the second sample.
PARENT = textwrap.dedent("""
    import subprocess, sys, time
    def burn(seconds):
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass
    subprocess.run([sys.executable, "-c", "import time\\nend = time.process_time() + 0.4\\n"
                    "while time.process_time() < end: pass"], check=True)
    burn(0.2)
    print("done", flush=True)
    sys.stdin.readline()
""")


def test_a_tree_keeps_the_cpu_of_a_child_it_reaped_and_own_only_leaves_it_out():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        account = cpu_accounting.CpuAccount([
            cpu_accounting.Target("tree", lambda _t: [parent.pid]),
            cpu_accounting.Target("own", lambda _t: [parent.pid], own_only=True),
        ])
        account.start()
        assert parent.stdout.readline().strip() == "done"
        account.end()
        result = account.result(units=4)
    finally:
        parent.stdin.write("\n")
        parent.stdin.flush()
        parent.wait(timeout=30)
    tree, own = result["rows"]["tree"], result["rows"]["own"]
    # The child's 0.4 s are in the tree (the parent's cutime) and not in the parent's own time.
    assert tree["cpu_s"] >= 0.55, result
    assert own["cpu_s"] < tree["cpu_s"] - 0.3, result
    assert tree["ms_per_unit"] == pytest.approx(1000 * tree["cpu_s"] / 4, abs=0.01)
    assert result["total_cpu_s"] == pytest.approx(tree["cpu_s"] + own["cpu_s"], abs=0.002)
    assert sum(r["share"] for r in result["rows"].values()) == pytest.approx(1.0, abs=0.001)


def test_a_process_that_started_inside_the_window_counts_whole_and_one_gone_at_the_end_counts_nothing():
    roots: list[int] = []
    account = cpu_accounting.CpuAccount([cpu_accounting.Target("late", lambda _t: list(roots))])
    account.start()  # nothing to see yet
    burner = subprocess.Popen([sys.executable, "-c", "import time\nend = time.process_time() + 0.3\n"
                               "while time.process_time() < end: pass\ninput()"], stdin=subprocess.PIPE, text=True)
    try:
        roots.append(burner.pid)
        while cpu_accounting.read_stat(burner.pid).own_s < 0.3:
            time.sleep(0.01)
        account.end()
    finally:
        burner.communicate("\n", timeout=30)
    assert account.result(1)["rows"]["late"]["cpu_s"] >= 0.3
    account.end()  # the burner is gone: its CPU is not known any more
    assert account.result(1)["rows"]["late"] == {"cpu_s": 0.0, "ms_per_unit": 0.0, "processes": 0,
                                                  "note": "", "share": 0.0}


def test_stat_parsing_survives_a_command_name_with_spaces_and_parentheses(tmp_path):
    script = tmp_path / "odd ) name (x"
    script.write_text("import sys\nsys.stdin.readline()\n")
    os.symlink(sys.executable, tmp_path / "py (odd) x")
    child = subprocess.Popen([str(tmp_path / "py (odd) x"), str(script)], stdin=subprocess.PIPE)
    try:
        stat = cpu_accounting.read_stat(child.pid)
        assert stat is not None and stat.pid == child.pid and stat.ppid == os.getpid()
        assert "(odd)" in stat.comm
    finally:
        child.communicate(b"\n", timeout=30)


RAW = """\
<module> (motcua_intake/__main__.py:42);run (motcua_shared/worker.py:76);execute (sqlalchemy/engine/base.py:1494);wait (psycopg/connection.py:495) 6
<module> (motcua_intake/__main__.py:42);run (motcua_shared/worker.py:76);execute (sqlalchemy/engine/base.py:1494);wait (psycopg/connection.py:490) 2
<module> (motcua_intake/__main__.py:42);run (motcua_shared/worker.py:76);validate (marshmallow/schema.py:10) 3
<module> (motcua_intake/__main__.py:42);recurse (motcua_shared/a.py:1);recurse (motcua_shared/a.py:1) 1
not a line
"""


def test_top_frames_rank_inclusive_frames_once_per_sample_and_self_time_per_function():
    stacks = profiling.read_collapsed(RAW)
    assert sum(stacks.values()) == 12
    inclusive, own_function, own_line, total = profiling.frame_totals(stacks)
    assert total == 12
    assert inclusive["run (motcua_shared/worker.py:76)"] == 11
    assert inclusive["recurse (motcua_shared/a.py:1)"] == 1  # recursion is not counted twice
    assert own_function["wait (psycopg/connection.py)"] == 8  # both lines of the function together
    assert own_line["wait (psycopg/connection.py:495)"] == 6
    report = profiling.top_frames_report({"intake-worker": stacks}, n=2)
    project = report.split("-- inclusive, project frames")[1].split("--")[0]
    assert "<module> (motcua_intake/__main__.py:42)" in project and "sqlalchemy" not in project
    library_self = report.split("-- self, library frames")[1]
    first = library_self.strip().splitlines()[0]
    assert "66.7%" in first and "wait (psycopg/connection.py:495)" in first  # hottest line named


def test_frames_are_shortened_to_the_package_path():
    assert profiling.short_frame("f (/srv/motcua/.venv/lib/python3.11/site-packages/pika/channel.py:10)") \
        == "f (pika/channel.py:10)"
    assert profiling.short_frame("g (/srv/motcua/shared/motcua_shared/worker.py:5)") == "g (motcua_shared/worker.py:5)"
    assert profiling.short_frame("h (/srv/motcua/services/intake/motcua_intake/app.py:7)") == "h (motcua_intake/app.py:7)"


def test_the_flame_graph_stacks_each_frame_on_its_caller_with_widths_from_the_samples():
    stacks = Counter({("a (x.py:1)", "b (x.py:2)"): 3, ("a (x.py:1)", "c (x.py:3)"): 1})
    root = ET.fromstring(profiling.flame_graph_svg(stacks, "t <&>", width=400))
    ns = {"s": "http://www.w3.org/2000/svg"}
    boxes = {g.find("s:title", ns).text.split(" — ")[0]: g.find("s:rect", ns) for g in root.iterfind("s:g", ns)}
    assert set(boxes) == {"all (4 samples)", "a (x.py:1)", "b (x.py:2)", "c (x.py:3)"}
    geometry = {k: (float(r.get("x")), float(r.get("y")), float(r.get("width"))) for k, r in boxes.items()}
    assert geometry["a (x.py:1)"][2] == pytest.approx(400)
    assert geometry["b (x.py:2)"][2] == pytest.approx(300) and geometry["c (x.py:3)"][2] == pytest.approx(100)
    assert geometry["b (x.py:2)"][1] < geometry["a (x.py:1)"][1] < geometry["all (4 samples)"][1]  # callees above
    assert geometry["c (x.py:3)"][0] == pytest.approx(geometry["b (x.py:2)"][0] + 300)  # side by side
