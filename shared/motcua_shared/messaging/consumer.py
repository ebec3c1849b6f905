"""The consumer runner: at-least-once delivery in, exactly-once effects out.

For each delivery, in this order:
1. parse and validate the CloudEvent (a malformed one goes straight to the dead-letter queue);
2. in one database transaction, insert (consumer, queue, event id) into the inbox and run the
   handler; a duplicate means the work is already done, so the handler is skipped. Deduplication is
   per queue: the same id arriving on another queue is another event (a partner may reuse ids);
3. commit, then acknowledge. A crash before the ack redelivers the event and step 2 skips it.

Deliveries already in hand are taken in batches (`batch_size`, CONSUMER_BATCH_SIZE): up to that many
share one transaction, with one inbox statement for all of them, the handlers run in delivery order,
one commit, then the acks. Nothing waits to fill a batch: a lone delivery is handled at once on its
own. A handler that raises rolls the whole batch back; the deliveries before it are then handled one
by one as above, the failing one is retried or dead-lettered alone (that failure was its attempt: it
saw exactly the state it would have seen on its own), and the ones behind it form the next batch.

A handler that raises is retried through the queue's delay queues (bounded, with growing delays),
then dead-lettered with the reason. A handler that raises `PermanentError` is dead-lettered at
once. A database outage is not the event's fault: the worker holds the delivery and waits for the
database with back-off, keeping the broker connection alive, without burning the retry budget.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, Mapping

import pika
from pika.exceptions import AMQPError
from sqlalchemy import Table, delete
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .. import context, tracing
from ..db import core_connection
from ..broker.connection import parameters
from ..broker.topology import Topology, dead_letter_queue, delay_queue, retry_exchange
from ..events import Event, InvalidEvent, parse
from ..events.envelope import MAX_EVENT_BYTES, MAX_PARTNER_EVENT_BYTES
from ..faults import failpoint
from . import batch, metrics
from .backoff import Backoff
from .batch import Screened
from .delivery import consuming_from

log = logging.getLogger("motcua.consumer")
# A long batch lets the broker connection do its I/O (heartbeats) this often: handlers of one batch may
# together take longer than the broker waits for a silent client (two heartbeats).
KEEPALIVE_SECONDS = 5.0

Handler = Callable[[Session, Event], None]


class PermanentError(Exception):
    """The event can never be handled (e.g. it names a step that does not exist): dead-letter it now."""


@dataclass
class Delivery:
    queue: str
    method: pika.spec.Basic.Deliver
    properties: pika.BasicProperties
    body: bytes


@dataclass(frozen=True)
class PeriodicJob:
    """Work a worker does between deliveries (sweeps, purges): `run(session_factory)` every `every` seconds."""

    name: str
    every: float
    run: Callable[[sessionmaker], None]


def _is_infrastructure_error(exc: BaseException) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError)) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


class _HandlerFailed(Exception):
    """The handler of the batch's `index`th item raised (not the database being away)."""

    def __init__(self, index: int, cause: Exception):
        super().__init__(type(cause).__name__)
        self.index, self.cause = index, cause


