"""HTTP metrics and the /metrics exposition (Prometheus text format).

Under gunicorn each worker is a process, so metrics go through prometheus_client's multiprocess
mode (PROMETHEUS_MULTIPROC_DIR, set by the server launcher); in a single process they are read
from the default registry. Outbox lag is measured at scrape time from the database, which is the
truth, rather than counted in memory.
"""
from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

HTTP_REQUESTS = Counter("motcua_http_requests_total", "HTTP requests answered", ["service", "endpoint", "method", "status"])
HTTP_SECONDS = Histogram("motcua_http_request_seconds", "HTTP request latency", ["service", "endpoint"])


def observe_request(service: str, request, response, seconds: float) -> None:
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"  # never the raw path: unbounded labels
    HTTP_REQUESTS.labels(service, endpoint, request.method, str(response.status_code)).inc()
    HTTP_SECONDS.labels(service, endpoint).observe(seconds)


class OutboxLagCollector:
    def __init__(self, service: str, store):
        self.service = service
        self.store = store

    def collect(self):
        pending = GaugeMetricFamily("motcua_outbox_pending", "Outbox rows not yet confirmed by the broker", labels=["service"])
        age = GaugeMetricFamily("motcua_outbox_oldest_pending_seconds", "Age of the oldest unsent outbox row",
                                labels=["service"])
        try:
            count, oldest = self.store.lag()
        except Exception:  # a scrape during a database outage still returns the other metrics
            return
        pending.add_metric([self.service], count)
        age.add_metric([self.service], oldest)
        yield pending
        yield age


def exposition(service: str, outbox_store) -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        base = CollectorRegistry()
        multiprocess.MultiProcessCollector(base)
    else:
        base = REGISTRY
    lag = CollectorRegistry()
    lag.register(OutboxLagCollector(service, outbox_store))
    return generate_latest(base) + generate_latest(lag), CONTENT_TYPE_LATEST
