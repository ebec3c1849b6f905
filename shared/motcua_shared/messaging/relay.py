"""The outbox relay: publishes committed events with publisher confirms, a window at a time.

It claims a batch of due rows (a lease, so a dead relay's rows come back by themselves), publishes
them all on a confirm-mode channel with `mandatory`, and marks sent only the ones the broker
confirmed and did not return as unroutable. Everything else is released for another attempt.
A crash anywhere means re-publishing, never losing: consumers deduplicate on the event id.

Every few seconds (LAG_EVERY) it also measures the outbox's lag, the unsent rows and the age of the
oldest, for the worker's /metrics: one small query, never one per event.

pika's blocking adapter waits for each confirm (about 10x slower on this hardware, reliability.md
§2.2), so the relay runs its own SelectConnection I/O loop in a thread of the worker process.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import timedelta

import pika
from pika.exceptions import AMQPError
from sqlalchemy.exc import SQLAlchemyError

from ..broker.connection import parameters
from ..events import CONTENT_TYPE
from .. import tracing
from ..faults import failpoint
from . import metrics
from .backoff import Backoff
from .outbox import OutboxRow, OutboxStore

log = logging.getLogger("motcua.relay")
LAG_EVERY = 5.0  # seconds between two measures of the outbox lag


class OutboxRelay:
    def __init__(self, store: OutboxStore, *, amqp_url: str, name: str, source: str, batch_size: int = 500,
                 poll_interval: float = 0.05, lease_seconds: float = 15.0, retention_hours: float = 72.0,
                 heartbeat: int = 30, max_backoff: float = 30.0):
        self.store = store
        self.amqp_url = amqp_url
        self.name = name
        self.source = source
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.lease = timedelta(seconds=lease_seconds)
        self.retention = timedelta(hours=retention_hours)
        self.heartbeat = heartbeat
        self.max_backoff = max_backoff
        self._stopping = threading.Event()
        self._connection: pika.SelectConnection | None = None
        self._channel = None
        self._inflight: dict[int, OutboxRow] = {}
        self._spans: dict = {}  # delivery tag → publish span, while tracing (tracing.py)
        self._confirmed: list[OutboxRow] = []
        self._returned: set[str] = set()
        self._tag = 0
        self._next_purge = 0.0
        self._next_lag = 0.0
        self._db_backoff = Backoff(initial=0.2, maximum=max_backoff)

    # -- lifecycle -----------------------------------------------------------------------------
    def run(self) -> None:
        """Relay until `stop()`; reconnect with back-off whenever the broker goes away."""
        backoff = Backoff(initial=0.2, maximum=self.max_backoff)
        while not self._stopping.is_set():
            opened_at = time.monotonic()
            self._run_one_connection()
            metrics.connection(self.name, "relay", up=False)
            if self._stopping.is_set():
                break
            metrics.reconnecting(self.name, "relay")
            if time.monotonic() - opened_at > 10:
                backoff.reset()
            delay = backoff.next()
            log.warning("relay_reconnecting", extra={"delay_s": round(delay, 2)})
            self._wait_measuring(delay)

    def _wait_measuring(self, delay: float) -> None:
        """Wait out a reconnection delay, still measuring the lag: a broker that is away is exactly
        when the outbox grows, and the alarm on it must see that."""
        deadline = time.monotonic() + delay
        while not self._stopping.is_set():
            try:
                self._measure_now_and_then()
            except SQLAlchemyError:
                pass  # the database is away too: the readiness alarm tells that one
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self._stopping.wait(min(left, LAG_EVERY))

    def stop(self) -> None:
        """Thread-safe: finish the batch in flight, then close."""
        self._stopping.set()
        connection = self._connection
        if connection is not None:
            try:
                connection.ioloop.add_callback_threadsafe(self._pump)
            except Exception:  # the loop is already gone
                pass

    def _run_one_connection(self) -> None:
        self._inflight.clear()
        self._spans.clear()
        self._returned.clear()
        self._confirmed = []
        self._tag = 0
        try:
            self._connection = pika.SelectConnection(
                parameters(self.amqp_url, name=f"{self.name} relay", heartbeat=self.heartbeat),
                on_open_callback=self._on_open, on_open_error_callback=self._on_open_error,
                on_close_callback=self._on_closed)
            self._connection.ioloop.start()
        except (AMQPError, OSError) as exc:
            log.warning("relay_connection_failed", extra={"error": type(exc).__name__})
        finally:
            self._connection = None
            self._channel = None

    # -- connection callbacks -----------------------------------------------------------------
    def _on_open(self, connection) -> None:
        connection.channel(on_open_callback=self._on_channel_open)

    def _on_open_error(self, connection, error) -> None:
        log.warning("relay_connection_failed", extra={"error": type(error).__name__})
        connection.ioloop.stop()

    def _on_closed(self, connection, reason) -> None:
        self._settle(error=f"connection closed: {type(reason).__name__}")
        connection.ioloop.stop()

    def _on_channel_open(self, channel) -> None:
        self._channel = channel
        channel.add_on_close_callback(self._on_channel_closed)
        channel.add_on_return_callback(self._on_return)
        channel.confirm_delivery(ack_nack_callback=self._on_confirm, callback=lambda _frame: self._later(0))
        metrics.connection(self.name, "relay", up=True)
        log.info("relay_started", extra={"window": self.batch_size})

    def _on_channel_closed(self, channel, reason) -> None:
        (log.info if self._stopping.is_set() else log.warning)("relay_channel_closed",
                                                               extra={"error": str(reason)[:200]})
        if self._connection is not None and self._connection.is_open:
            self._connection.close()

    # -- the pump ------------------------------------------------------------------------------
    def _later(self, delay: float) -> None:
        if self._connection is not None:
            self._connection.ioloop.call_later(delay, self._pump)

    def _pump(self) -> None:
        if self._inflight:
            return  # the last confirm of the window pumps again
        if self._stopping.is_set():
            if self._connection is not None and self._connection.is_open:
                self._connection.close()
            return
        try:
            self._purge_now_and_then()
            self._measure_now_and_then()
            rows = self.store.claim(self.batch_size, self.lease)
            self._db_backoff.reset()
        except SQLAlchemyError as exc:
            delay = self._db_backoff.next()
            log.warning("relay_database_unavailable", extra={"error": type(exc).__name__, "delay_s": round(delay, 2)})
            self._later(delay)
            return
        if not rows:
            self._later(self.poll_interval)
            return
        for row in rows:
            self._tag += 1
            self._inflight[self._tag] = row
            span = tracing.publish_span(row)
            if span is not None:
                self._spans[self._tag] = span
            self._channel.basic_publish(
                row.exchange, row.routing_key, row.body, mandatory=True,
                properties=pika.BasicProperties(
                    content_type=CONTENT_TYPE, delivery_mode=pika.DeliveryMode.Persistent,
                    message_id=row.event_id, correlation_id=row.correlation_id, type=row.event_type,
                    app_id=self.source, timestamp=int(time.time())))

    def _on_return(self, channel, method, properties, body) -> None:
        # An unroutable event means a missing queue: keep it, never let it vanish with the ack after.
        log.error("relay_event_unroutable",
                  extra={"event_id": properties.message_id, "exchange": method.exchange, "routing_key": method.routing_key})
        self._returned.add(properties.message_id)

    def _on_confirm(self, frame) -> None:
        method = frame.method
        acked = isinstance(method, pika.spec.Basic.Ack)
        tags = [t for t in self._inflight if t <= method.delivery_tag] if method.multiple else [method.delivery_tag]
        for tag in tags:
            row = self._inflight.pop(tag, None)
            if row is None:
                continue
            tracing.published(self._spans.pop(tag, None),
                              None if acked and row.event_id not in self._returned else
                              "unroutable" if acked else "nacked by broker")
            if acked and row.event_id not in self._returned:
                self._confirmed.append(row)
            else:
                self._release([row], "unroutable" if acked else "nacked by broker",
                              reason="unroutable" if acked else "nacked")
        if not self._inflight:
            self._settle(error=None)
            self._later(0)

    def _settle(self, *, error: str | None) -> None:
        """Mark the confirmed rows sent and give the unconfirmed ones back."""
        confirmed, self._confirmed = self._confirmed, []
        unconfirmed = list(self._inflight.values())
        self._inflight.clear()
        for span in self._spans.values():
            tracing.published(span, error or "not confirmed")
        self._spans.clear()
        self._returned.clear()
        failpoint("relay.after_confirm")
        try:
            self.store.mark_sent([row.id for row in confirmed])
            for type_, count in Counter(metrics.event_type(row.event_type) for row in confirmed).items():
                metrics.EVENTS_PUBLISHED.labels(self.name, type_).inc(count)
        except SQLAlchemyError as exc:
            # They stay claimed; when the lease runs out they are published again and deduplicated.
            log.warning("relay_mark_sent_failed", extra={"error": type(exc).__name__, "rows": len(confirmed)})
        if unconfirmed:
            self._release(unconfirmed, error or "not confirmed", reason="unconfirmed", retry_now=True)

    def _release(self, rows: list[OutboxRow], error: str, *, reason: str, retry_now: bool = False) -> None:
        metrics.PUBLISH_FAILURES.labels(self.name, reason).inc(len(rows))
        retry_in = timedelta(0) if retry_now else timedelta(seconds=min(60, 2 ** min(max(r.attempts for r in rows), 6)))
        try:
            self.store.release([r.id for r in rows], error=error, retry_in=retry_in)
        except SQLAlchemyError:
            pass  # the lease expires on its own

    def _measure_now_and_then(self) -> None:
        now = time.monotonic()
        if now >= self._next_lag:
            self._next_lag = now + LAG_EVERY
            metrics.outbox_lag(self.name, *self.store.lag())

    def _purge_now_and_then(self) -> None:
        now = time.monotonic()
        if now >= self._next_purge:
            self._next_purge = now + 600
            purged = self.store.purge_sent(self.retention)
            if purged:
                log.info("outbox_purged", extra={"rows": purged})
