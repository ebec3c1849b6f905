"""Prometheus metrics of the messaging backbone (the HTTP ones live in motcua_shared.web.metrics)."""
from prometheus_client import Counter, Histogram

EVENTS_PUBLISHED = Counter("motcua_events_published_total", "Events confirmed by the broker and marked sent",
                           ["service"])
EVENTS_CONSUMED = Counter("motcua_events_consumed_total", "Deliveries handled, by outcome",
                          ["consumer", "outcome"])  # outcome: processed, duplicate, retried, dead_lettered
HANDLER_SECONDS = Histogram("motcua_event_handler_seconds", "Handler time including its commit", ["consumer"])
