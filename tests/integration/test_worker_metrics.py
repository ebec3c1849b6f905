"""Every worker serves /metrics on its own port, and its counters move with the events it handles.

Five real worker processes on the real broker and PostgreSQL: dossiers go in through intake's outbox,
each worker is scraped before and after; a malformed message on reporting's queue is dead-lettered
and counted as such. One system for all of it: five databases and five workers cost ~10 s to set up.
"""
from __future__ import annotations

import signal
import time

import pika
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
from motcua_shared.settings import SERVICES

from motcua_testing.pipeline import EFFECTS, effects, enqueue
from motcua_testing.ports import free_port
from motcua_testing.waiting import wait_for

CONSUMERS = ("routing", "notification", "postal", "reporting")


def scrape(port: int) -> dict[tuple[str, frozenset], float]:
    """Every sample of a worker's /metrics: (name, labels) → value."""
    answer = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain; version=")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(answer.text) for s in family.samples}


def value(samples, name: str, **labels) -> float:
    """The sum of the samples of `name` whose labels include `labels` (0 when there is none)."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= ls)


def start_workers(system) -> dict[str, int]:
    ports = {service: free_port() for service in SERVICES}
    for service, port in ports.items():
        system.processes.start(f"{service}-worker", service, "worker",
                               {f"{service.upper()}_WORKER_METRICS_PORT": str(port)})
    for service, port in ports.items():
        wait_for(lambda: _connected(port, service), timeout=30, what=f"{service} worker's /metrics, connected")
    return ports


def _connected(port: int, service: str) -> bool:
    try:
        samples = scrape(port)
    except requests.ConnectionError:
        return False
    return all(value(samples, "motcua_broker_connected", service=service, role=role) == 1
               for role in ("consumer", "relay"))


def test_each_workers_counters_move_with_the_events_it_handles(system):
    ports = start_workers(system)
    before = {service: scrape(port) for service, port in ports.items()}
    for service in SERVICES:
        assert ("motcua_outbox_pending", frozenset({("service", service)})) in before[service], service
        assert ("motcua_outbox_oldest_pending_seconds", frozenset({("service", service)})) in before[service]

    enqueue(system, [f"H52.04222-190315-M{i:03d}" for i in range(5)])
    wait_for(lambda: effects(system) == {**{s: 5 for s in EFFECTS}, "reporting": 5}, timeout=30,
             what="every consumer to handle the five dossiers")

    def moved():
        after = {service: scrape(port) for service, port in ports.items()}
        published = value(after["intake"], "motcua_events_published_total", service="intake", type=DOSSIER_RECEIVED)
        handled = [value(after[s], "motcua_events_consumed_total", consumer=s, type=DOSSIER_RECEIVED,
                         outcome="processed") - value(before[s], "motcua_events_consumed_total", consumer=s,
                                                      type=DOSSIER_RECEIVED, outcome="processed")
                   for s in CONSUMERS]
        return after if published >= 5 and handled == [5] * len(CONSUMERS) else None

    after = wait_for(moved, timeout=15, what="the published and consumed counters to count the five events")
    for service in CONSUMERS:
        timed = (value(after[service], "motcua_event_handler_seconds_count", consumer=service, type=DOSSIER_RECEIVED)
                 - value(before[service], "motcua_event_handler_seconds_count", consumer=service, type=DOSSIER_RECEIVED))
        assert timed == 5, service
        assert value(after[service], "motcua_events_consumed_total", outcome="dead_lettered") == 0, service
    # The relay measures its lag every few seconds; once it has, intake's outbox is empty again.
    wait_for(lambda: value(scrape(ports["intake"]), "motcua_outbox_pending", service="intake") == 0
             and ("motcua_outbox_pending", frozenset({("service", "intake")})) in scrape(ports["intake"]),
             timeout=10, what="intake's outbox lag back to 0")

    # A malformed message (not a CloudEvent) on reporting's queue goes to its dead-letter queue at once.
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    try:
        connection.channel().basic_publish("", "reporting.inbox", b"this is not an event",
                                           properties=pika.BasicProperties(delivery_mode=2))
    finally:
        connection.close()
    wait_for(lambda: value(scrape(ports["reporting"]), "motcua_events_consumed_total", consumer="reporting",
                           type="unknown", outcome="dead_lettered") == 1,
             timeout=10, what="reporting's dead-letter counter to count the malformed message")

    # An API's /metrics carries its readiness checks, for the alarm on them.
    api = {(s.name, frozenset(s.labels.items())): s.value for family in text_string_to_metric_families(
        system.client("intake").get("/metrics").get_data(as_text=True)) for s in family.samples}
    assert value(api, "motcua_readiness", service="intake", check="database") == 1
    assert value(api, "motcua_readiness", service="intake", check="broker") == 1

    # Nothing but /metrics and /healthz is served there, and SIGTERM closes it with the worker.
    port = ports["postal"]
    health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    assert health.status_code == 200 and health.json()["service"] == "postal"
    assert requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 404
    assert requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 404
    assert requests.post(f"http://127.0.0.1:{port}/metrics", timeout=5).status_code == 405
    started = time.monotonic()
    assert system.processes.kill("postal-worker", signal.SIGTERM) == 0
    assert time.monotonic() - started < 5
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
