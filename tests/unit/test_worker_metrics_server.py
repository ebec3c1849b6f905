"""The worker's metrics server: off at port 0, serves /metrics and /healthz, and a port already taken
does not stop the worker (it says so in its log; Prometheus's `up == 0` raises the alarm)."""
from __future__ import annotations

import logging
import socket

import requests

from motcua_shared import worker_metrics
from motcua_shared.messaging import metrics

from motcua_testing.ports import free_port


def test_port_zero_serves_nothing():
    assert worker_metrics.start("intake", 0) is None


def test_it_serves_the_messaging_metrics_and_closes():
    metrics.outbox_lag("intake", 3, 42.5)
    server = worker_metrics.start("intake", free_port(), host="127.0.0.1")
    try:
        text = requests.get(f"http://127.0.0.1:{server.port}/metrics", timeout=5).text
        assert 'motcua_outbox_oldest_pending_seconds{service="intake"} 42.5' in text
        assert "# TYPE motcua_events_consumed_total counter" in text
        assert requests.get(f"http://127.0.0.1:{server.port}/healthz", timeout=5).json()["process"] == "worker"
    finally:
        server.close()


def test_a_taken_port_is_logged_and_the_worker_goes_on(caplog):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with caplog.at_level(logging.ERROR, logger="motcua.worker"):
            assert worker_metrics.start("intake", taken.getsockname()[1], host="127.0.0.1") is None
    assert [r.getMessage() for r in caplog.records] == ["worker_metrics_unavailable"]
