"""The notification service's own Prometheus metrics: what the providers answered, where messages went.

Counted where it happens: provider results and the providers in use in the worker (served on its
/metrics port), status changes in whichever process makes them (the worker's sender and sweep, the
API's delivery receipts). Labels are bounded: channel, provider name, outcome, status.
"""
from __future__ import annotations

from prometheus_client import Counter, Gauge

from ..providers import ACCEPTED, PERMANENT, TEMPORARY
from ..providers.identity import endpoint, is_dev_sink

PROVIDER_RESULTS = Counter("motcua_notification_provider_results_total",
                           "Provider answers to a message: accepted, rejected (for good) or failed (try again)",
                           ["channel", "provider", "outcome"])
MESSAGES = Counter("motcua_notification_messages_total",
                   "Messages entering a status (sending, delivered, temporary-failure = retried, ...)",
                   ["channel", "status"])
PROVIDER_INFO = Gauge("motcua_notification_provider_info",
                      "The providers this worker sends through; dev_sink=\"true\" for a development sink",
                      ["channel", "provider", "endpoint", "dev_sink"])

_OUTCOMES = {ACCEPTED: "accepted", PERMANENT: "rejected", TEMPORARY: "failed"}


def provider_answered(channel: str, provider: str, result: str) -> None:
    PROVIDER_RESULTS.labels(channel, provider, _OUTCOMES.get(result, "failed")).inc()


def entered(channel: str, status: str) -> None:
    MESSAGES.labels(channel, status).inc()


def providers_in_use(providers) -> None:
    for channel, chain in providers.by_channel.items():
        for provider in chain:
            PROVIDER_INFO.labels(channel, provider.name, endpoint(provider),
                                 "true" if is_dev_sink(provider) else "false").set(1)
