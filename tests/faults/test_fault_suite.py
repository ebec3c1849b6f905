"""The short fault suite of CI: one load run through every fault in turn (loadtest/fault_suite.py).

On a RabbitMQ node and a PostgreSQL cluster of its own (restarting them disturbs no other test), with
the five workers and the five gunicorn APIs as real processes, dossiers are submitted and worked while
the broker restarts, every connection is cut, PostgreSQL stops for 4 s, each worker and each API is
SIGKILLed and started again, and 150 poison messages flood three queues. Then every dossier must be
routed once, counted once, notified once per template and channel, the only dead letters the poison
ones (each with its reason), and no applicant's personal data in any process's log.
The long version, one scenario per fault with more dossiers, is `python loadtest/fault_suite.py`.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from motcua_testing.infra import unavailable
from motcua_testing.private_infra import PrivatePostgres, PrivateRabbit

SCRIPT = Path(__file__).resolve().parents[2] / "loadtest" / "fault_suite.py"
DOSSIERS = 40


@pytest.fixture(scope="module")
def fault_suite():
    spec = importlib.util.spec_from_file_location("fault_suite", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def infra(fault_suite):
    if not (PrivateRabbit.available() and PrivatePostgres.available()):
        unavailable("The RabbitMQ and PostgreSQL server binaries the fault suite starts its own servers from")
    started = fault_suite.Infra.start()
    yield started
    started.shutdown()


@pytest.mark.slow
def test_every_fault_in_turn_loses_nothing_and_does_nothing_twice(fault_suite, infra, tmp_path):
    faults = fault_suite.SCENARIOS["everything"]

    figures = fault_suite.run_scenario(infra, "everything", faults, DOSSIERS, tmp_path, lead=2.0, gap=1.5)

    # run_scenario raises on any broken invariant; these restate what it proved, from its figures.
    injected = [f["fault"] for f in figures["faults"]]
    assert injected == faults, "every fault was injected, in order, while the load ran"
    assert all(0 < f["submitted"] for f in figures["faults"])
    inv = figures["invariants"]
    assert inv["routes"] == inv["reported_received"] == inv["reported_resolved"] == DOSSIERS
    assert inv["messages"] == DOSSIERS * 4 and inv["duplicate_messages"] == 0
    assert inv["dead_letters"] == 0
    assert inv["poison_dead_lettered"] == fault_suite.POISON_TOTAL  # the partners' own included
    assert inv["log_lines_scanned"] > 0
    print("\n" + fault_suite.table([figures]))