class ConsumerRunner:
    def __init__(self, *, consumer: str, service: str, amqp_url: str, sessions: sessionmaker, inbox: Table,
                 queues: Iterable[str], handlers: Mapping[str, Handler], topology: Topology,
                 retry_delays: Iterable[float], prefetch: int = 100, heartbeat: int = 30,
                 max_backoff: float = 30.0, periodic: Iterable[PeriodicJob] = (),
                 inbox_retention: timedelta = timedelta(days=30),
                 accepted_types: Mapping[str, frozenset[str]] | None = None, batch_size: int = 50):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.consumer = consumer
        self.service = service
        self.amqp_url = amqp_url
        self.sessions = sessions
        self.inbox = inbox
        self.queues = list(queues)
        self.handlers = handlers  # a Mapping: reporting supplies one that answers for every known type
        self.topology = topology
        self.retry_delays = tuple(retry_delays)
        self.prefetch = prefetch
        self.batch_size = batch_size  # 1: one transaction per delivery, as before batches
        self.heartbeat = heartbeat
        self.max_backoff = max_backoff
        self.inbox_retention = inbox_retention
        self.accepted_types = dict(accepted_types or {})
        self.periodic = [PeriodicJob("inbox_purge", 3600, self._purge_inbox), *periodic]
        self._next_run = {job.name: 0.0 for job in self.periodic}
        self._stopping = threading.Event()
        self._pending: deque[Delivery] = deque()
        self._publisher = None

    # -- lifecycle -----------------------------------------------------------------------------
    def stop(self) -> None:
        """Safe from a signal handler: the loop notices within half a second."""
        self._stopping.set()

    def run(self) -> None:
        backoff = Backoff(initial=0.2, maximum=self.max_backoff)
        while not self._stopping.is_set():
            opened_at = time.monotonic()
            try:
                self._consume_until_stopped()
            except (AMQPError, OSError) as exc:
                log.warning("consumer_connection_lost", extra={"error": type(exc).__name__})
            metrics.connection(self.service, "consumer", up=False)
            self._pending.clear()  # their delivery tags died with the channel; the broker redelivers them
            if self._stopping.is_set():
                break
            metrics.reconnecting(self.service, "consumer")
            if time.monotonic() - opened_at > 10:
                backoff.reset()
            self._stopping.wait(backoff.next())
        log.info("consumer_stopped")

    def _consume_until_stopped(self) -> None:
        connection = pika.BlockingConnection(
            parameters(self.amqp_url, name=f"{self.consumer} consumer", heartbeat=self.heartbeat))
        try:
            channel = connection.channel()
            self.topology.declare(channel)  # again after every reconnect: the broker may be brand new
            channel.basic_qos(prefetch_count=self.prefetch)
            publisher = connection.channel()
            publisher.confirm_delivery()
            self._publisher = publisher
            tags = [channel.basic_consume(queue, self._receiver(queue)) for queue in self.queues]
            metrics.connection(self.service, "consumer", up=True)
            log.info("consumer_started", extra={"queues": self.queues, "prefetch": self.prefetch,
                                                "batch_size": self.batch_size})
            while not self._stopping.is_set():
                connection.process_data_events(time_limit=0.2 if not self._pending else 0)
                self._drain(channel, connection)
                self._run_periodic()
            for tag in tags:
                channel.basic_cancel(tag)
            self._drain(channel, connection)
        finally:
            if connection.is_open:
                try:
                    connection.close()
                except AMQPError:
                    pass

    def _receiver(self, queue: str):
        def receive(_channel, method, properties, body):
            self._pending.append(Delivery(queue, method, properties, body))
        return receive

    def _drain(self, channel, connection) -> None:
        while self._pending:
            if self.batch_size == 1 or len(self._pending) == 1:
                # A lone delivery is handled at once, in a transaction of its own: never wait for a batch.
                if not self._handle_with_database_wait(self._pending[0], channel, connection):
                    return
                self._pending.popleft()
                continue
            taken = [self._pending.popleft() for _ in range(min(self.batch_size, len(self._pending)))]
            # Malformed and forbidden deliveries are dead-lettered (and acknowledged) here, once, outside
            # the transaction: a retried batch must not dead-letter them twice.
            items = [item for item in (self._screen(delivery, channel) for delivery in taken) if item is not None]
            done, running = self._handle_batch(items, channel, connection)
            # What the batch did not finish goes back in front, in order: the next round takes it first.
            self._pending.extendleft(reversed([item.delivery for item in items[done:]]))
            if not running:
                return

    # -- one delivery --------------------------------------------------------------------------
    def _handle_with_database_wait(self, delivery: Delivery, channel, connection) -> bool:
        backoff = Backoff(initial=0.2, maximum=self.max_backoff)
        while True:
            try:
                self._handle(delivery, channel)
                return True
            except Exception as exc:
                if not _is_infrastructure_error(exc):
                    raise
                delay = backoff.next()
                log.warning("consumer_database_unavailable",
                            extra={"error": type(exc).__name__, "delay_s": round(delay, 2)})
                # connection.sleep keeps heartbeats flowing while the database is away.
                connection.sleep(delay)
                if self._stopping.is_set():
                    return False

    def _screen(self, delivery: Delivery, channel) -> Screened | None:
        """The delivery's event, or None once a malformed or forbidden delivery has been dead-lettered."""
        # A partner-writable queue (one with a list of accepted types) takes small messages only.
        limit = MAX_PARTNER_EVENT_BYTES if delivery.queue in self.accepted_types else MAX_EVENT_BYTES
        try:
            event = parse(delivery.body, max_bytes=limit)
        except InvalidEvent as exc:
            self._dead_letter(delivery, channel, reason=str(exc), error_type="InvalidEvent", attempts=0,
                              event_type=None)
            return None
        accepted = self.accepted_types.get(delivery.queue)
        if accepted is not None and event.type not in accepted:
            # A partner-writable queue carrying another type is a forgery or a misrouting: never act on it.
            self._dead_letter(delivery, channel, reason=f"event type {event.type} not accepted on {delivery.queue}",
                              error_type="UnexpectedEventType", attempts=0, event_type=event.type)
            return None
        return Screened(delivery, event)

    def _handle(self, delivery: Delivery, channel) -> None:
        screened = self._screen(delivery, channel)
        if screened is None:
            return
        event = screened.event
        with context.bound(correlation_id=event.correlationid, event_id=event.id), consuming_from(delivery.queue), \
                tracing.consuming(event, queue=delivery.queue, consumer=self.consumer) as span:
            handler = self.handlers.get(event.type)
            started = time.perf_counter()
            try:
                with self.sessions.begin() as session:
                    if not self._first_time(session, event, delivery.queue):
                        outcome = "duplicate"
                    elif handler is None:
                        outcome = "ignored"
                    else:
                        handler(session, event)
                        outcome = "processed"
            except PermanentError as exc:
                tracing.handling_failed(span, exc, "dead_lettered")
                self._dead_letter(delivery, channel, reason=str(exc)[:500], error_type="PermanentError",
                                  attempts=self._attempts(delivery), event_type=event.type)
                return
            except Exception as exc:
                if _is_infrastructure_error(exc):
                    raise
                tracing.handling_failed(span, exc, "failed")
                self._retry_or_dead_letter(delivery, channel, exc, event.type)
                return
            failpoint("consumer.after_commit")
            channel.basic_ack(delivery.method.delivery_tag)
            span.set_attribute("motcua.outcome", outcome)
            metrics.consumed(self.consumer, event.type, outcome)
            metrics.HANDLER_SECONDS.labels(self.consumer, metrics.event_type(event.type)).observe(
                time.perf_counter() - started)
            log.debug("event_handled", extra={"event_id": event.id, "event_type": event.type, "outcome": outcome})

    # -- a batch of deliveries -----------------------------------------------------------------
    def _handle_batch(self, items: list[Screened], channel, connection) -> tuple[int, bool]:
        """Handle `items` in one transaction (or isolate the one whose handler fails). Returns how many from
        the front are done (committed and acknowledged, or retried or dead-lettered), and False when the
        consumer is stopping while it waits for the database."""
        if not items:
            return 0, True
        backoff = Backoff(initial=0.2, maximum=self.max_backoff)
        while True:
            try:
                done = self._commit_batch(items, connection)
                break
            except _HandlerFailed as failure:
                return self._isolate(items, failure, channel, connection)
            except (AMQPError, OSError):
                raise  # the broker connection went (kept alive mid-batch): nothing committed, run() reconnects
            except Exception as exc:
                if not _is_infrastructure_error(exc):
                    # The inbox statement or the commit itself refused the batch: no handler to blame.
                    log.warning("consumer_batch_rolled_back",
                                extra={"deliveries": len(items), "error": type(exc).__name__})
                    return self._one_by_one(items, channel, connection)
                delay = backoff.next()
                log.warning("consumer_database_unavailable",
                            extra={"error": type(exc).__name__, "delay_s": round(delay, 2)})
                connection.sleep(delay)  # heartbeats keep flowing while the database is away
                if self._stopping.is_set():
                    return 0, False
        failpoint("consumer.after_commit")
        batch.acknowledge(channel, [item.delivery for item in items[:done]])
        for item in items[:done]:
            event = item.event
            metrics.consumed(self.consumer, event.type, item.outcome)
            metrics.HANDLER_SECONDS.labels(self.consumer, metrics.event_type(event.type)).observe(
                item.handler_seconds)
            with context.bound(correlation_id=event.correlationid, event_id=event.id):
                log.debug("event_handled", extra={"event_id": event.id, "event_type": event.type,
                                                  "outcome": item.outcome, "batch": done})
        return done, True

    def _commit_batch(self, items: list[Screened], connection) -> int:
        """One transaction: the inbox rows in one statement, each first-time event's handler in delivery
        order, one commit. Returns how many items from the front it covered (all but when cut short)."""
        started = time.perf_counter()
        with self.sessions.begin() as session:
            firsts = batch.first_times(session, self.inbox, self.consumer, items)
            shared = time.perf_counter() - started
            covered, talked = len(items), time.perf_counter()
            for index, (item, first) in enumerate(zip(items, firsts)):
                waiting = batch.after_commit_listeners(session)
                self._handle_in_batch(session, index, item, first)
                if index + 1 == len(items):
                    break
                if batch.after_commit_listeners(session) > waiting:
                    # This handler left work for the commit (batch.after_commit_listeners): commit now.
                    covered = index + 1
                    cut = time.perf_counter()
                    batch.forget(session, self.inbox, self.consumer,
                                 [rest for rest, new in zip(items[covered:], firsts[covered:]) if new])
                    shared += time.perf_counter() - cut
                    break
                if time.perf_counter() - talked > KEEPALIVE_SECONDS:
                    connection.process_data_events(time_limit=0)
                    talked = time.perf_counter()
            committing = time.perf_counter()
        # Handler seconds per event: its own handler time plus an equal share of the inbox statement and
        # the commit, which the batch's events paid for together.
        share = (shared + time.perf_counter() - committing) / covered
        for item in items[:covered]:
            item.handler_seconds += share
        return covered

    def _handle_in_batch(self, session: Session, index: int, item: Screened, first: bool) -> None:
        event, queue = item.event, item.delivery.queue
        failed = None
        with context.bound(correlation_id=event.correlationid, event_id=event.id), consuming_from(queue), \
                tracing.consuming(event, queue=queue, consumer=self.consumer) as span:
            started = time.perf_counter()
            handler = self.handlers.get(event.type)
            if not first:
                item.outcome = "duplicate"
            elif handler is None:
                item.outcome = "ignored"
            else:
                try:
                    handler(session, event)
                    item.outcome = "processed"
                except Exception as exc:
                    if _is_infrastructure_error(exc):
                        raise
                    tracing.handling_failed(span, exc, "dead_lettered" if isinstance(exc, PermanentError) else "failed")
                    failed = exc
            item.handler_seconds = time.perf_counter() - started
            if failed is None:
                span.set_attribute("motcua.outcome", item.outcome)
        if failed is not None:
            raise _HandlerFailed(index, failed) from failed

    def _isolate(self, items: list[Screened], failure: _HandlerFailed, channel, connection) -> tuple[int, bool]:
        """After a handler failed and the batch rolled back: the deliveries before it one by one, then the
        failing one retried or dead-lettered as if it had failed alone; the rest are left for the next batch."""
        log.warning("consumer_batch_rolled_back", extra={"deliveries": len(items), "failed_at": failure.index,
                                                         "error": type(failure.cause).__name__})
        done, running = self._one_by_one(items[:failure.index], channel, connection)
        if not running:
            return done, False
        failed, cause = items[failure.index], failure.cause
        if isinstance(cause, PermanentError):
            self._dead_letter(failed.delivery, channel, reason=str(cause)[:500], error_type="PermanentError",
                              attempts=self._attempts(failed.delivery), event_type=failed.event.type)
        else:
            self._retry_or_dead_letter(failed.delivery, channel, cause, failed.event.type)
        return failure.index + 1, True

    def _one_by_one(self, items: list[Screened], channel, connection) -> tuple[int, bool]:
        """Each delivery in a transaction of its own, exactly as without batches."""
        for index, item in enumerate(items):
            if not self._handle_with_database_wait(item.delivery, channel, connection):
                return index, False
        return len(items), True

    def _first_time(self, session: Session, event: Event, queue: str) -> bool:
        result = core_connection(session).execute(batch.inbox_insert(session, self.inbox), {
            "consumer": self.consumer, "queue": queue, "event_id": event.id, "event_type": event.type,
            "processed_at": datetime.now(timezone.utc)})
        return result.first() is not None  # the statement returns the row only when it was new

    # -- failure paths -------------------------------------------------------------------------
    @staticmethod
    def _attempts(delivery: Delivery) -> int:
        return int((delivery.properties.headers or {}).get("x-motcua-attempts", 0))

    def _retry_or_dead_letter(self, delivery: Delivery, channel, exc: Exception, event_type: str) -> None:
        attempts = self._attempts(delivery)
        # Exception text may quote data; keep the class and a bounded message, never the body.
        reason = f"{type(exc).__name__}: {str(exc)[:300]}"
        if attempts < len(self.retry_delays):
            delay = self.retry_delays[attempts]
            self._republish(delivery, delay_queue(delivery.queue, delay), attempts + 1, reason, type(exc).__name__)
            channel.basic_ack(delivery.method.delivery_tag)
            metrics.consumed(self.consumer, event_type, "retried")
            log.warning("event_retry_scheduled", extra={"event_id": delivery.properties.message_id,
                                                        "attempt": attempts + 1, "delay_s": delay,
                                                        "error": type(exc).__name__})
        else:
            self._dead_letter(delivery, channel, reason=reason, error_type=type(exc).__name__, attempts=attempts,
                              event_type=event_type)

    def _dead_letter(self, delivery: Delivery, channel, *, reason: str, error_type: str, attempts: int,
                     event_type: str | None) -> None:
        self._republish(delivery, dead_letter_queue(delivery.queue), attempts, reason, error_type)
        channel.basic_ack(delivery.method.delivery_tag)
        # A malformed message has no type to count it under: `unknown` (metrics.event_type).
        metrics.consumed(self.consumer, event_type, "dead_lettered")
        log.error("event_dead_lettered", extra={"event_id": delivery.properties.message_id, "queue": delivery.queue,
                                                "error": error_type, "reason": reason[:200]})

    def _republish(self, delivery: Delivery, routing_key: str, attempts: int, reason: str, error_type: str) -> None:
        """Copy the delivery to a delay queue or the DLQ; confirmed before the original is acked."""
        headers = dict(delivery.properties.headers or {})
        headers.update({
            "x-motcua-attempts": attempts, "x-motcua-reason": reason, "x-motcua-error-type": error_type,
            "x-motcua-failed-at": datetime.now(timezone.utc).isoformat(), "x-motcua-consumer": self.consumer,
        })
        # After a retry hop the delivery comes from the retry exchange: keep the first origin.
        headers.setdefault("x-motcua-original-exchange", delivery.method.exchange)
        headers.setdefault("x-motcua-original-routing-key", delivery.method.routing_key)
        props = delivery.properties
        self._publisher.basic_publish(
            retry_exchange(self.service), routing_key, delivery.body, mandatory=True,
            properties=pika.BasicProperties(content_type=props.content_type, delivery_mode=2,
                                            message_id=props.message_id, correlation_id=props.correlation_id,
                                            type=props.type, app_id=props.app_id, timestamp=props.timestamp,
                                            headers=headers))

    # -- periodic work -------------------------------------------------------------------------
    def _run_periodic(self) -> None:
        now = time.monotonic()
        for job in self.periodic:
            if now >= self._next_run[job.name]:
                self._next_run[job.name] = now + job.every
                try:
                    job.run(self.sessions)
                except Exception as exc:  # a failing sweep must not stop consumption; it runs again later
                    log.exception("periodic_job_failed", extra={"job": job.name, "error": type(exc).__name__})

    def _purge_inbox(self, sessions: sessionmaker) -> None:
        cutoff = datetime.now(timezone.utc) - self.inbox_retention
        with sessions.begin() as session:
            session.execute(delete(self.inbox).where(self.inbox.c.processed_at < cutoff))

