"""A service's worker process: the event consumer in the main thread, the outbox relay beside it.

SIGTERM or SIGINT stops both cleanly: the consumer finishes the delivery in hand and closes, the
relay waits for the confirms of its window and marks them, then the process exits 0.

The worker's figures are served on `<SERVICE>_WORKER_METRICS_PORT` (motcua_shared.worker_metrics).
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid

from . import worker_metrics
from . import tracing
from .messaging import ConsumerRunner, OutboxRelay, PeriodicJob
from .messaging import metrics as messaging_metrics
from .service import Runtime, ServiceSpec

log = logging.getLogger("motcua.worker")


def build(runtime: Runtime) -> tuple[ConsumerRunner, OutboxRelay]:
    s = runtime.settings
    spec = runtime.spec
    relay_id = f"{spec.name}@{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    relay = OutboxRelay(runtime.outbox_store(relay_id), amqp_url=s.amqp, name=spec.name, source=f"/motcua/{spec.name}",
                        batch_size=s.outbox_batch_size, poll_interval=s.outbox_poll_interval,
                        safety_poll_interval=s.outbox_safety_poll_interval,
                        lease_seconds=s.outbox_lease_seconds, retention_hours=s.outbox_retention_hours,
                        heartbeat=s.broker_heartbeat, max_backoff=s.reconnect_max_delay)
    from datetime import timedelta

    consumer = ConsumerRunner(
        consumer=spec.name, service=spec.name, amqp_url=s.amqp, sessions=runtime.sessions,
        inbox=spec.inbox_table, queues=runtime.queues, handlers=spec.handlers(), topology=runtime.topology,
        accepted_types=runtime.accepted_types,
        retry_delays=s.consumer_retry_delays, prefetch=s.consumer_prefetch, batch_size=s.consumer_batch_size,
        heartbeat=s.broker_heartbeat,
        max_backoff=s.reconnect_max_delay, periodic=spec.periodic(runtime) + _reference_refresh(runtime),
        inbox_retention=timedelta(days=s.inbox_retention_days))
    return consumer, relay


def _reference_refresh(runtime: Runtime) -> list[PeriodicJob]:
    """A newer reference set another worker of the service consumed (docs/reference-data.md)."""
    refresher = runtime.reference
    if refresher is None:
        return []
    return [PeriodicJob("reference-refresh", runtime.settings.motcua_reference_refresh_seconds,
                        lambda _sessions: refresher())]


def run(spec: ServiceSpec) -> None:
    runtime = Runtime(spec, pre_ping=False)
    if runtime.reference is not None:
        runtime.reference()  # the newest imported set, so a restart does not fall back to the directory's
    tracing.configure(f"motcua-{spec.name}-worker", spec.version)  # off unless OTEL_* asks (docs/tracing.md)
    consumer, relay = build(runtime)

    def shutdown(signum, _frame):
        log.info("worker_stopping", extra={"signal": signal.Signals(signum).name})
        consumer.stop()
        relay.stop()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    for role in ("consumer", "relay"):  # down until they connect: an alarm must see a worker that never did
        messaging_metrics.connection(spec.name, role, up=False)
    metrics_server = worker_metrics.start(spec.name, runtime.settings.worker_metrics_port)
    relay_thread = threading.Thread(target=relay.run, name="outbox-relay", daemon=True)
    relay_thread.start()
    log.info("worker_started", extra={"queues": runtime.queues})
    consumer.run()
    relay.stop()
    relay_thread.join(timeout=30)
    tracing.shutdown()  # the last batch of spans goes out before the process ends
    if metrics_server is not None:
        metrics_server.close()
    runtime.close()
    log.info("worker_stopped")
