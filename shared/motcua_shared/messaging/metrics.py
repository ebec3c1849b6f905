"""Prometheus metrics of the messaging backbone (the HTTP ones live in motcua_shared.web.metrics).

They are counted in the worker process, which serves them on its own port (motcua_shared.worker,
`<SERVICE>_WORKER_METRICS_PORT`). Labels stay bounded: a consumer, a service, an event type from the
catalogue (anything else is `unknown`: a partner may write any type on its queue), an outcome; never
a dossier code or an event id.
"""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from ..events.registry import is_known

EVENTS_PUBLISHED = Counter("motcua_events_published_total", "Events confirmed by the broker and marked sent",
                           ["service", "type"])
PUBLISH_FAILURES = Counter("motcua_publish_failures_total",
                           "Outbox events the broker did not take (they stay in the outbox and go again)",
                           ["service", "reason"])  # reason: unroutable, nacked, unconfirmed
EVENTS_CONSUMED = Counter("motcua_events_consumed_total", "Deliveries taken off a queue, by outcome",
                          ["consumer", "type", "outcome"])  # processed, duplicate, ignored, retried, dead_lettered
HANDLER_SECONDS = Histogram("motcua_event_handler_seconds", "Handler time including its commit",
                            ["consumer", "type"])
# The API measures the same two at scrape time from its own registry (web.metrics); kept out of the
# default registry so an API process, which imports this module too, does not declare them twice.
WORKER_ONLY = CollectorRegistry()
OUTBOX_PENDING = Gauge("motcua_outbox_pending", "Outbox rows not yet confirmed by the broker", ["service"],
                       registry=WORKER_ONLY)
OUTBOX_OLDEST = Gauge("motcua_outbox_oldest_pending_seconds", "Age of the oldest unsent outbox row", ["service"],
                      registry=WORKER_ONLY)
BROKER_CONNECTED = Gauge("motcua_broker_connected", "1 while the connection is open, else 0",
                         ["service", "role"])  # role: consumer, relay
BROKER_RECONNECTS = Counter("motcua_broker_reconnects_total", "Connections lost (or never opened) and tried again",
                            ["service", "role"])

UNKNOWN_TYPE = "unknown"


def event_type(name: str | None) -> str:
    """The label for an event type: the catalogue's name, or `unknown` (unbounded input stays out)."""
    return name if name and is_known(name) else UNKNOWN_TYPE


def consumed(consumer: str, type_: str | None, outcome: str) -> None:
    EVENTS_CONSUMED.labels(consumer, event_type(type_), outcome).inc()


def connection(service: str, role: str, *, up: bool) -> None:
    BROKER_CONNECTED.labels(service, role).set(1 if up else 0)


def reconnecting(service: str, role: str) -> None:
    BROKER_RECONNECTS.labels(service, role).inc()


def outbox_lag(service: str, pending: int, oldest_seconds: float) -> None:
    OUTBOX_PENDING.labels(service).set(pending)
    OUTBOX_OLDEST.labels(service).set(oldest_seconds)
