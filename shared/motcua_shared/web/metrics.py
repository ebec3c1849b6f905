"""HTTP metrics and the /metrics exposition (Prometheus text format).

Under gunicorn each worker is a process, so metrics go through prometheus_client's multiprocess
mode (PROMETHEUS_MULTIPROC_DIR, set by the server launcher); in a single process they are read
from the default registry. Outbox lag is measured at scrape time from the database, which is the
truth, rather than counted in memory; so is readiness (`motcua_readiness{check}`, the checks of
/readyz), so that Prometheus can alarm on it without a prober of its own.
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


class ReadinessCollector:
    def __init__(self, service: str, checks):
        self.service = service
        self.checks = checks  # () -> {check name: (ok, detail)}, the checks /readyz makes

    def collect(self):
        ready = GaugeMetricFamily("motcua_readiness", "1 when the check of /readyz passes, else 0",
                                  labels=["service", "check"])
        for check, (ok, _detail) in self.checks().items():
            ready.add_metric([self.service, check], 1 if ok else 0)
        yield ready


def exposition(service: str, outbox_store, readiness=None) -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        base = CollectorRegistry()
        multiprocess.MultiProcessCollector(base)
    else:
        base = REGISTRY
    lag = CollectorRegistry()
    lag.register(OutboxLagCollector(service, outbox_store))
    if readiness is not None:
        lag.register(ReadinessCollector(service, readiness))
    from ..reference.metrics import ReferenceVersionCollector  # the reference set in use (docs/reference-data.md)

    lag.register(ReferenceVersionCollector(service))
    return generate_latest(base) + generate_latest(lag), CONTENT_TYPE_LATEST
