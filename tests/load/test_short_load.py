"""The short load run of CI: dossiers submitted concurrently at the commune desks of Sông Mã travel
through the five real workers (routing's inbox worked by officers through its API, real SMTP and SMS
sinks), and every one is counted exactly once by reporting and notified exactly once per template
and channel, with nothing dead-lettered. The figures are printed, never asserted: performance is the
business of `loadtest/pipeline_load.py` run as a benchmark (loadtest/README.md)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "loadtest" / "pipeline_load.py"
DOSSIERS = 40
# Generous: the run takes well under a minute on the 2-core CI machine; a slow, shared machine must
# make it slower, never red. The run fails at once when a worker, a handler or an invariant fails.
DURATION_LIMIT = 240


def load_module():
    spec = importlib.util.spec_from_file_location("pipeline_load", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_a_short_load_is_counted_once_and_notified_once(system, tmp_path):
    pipeline_load = load_module()

    figures = pipeline_load.run_load(system, dossiers=DOSSIERS, concurrency=4, duration_limit=DURATION_LIMIT,
                                     log_dir=tmp_path)

    # run_load raises on any broken invariant; these restate what it checked, from its figures.
    invariants = figures["invariants"]
    assert invariants["reported_received"] == invariants["reported_resolved"] == DOSSIERS
    assert invariants["messages"] == DOSSIERS * len(pipeline_load.NOTIFIED_TEMPLATES) * len(pipeline_load.CHANNELS)
    assert invariants["sink_totals"] == {channel: DOSSIERS * len(pipeline_load.NOTIFIED_TEMPLATES)
                                         for channel in pipeline_load.CHANNELS}
    assert invariants["duplicate_messages"] == 0 and invariants["dead_letters"] == 0
    assert all(stage in figures["stages_ms"] for stage in pipeline_load.STAGES)
    # The CPU accounting saw every worker at work in the window, and the driver that holds the APIs.
    rows = figures["cpu"]["rows"]
    for service in pipeline_load.SERVICES_ORDER:
        assert rows[f"{service} worker"]["processes"] >= 1 and rows[f"{service} worker"]["cpu_s"] > 0, rows
    assert rows["load driver (this process)"]["cpu_s"] > 0
    assert figures["events_per_dossier_by_type"]["intake: vn.motcua.dossier.received"] == 1.0
    assert sum(figures["deliveries_per_dossier_by_queue"].values()) > 0
    pipeline_load.print_report(figures)
