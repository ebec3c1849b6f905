"""The outbox relay: publishes committed events with publisher confirms, a window at a time.

It claims a batch of due rows (a lease, so a dead relay's rows come back by themselves), publishes
them all on a confirm-mode channel with `mandatory`, and marks sent only the ones the broker
confirmed and did not return as unroutable. Everything else is released for another attempt.
A crash anywhere means re-publishing, never losing: consumers deduplicate on the event id.

On PostgreSQL it is woken rather than polling (issue 18): each insert into the outbox notifies a
channel at commit (outbox_notify_trigger.py) and the relay LISTENs on it with a connection of its own
(outbox_wakeup.py), whose socket is watched by the same I/O loop. A notification pumps at once, unless
a window is in flight (its last confirm pumps again anyway). An idle outbox is then polled only every
`safety_poll_interval` (1 s), for notifications lost while the LISTEN connection was down; while it is
down, and on SQLite, the relay polls every `poll_interval` as before and listens again with back-off.
It listens before its first claim, so nothing committed in between goes unseen.

A window's confirmed rows are marked sent by the next claim, in its transaction (OutboxStore.claim):
one commit per window under load, not one to mark and one to claim. When no claim follows (the relay
stopping, the broker connection gone) they are marked on their own. While listening, a window that was
not full and saw no notification in flight has nothing behind it: its mark waits up to MARK_DELAY for
the next notification, whose claim carries it, so a steady trickle of commits costs one transaction per
wake-up, not two. Nobody waits for a mark (consumers have the events already); a crash before it means
those events are published again, which consumers deduplicate.

Every few seconds (LAG_EVERY) it also measures the outbox's lag, the unsent rows and the age of the
oldest, for the worker's /metrics: one small query, never one per event.

pika's blocking adapter waits for each confirm (about 10x slower on this hardware, docs/reliability.md
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
from ..db import is_sqlite
from ..events import CONTENT_TYPE
from .. import tracing
from ..faults import failpoint
from . import metrics
from .backoff import Backoff
from .outbox import OutboxRow, OutboxStore
from .outbox_wakeup import OutboxWakeup, WakeupLost

log = logging.getLogger("motcua.relay")
LAG_EVERY = 5.0  # seconds between two measures of the outbox lag
MARK_DELAY = 0.25  # seconds a finished window's mark may wait for the next claim to carry it (while listening)
TRIGGER_CHECK_EVERY = 30.0  # seconds between two looks at whether the outbox still notifies, while listening


class OutboxRelay:
    def __init__(self, store: OutboxStore, *, amqp_url: str, name: str, source: str, batch_size: int = 500,
                 poll_interval: float = 0.05, lease_seconds: float = 15.0, retention_hours: float = 72.0,
                 heartbeat: int = 30, max_backoff: float = 30.0, safety_poll_interval: float = 1.0):
        self.store = store
        self.amqp_url = amqp_url
        self.name = name
        self.source = source
        self.batch_size = batch_size
        self.poll_interval = poll_interval  # while not woken by notifications (SQLite, LISTEN connection down)
        self.safety_poll_interval = safety_poll_interval  # while woken: only for the notifications lost
        self.lease = timedelta(seconds=lease_seconds)
        self.retention = timedelta(hours=retention_hours)
        self.heartbeat = heartbeat
        self.max_backoff = max_backoff
        self._stopping = threading.Event()
        self._connection: pika.SelectConnection | None = None
        self._channel = None
        self._inflight: dict[int, OutboxRow] = {}
        self._spans: dict = {}  # delivery tag → publish span, while tracing (tracing.py)
        self._confirmed: list[OutboxRow] = []  # the window in flight's rows the broker confirmed so far
        self._to_mark: list[OutboxRow] = []  # a finished window's confirmed rows: the next claim marks them
        self._window = 0  # rows in the window in flight
        self._woken_in_flight = False  # a notification came while a window was in flight: claim after it
        self._returned: set[str] = set()
        self._tag = 0
        self._next_purge = 0.0
        self._next_lag = 0.0
        self._db_backoff = Backoff(initial=0.2, maximum=max_backoff)
        self._pump_timer = None  # the one pending timed pump: any pump replaces it, so timers never pile up
        # SQLite has no NOTIFY: its relay only polls.
        self._wakeup = None if is_sqlite(store.engine) else OutboxWakeup(store.engine)
        self._listen_backoff = Backoff(initial=0.2, maximum=max_backoff)
        self._listen_fd: int | None = None
        self._listen_channel: str | None = None
        self._next_trigger_check = 0.0
        self._told_no_trigger = False

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
        self._pump_timer = None  # a timer of the previous connection's loop, which is gone
        try:
            self._connection = pika.SelectConnection(
                parameters(self.amqp_url, name=f"{self.name} relay", heartbeat=self.heartbeat),
                on_open_callback=self._on_open, on_open_error_callback=self._on_open_error,
                on_close_callback=self._on_closed)
            self._connection.ioloop.start()
        except (AMQPError, OSError) as exc:
            log.warning("relay_connection_failed", extra={"error": type(exc).__name__})
        finally:
            self._stop_listening()
            self._connection = None
            self._channel = None
            self._mark_alone()  # the loop ended without its close callback: nothing else would mark them

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
        channel.confirm_delivery(ack_nack_callback=self._on_confirm, callback=self._on_confirm_mode)
        metrics.connection(self.name, "relay", up=True)
        log.info("relay_started", extra={"window": self.batch_size})

    def _on_confirm_mode(self, _frame) -> None:
        self._listen()  # before the first claim: a row committed after the claim's snapshot wakes us
        self._later(0)

    def _on_channel_closed(self, channel, reason) -> None:
        (log.info if self._stopping.is_set() else log.warning)("relay_channel_closed",
                                                               extra={"error": str(reason)[:200]})
        if self._connection is not None and self._connection.is_open:
            self._connection.close()

    # -- the pump ------------------------------------------------------------------------------
    def _later(self, delay: float) -> None:
        if self._connection is not None:
            self._cancel_timed_pump()
            self._pump_timer = self._connection.ioloop.call_later(delay, self._timed_pump)

    def _timed_pump(self) -> None:
        self._pump_timer = None
        self._pump()

    def _cancel_timed_pump(self) -> None:
        timer, self._pump_timer = self._pump_timer, None
        if timer is not None and self._connection is not None:
            self._connection.ioloop.remove_timeout(timer)

    def _idle_interval(self) -> float:
        if self._wakeup is not None and self._wakeup.listening:
            return self.safety_poll_interval
        return self.poll_interval

    def _pump(self) -> None:
        # Whatever called us (a notification, a confirm, the timer), this pump supersedes a pending one.
        self._cancel_timed_pump()
        if self._inflight:
            return  # the last confirm of the window pumps again
        if self._stopping.is_set():
            self._mark_alone()
            if self._connection is not None and self._connection.is_open:
                self._connection.close()
            return
        try:
            self._purge_now_and_then()
            self._measure_now_and_then()
            self._check_trigger_now_and_then()
            # Whatever committed before this claim's snapshot, it sees: earlier notifications are answered.
            self._woken_in_flight = False
            rows = self.store.claim(self.batch_size, self.lease, sent=[row.id for row in self._to_mark])
            self._db_backoff.reset()
        except SQLAlchemyError as exc:
            # Nothing committed: the confirmed rows wait for the next claim (or their lease runs out first,
            # and they are published again and deduplicated).
            delay = self._db_backoff.next()
            log.warning("relay_database_unavailable", extra={"error": type(exc).__name__, "delay_s": round(delay, 2),
                                                             "confirmed_unmarked": len(self._to_mark)})
            self._later(delay)
            return
        marked, self._to_mark = self._to_mark, []
        self._count_published(marked)
        if not rows:
            self._later(self._idle_interval())
            return
        self._window = len(rows)
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

    # -- the wake-up ---------------------------------------------------------------------------
    def _listen(self) -> None:
        """LISTEN on the outbox's channel and watch the socket; on failure keep polling every
        `poll_interval` and try again with back-off."""
        connection = self._connection
        if self._wakeup is None or connection is None or self._stopping.is_set() or self._listen_fd is not None:
            return
        try:
            channel = self.store.wakeup_channel()
            fd = None if channel is None else self._wakeup.open(channel)
        except Exception as exc:  # being woken is an optimisation: it must never stop the relay
            delay = self._listen_backoff.next()
            log.warning("relay_listen_failed", extra={"error": type(exc).__name__, "delay_s": round(delay, 2)})
            connection.ioloop.call_later(delay, self._listen)
            return
        if fd is None:
            # A database not migrated yet (or the trigger disabled by hand): poll, and look again later.
            if not self._told_no_trigger:
                log.warning("relay_polling_no_notify_trigger", extra={"table": self.store.table.name})
                self._told_no_trigger = True
            connection.ioloop.call_later(self.max_backoff, self._listen)
            return
        self._listen_fd, self._listen_channel = fd, channel
        self._next_trigger_check = time.monotonic() + TRIGGER_CHECK_EVERY
        connection.ioloop.add_handler(fd, self._on_wakeup, connection.ioloop.READ)
        self._listen_backoff.reset()
        self._told_no_trigger = False
        log.info("relay_listening", extra={"channel": channel})

    def _on_wakeup(self, _fd, _events) -> None:
        try:
            woken = self._wakeup.drain()
        except Exception as exc:  # WakeupLost, or anything else: never stop the relay for it
            self._listen_lost(str(exc) if isinstance(exc, WakeupLost) else type(exc).__name__)
            return
        if not woken:
            return
        if self._inflight:
            self._woken_in_flight = True  # its last confirm claims at once, not after MARK_DELAY
        elif self._channel is not None and self._channel.is_open:
            self._pump()

    def _listen_lost(self, error: str) -> None:
        """Notifications may be missed from now on: back to the short poll until listening again."""
        self._stop_listening()
        connection = self._connection
        if connection is None or self._stopping.is_set():
            return
        delay = self._listen_backoff.next()
        log.warning("relay_listen_lost", extra={"error": error[:200], "delay_s": round(delay, 2)})
        connection.ioloop.call_later(delay, self._listen)
        if self._pump_timer is not None:  # idle on the long safety interval: shorten it
            self._later(self.poll_interval)

    def _check_trigger_now_and_then(self) -> None:
        """A trigger disabled or dropped while we listen (an operator sparing a loaded database the
        NOTIFY at each commit, a downgrade) would leave us on the long safety poll: poll short again."""
        now = time.monotonic()
        if self._listen_fd is None or now < self._next_trigger_check:
            return
        self._next_trigger_check = now + TRIGGER_CHECK_EVERY
        if self.store.wakeup_channel() != self._listen_channel:
            self._listen_lost("the outbox no longer notifies this channel")

    def _stop_listening(self) -> None:
        fd, self._listen_fd, self._listen_channel = self._listen_fd, None, None
        if fd is not None and self._connection is not None:
            try:
                self._connection.ioloop.remove_handler(fd)
            except (KeyError, ValueError, OSError):  # the loop no longer watches it
                pass
        if self._wakeup is not None:
            self._wakeup.close()

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
            self._later(0 if self._claim_at_once() else MARK_DELAY)

    def _claim_at_once(self) -> bool:
        """After a window: claim again at once (True), or let its mark wait for the next notification? At once
        when not listening (a poll must not be stretched) or when something says more rows wait: a full
        window, a notification during the window; and when stopping."""
        listening = self._wakeup is not None and self._wakeup.listening
        return (not listening or self._woken_in_flight or self._window >= self.batch_size
                or self._stopping.is_set())

    def _settle(self, *, error: str | None) -> None:
        """Hand the confirmed rows to the next claim to mark sent (or, after an error, mark them now: no claim
        follows on this connection) and give the unconfirmed ones back."""
        confirmed, self._confirmed = self._confirmed, []
        unconfirmed = list(self._inflight.values())
        self._inflight.clear()
        for span in self._spans.values():
            tracing.published(span, error or "not confirmed")
        self._spans.clear()
        self._returned.clear()
        failpoint("relay.after_confirm")
        self._to_mark.extend(confirmed)
        if error is not None:
            self._mark_alone()
        if unconfirmed:
            self._release(unconfirmed, error or "not confirmed", reason="unconfirmed", retry_now=True)

    def _mark_alone(self) -> None:
        """Mark the confirmed rows sent in a transaction of their own, when no claim is coming to do it."""
        marked, self._to_mark = self._to_mark, []
        if not marked:
            return
        try:
            self.store.mark_sent([row.id for row in marked])
        except SQLAlchemyError as exc:
            # They stay claimed; when the lease runs out they are published again and deduplicated.
            log.warning("relay_mark_sent_failed", extra={"error": type(exc).__name__, "rows": len(marked)})
            return
        self._count_published(marked)

    def _count_published(self, rows: list[OutboxRow]) -> None:
        for type_, count in Counter(metrics.event_type(row.event_type) for row in rows).items():
            metrics.EVENTS_PUBLISHED.labels(self.name, type_).inc(count)

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
