"""The messaging backbone under failure, on the real broker and real PostgreSQL.

Every test feeds `dossier.received` events through intake's outbox with all four consumers running
as real worker processes, injects a fault, and then counts effects in each consumer's database:
each must equal the number of events (nothing lost, nothing done twice) with empty DLQs.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time

import pytest

from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

from motcua_testing.pipeline import dead_letters, effects, enqueue, unsent
from motcua_testing.waiting import wait_for

# Restarts the local broker and stops the local PostgreSQL: nothing else may run meanwhile.
pytestmark = pytest.mark.serial

CONSUMERS = ("routing", "notification", "postal", "reporting")


def codes(prefix: str, n: int) -> list[str]:
    return [f"H52.04222-190315-{prefix}{i:03d}" for i in range(n)]


def all_counted(system, n: int):
    counts = effects(system)
    return counts if all(v >= n for v in counts.values()) else None


def assert_exactly_once(system, n: int, timeout: float = 60) -> None:
    wait_for(lambda: all_counted(system, n), timeout=timeout, what=f"{n} events at every consumer")
    # Re-published events (after a relay crash or a lost confirm) must all be confirmed and marked...
    wait_for(lambda: unsent(system) == 0, timeout=timeout, what="an empty outbox")
    time.sleep(1.0)  # a duplicate would arrive within the redelivery window; give it the chance
    assert effects(system) == {service: n for service in CONSUMERS}
    for service in CONSUMERS:
        # Only the dossier.received events fed here: routing's inbox also holds the steps it dispatched itself.
        received = [r for r in system.rows(service, "inbox") if r["event_type"] == DOSSIER_RECEIVED]
        assert len(received) == n, service
    assert unsent(system) == 0
    assert set(dead_letters(system.amqp_url).values()) == {0}


def test_events_flow_from_outbox_to_every_consumer_exactly_once(system):
    system.start_workers("intake", *CONSUMERS)
    enqueue(system, codes("A", 120))
    assert_exactly_once(system, 120)


def test_broker_restart_midstream_loses_nothing_and_repeats_nothing(system):
    if system.broker.management_url or system.broker.container is not None:
        pytest.skip("restarting the broker app needs rabbitmqctl on the broker's host")
    system.start_workers("intake", *CONSUMERS)
    total = 0
    feeding_done = threading.Event()

    def feed():
        nonlocal total
        for batch in range(30):
            try:
                enqueue(system, codes(f"{batch:02d}", 10))  # the database stays up: the outbox keeps filling
                total += 10
            finally:
                time.sleep(0.1)
        feeding_done.set()

    feeder = threading.Thread(target=feed)
    feeder.start()
    time.sleep(0.8)
    subprocess.run(["rabbitmqctl", "-q", "stop_app"], check=True, timeout=120)
    time.sleep(2)
    subprocess.run(["rabbitmqctl", "-q", "start_app"], check=True, timeout=120)
    feeder.join()
    assert feeding_done.is_set()
    assert_exactly_once(system, total, timeout=120)


def test_worker_killed_between_commit_and_ack_acts_once(system):
    system.start_workers("intake", "routing", "notification", "postal")
    # The reporting worker dies right after committing its 7th event, before acknowledging it.
    system.processes.start("reporting-worker", "reporting", "worker",
                           {"MOTCUA_FAILPOINTS": "consumer.after_commit:7"})
    enqueue(system, codes("K", 40))
    assert system.processes.wait_exit("reporting-worker", timeout=60) == 137
    system.processes.start("reporting-worker-2", "reporting", "worker")
    assert_exactly_once(system, 40)


def test_relay_killed_between_publish_and_marking_sent_repeats_nothing(system):
    system.start_workers(*CONSUMERS)
    # intake's relay dies after the broker confirmed its first window, before marking it sent.
    system.processes.start("intake-worker", "intake", "worker", {"MOTCUA_FAILPOINTS": "relay.after_confirm:1"})
    enqueue(system, codes("R", 50))
    assert system.processes.wait_exit("intake-worker", timeout=60) == 137
    assert unsent(system) == 50  # published and confirmed, but not marked: they will be published again
    system.processes.start("intake-worker-2", "intake", "worker")
    assert_exactly_once(system, 50, timeout=90)


def test_sigkill_of_every_worker_midstream_loses_nothing(system):
    system.start_workers("intake", *CONSUMERS)
    enqueue(system, codes("S", 100))
    time.sleep(0.3)
    for service in ("intake", *CONSUMERS):
        system.processes.kill(f"{service}-worker", signal.SIGKILL)
    enqueue(system, codes("T", 100))
    system.start_workers("intake", *CONSUMERS)  # same names: the dead ones are replaced
    assert_exactly_once(system, 200, timeout=90)


def test_sigterm_stops_a_worker_cleanly(system):
    system.start_workers("reporting")
    wait_for(lambda: "consumer_started" in system.processes.log("reporting-worker"), what="consumer start")
    assert system.processes.kill("reporting-worker", signal.SIGTERM) == 0
    assert "worker_stopped" in system.processes.log("reporting-worker")


def test_database_outage_midstream_loses_nothing_and_repeats_nothing(system):
    """PostgreSQL stopped for a while under a running pipeline: workers hold their deliveries and
    wait (without spending the retry budget, so nothing is dead-lettered), then carry on."""
    if system.broker.container is not None or not shutil.which("pg_ctlcluster"):
        pytest.skip("stopping PostgreSQL needs pg_ctlcluster on this host")
    cluster = sorted(os.listdir("/etc/postgresql"))[-1]
    system.start_workers("intake", *CONSUMERS)
    enqueue(system, codes("B", 60))
    wait_for(lambda: all(v > 0 for v in effects(system).values()), what="the stream to start")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "stop", "-m", "fast"],
                   check=True, timeout=120)
    try:
        time.sleep(6)  # longer than the whole retry budget of the test settings
    finally:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "start"],
                       check=True, timeout=120)
    for rt in system._runtimes.values():
        rt.engine.dispose()  # the test's own pooled connections died with the server
    enqueue(system, codes("C", 40))
    assert_exactly_once(system, 100, timeout=120)
