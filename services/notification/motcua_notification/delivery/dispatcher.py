"""The delivery job: sends the ledger's due messages, outside any consumer transaction.

Each tick of the worker's periodic job (never blocking the event consumer):
1. claim due messages with a lease, like the outbox relay (FOR UPDATE SKIP LOCKED on PostgreSQL, so
   several workers share the ledger without sending a message twice);
2. decide, in one short transaction, what may not go now: an address that opted out is cancelled,
   a non-urgent SMS in quiet hours or beyond the recipient's hourly limit waits (never dropped);
3. hand the rest to a small thread pool, one task per recipient (their messages go in order), with
   no database session open during a provider call (docs/reliability.md §4.3);
4. each task records each message's attempts and outcome in its own transaction as soon as it has it.

A sender that dies leaves its claims to expire; the messages are claimed again. The provider may
then see a message twice, which its `reference` (the message id, also the e-mail's Message-ID) lets
it recognise. A database that is away when an outcome is to be recorded is waited for while the
claim holds, so a database restart does not make a second send.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from motcua_shared.db import is_sqlite
from motcua_shared.messaging import Outbox

from .. import preferences
from ..clock import Clock, aware
from ..models import delivery_attempts, messages, notices
from ..notices import unsubscribe_url
from ..options import LEASE_MARGIN, Options
from ..providers import PERMANENT, TEMPORARY, Outcome, Outgoing, Provider, Providers
from ..providers.identity import accepted_by
from . import ledger, metrics, schedule
from .health import ProviderHealth

log = logging.getLogger("motcua.notification.delivery")
RECORD_RETRY_FIRST, RECORD_RETRY_MAX = 0.25, 2.0  # seconds between tries to record while the database is away



@dataclass(frozen=True)
class Claimed:
    id: str
    channel: str
    recipient: str
    recipient_key: str
    template: str
    urgent: bool
    subject: str | None
    body: str
    html_body: str | None
    attachment_name: str | None
    attachment: str | None
    personalisation: dict[str, Any]
    attempts: int
    claimed_until: datetime
    refused_by: frozenset[str]  # providers that refused it for good before: each refuses a message once
    origin: ledger.Origin  # the event it tells of, for the outcome event's correlation


@dataclass(frozen=True)
class Attempt:
    provider: Provider
    outcome: Outcome
    started_at: datetime
    duration_ms: int


class Dispatcher:
    def __init__(self, *, outbox: Outbox, providers: Providers, options: Options, clock: Clock,
                 name: str | None = None):
        self.outbox = outbox
        self.providers = providers
        self.options = options
        self.clock = clock
        self.name = name or f"delivery-{uuid.uuid4().hex[:8]}"
        self.health = ProviderHealth(threshold=options.failover_threshold, cooldown=options.failover_cooldown)
        metrics.providers_in_use(providers)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._in_flight = 0
        self._busy: set[str] = set()  # recipients with a task running: one at a time keeps their order
        self._idle = threading.Condition(self._lock)

    # -- the periodic job ------------------------------------------------------------------------
    def tick(self, sessions: sessionmaker) -> int:
        """Claim what is due and hand it to the senders; returns how many messages were handed over."""
        with self._lock:
            room = self.options.delivery_batch - self._in_flight
            busy = set(self._busy)
        if room <= 0:
            return 0
        now = self.clock()
        claimed = self._claim(sessions, room, now)
        if not claimed:
            return 0
        groups = self._decide(sessions, claimed, busy, now)
        for key, group in groups.items():
            with self._lock:
                self._in_flight += len(group)
                self._busy.add(key)
            self._executor().submit(self._send_group, sessions, key, group)
        return sum(len(group) for group in groups.values())

    def wait(self, timeout: float) -> bool:
        """Block until every handed-over message is recorded (tests, benchmarks); False on time-out."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.options.delivery_concurrency, thread_name_prefix="notification-send")
        return self._pool

    # -- 1. claim ----------------------------------------------------------------------------------
    def _claim(self, sessions: sessionmaker, limit: int, now: datetime) -> list[Claimed]:
        m = messages
        due = and_(m.c.status.in_(ledger.DUE), m.c.not_before <= now,
                   or_(m.c.claimed_until.is_(None), m.c.claimed_until < now))
        until = now + self.options.delivery_lease
        with sessions.begin() as session:
            candidates = select(m.c.id).where(due).order_by(m.c.not_before, m.c.id).limit(limit)
            if not is_sqlite(session.get_bind()):
                candidates = candidates.with_for_update(skip_locked=True)
            rows = session.execute(
                update(m).where(m.c.id.in_(candidates.scalar_subquery()))
                .values(claimed_until=until, claimed_by=self.name)
                .returning(m.c.id, m.c.channel, m.c.recipient, m.c.recipient_key, m.c.template, m.c.urgent,
                           m.c.subject, m.c.body, m.c.html_body, m.c.attachment_name, m.c.attachment,
                           m.c.personalisation, m.c.attempts)).all()
            ids = [r.id for r in rows]
            # A citizen hears of the events in the order they happened, whatever order they arrived in.
            told = {r.id: r for r in session.execute(
                select(m.c.id, notices.c.occurred_at, notices.c.event_id, notices.c.correlation_id)
                .join(notices, notices.c.id == m.c.notice_id).where(m.c.id.in_(ids)))}
            refused: dict[str, set[str]] = defaultdict(set)
            for attempt in session.execute(select(delivery_attempts.c.message_id, delivery_attempts.c.provider).where(
                    delivery_attempts.c.message_id.in_(ids), delivery_attempts.c.outcome == PERMANENT)):
                refused[attempt.message_id].add(attempt.provider)
        rows = sorted(rows, key=lambda r: (aware(told[r.id].occurred_at), r.id))
        return [Claimed(r.id, r.channel, r.recipient, r.recipient_key, r.template, r.urgent, r.subject, r.body,
                        r.html_body, r.attachment_name, r.attachment, r.personalisation or {}, r.attempts, until,
                        frozenset(refused[r.id]), ledger.Origin(told[r.id].event_id, told[r.id].correlation_id))
                for r in rows]

    # -- 2. what may go now ------------------------------------------------------------------------
    def _decide(self, sessions: sessionmaker, claimed: list[Claimed], busy: set[str],
                now: datetime) -> dict[str, list[Claimed]]:
        to_send: dict[str, list[Claimed]] = defaultdict(list)
        with sessions.begin() as session:
            opted_out = preferences.opted_out(session, [(c.channel, c.recipient_key) for c in claimed])
            sent = self._recent_sms(session, {c.recipient_key for c in claimed if c.channel == "sms"}, now)
            for message in claimed:
                if message.recipient_key in busy:
                    self._release(session, message, now)
                elif (message.channel, message.recipient_key) in opted_out:
                    ledger.move(session, self.outbox, message.id, ledger.CANCELLED, now=now, expect=ledger.DUE,
                                held_by=self.name, origin=message.origin, status_reason="opted_out")
                elif (wait := self._wait_until(message, sent, now)) is not None:
                    until, reason = wait
                    self._release(session, message, now, not_before=until, reason=reason)
                else:
                    if message.channel == "sms":
                        sent[message.recipient_key].append(now)
                    to_send[message.recipient_key].append(message)
        return to_send

    def _wait_until(self, message: Claimed, sent: dict[str, list[datetime]],
                    now: datetime) -> tuple[datetime, str] | None:
        if message.channel != "sms":
            return None
        if not message.urgent:
            morning = schedule.quiet_until(now, self.options.quiet_hours, self.options.tz)
            if morning is not None:
                return morning, "quiet_hours"
        later = schedule.rate_limited_until(sent[message.recipient_key], self.options.sms_hourly_limit, now)
        return (later, "rate_limited") if later is not None else None

    @staticmethod
    def _recent_sms(session: Session, keys: set[str], now: datetime) -> dict[str, list[datetime]]:
        sent: dict[str, list[datetime]] = defaultdict(list)
        if keys:
            rows = session.execute(select(messages.c.recipient_key, messages.c.sent_at).where(
                messages.c.channel == "sms", messages.c.recipient_key.in_(keys),
                messages.c.sent_at > now - schedule.RATE_WINDOW))
            for row in rows:
                sent[row.recipient_key].append(aware(row.sent_at))
        return sent

    def _release(self, session: Session, message: Claimed, now: datetime, *, not_before: datetime | None = None,
                 reason: str | None = None) -> None:
        values: dict[str, Any] = {"claimed_until": None, "claimed_by": None, "updated_at": now}
        if not_before is not None:
            values.update(not_before=not_before, status_reason=reason)
        session.execute(update(messages).where(messages.c.id == message.id, messages.c.claimed_by == self.name)
                        .values(**values))

    # -- 3. send -----------------------------------------------------------------------------------
    def _send_group(self, sessions: sessionmaker, key: str, group: list[Claimed]) -> None:
        try:
            for message in group:
                try:
                    if self.clock() > message.claimed_until - LEASE_MARGIN:
                        continue  # the claim is about to lapse: whoever claims it next sends it
                    self._record_while_held(sessions, message, self._attempt(message))
                except Exception as exc:  # a failed record leaves the claim to expire; the message is not lost
                    log.exception("delivery_failed", extra={"message_id": message.id, "error": type(exc).__name__})
                finally:
                    with self._lock:
                        self._in_flight -= 1
        finally:
            with self._idle:
                self._busy.discard(key)
                self._idle.notify_all()

    def _attempt(self, message: Claimed) -> list[Attempt]:
        """Try the channel's providers in order until one accepts; returns the attempts."""
        outgoing = self._outgoing(message)
        candidates = [p for p in self.providers.for_channel(message.channel)
                      if p.name not in message.refused_by and p.accepts(outgoing)]
        attempts: list[Attempt] = []
        for provider in self.health.order(candidates):
            started, t0 = self.clock(), time.perf_counter()
            outcome = provider.send(outgoing)
            attempts.append(Attempt(provider, outcome, started, int((time.perf_counter() - t0) * 1000)))
            self.health.record(provider, outcome)
            metrics.provider_answered(message.channel, provider.name, outcome.result)
            if outcome.accepted:
                break
        return attempts

    def _outgoing(self, message: Claimed) -> Outgoing:
        unsubscribe = (unsubscribe_url(self.options, message.recipient_key)
                       if message.channel == "email" else None)
        return Outgoing(id=message.id, channel=message.channel, recipient=message.recipient, template=message.template,
                        text=message.body, subject=message.subject, html=message.html_body,
                        attachment_name=message.attachment_name, attachment=message.attachment,
                        personalisation=message.personalisation,
                        unsubscribe_url=unsubscribe)

    # -- 4. record ---------------------------------------------------------------------------------
    def _record_while_held(self, sessions: sessionmaker, message: Claimed, attempts: list[Attempt]) -> None:
        """Record the outcome, waiting out a database that is away for as long as the claim holds.

        The provider has the message by now: giving up would let the claim lapse and the next sender
        send it again (a citizen's second SMS). Until the claim lapses nobody else may take it, so
        retrying until then is safe; the margin left at sending time (LEASE_MARGIN) covers a restart."""
        delay = RECORD_RETRY_FIRST
        while True:
            try:
                self._record(sessions, message, attempts)
                return
            except (OperationalError, InterfaceError) as exc:
                if self.clock() + timedelta(seconds=delay) >= message.claimed_until:
                    raise
                log.warning("delivery_record_retry", extra={"message_id": message.id, "error": type(exc).__name__,
                                                            "delay_s": delay})
                time.sleep(delay)
                delay = min(delay * 2, RECORD_RETRY_MAX)

    def _record(self, sessions: sessionmaker, message: Claimed, attempts: list[Attempt]) -> None:
        now = self.clock()
        number = message.attempts + 1
        with sessions.begin() as session:
            for attempt in attempts:
                session.execute(insert(delivery_attempts).values(
                    message_id=message.id, attempt=number, provider=attempt.provider.name,
                    outcome=attempt.outcome.result, detail=attempt.outcome.detail[:200], code=attempt.outcome.code,
                    started_at=attempt.started_at, duration_ms=attempt.duration_ms))
            self._settle(session, message, attempts, number, now)

    def _settle(self, session: Session, message: Claimed, attempts: list[Attempt], number: int,
                now: datetime) -> None:
        guard = dict(now=now, expect=ledger.DUE, held_by=self.name, origin=message.origin, attempts=number)
        last = attempts[-1] if attempts else None
        if last is not None and last.outcome.accepted:
            provider = last.provider
            to = ledger.SENDING if provider.receipts else ledger.DELIVERED
            ledger.move(session, self.outbox, message.id, to, medium=provider.medium, provider=provider.name,
                        accepted_by=accepted_by(provider), provider_reference=last.outcome.reference, sent_at=now,
                        status_reason=None, **guard)
            log.debug("message_sent", extra={"message_id": message.id, "provider": provider.name, "status": to})
            return
        if last is not None:
            reason = f"{last.provider.name}: {last.outcome.detail}"
        else:
            reason = "refused by every provider" if message.refused_by else "no provider takes this message"
        if any(a.outcome.result == TEMPORARY for a in attempts):
            if number < self.options.max_attempts:
                retry_at = now + schedule.backoff(number, self.options.retry_base, self.options.retry_max)
                ledger.move(session, self.outbox, message.id, ledger.TEMPORARY_FAILURE, not_before=retry_at,
                            status_reason=reason[:200], **guard)
                log.warning("message_retry_scheduled", extra={"message_id": message.id, "attempt": number,
                                                              "reason": reason[:120]})
                return
            to, reason = ledger.TECHNICAL_FAILURE, f"retries exhausted; {reason}"
        else:
            # Refused by every provider that could take it; with none able to, it is our failure, not theirs.
            to = ledger.PERMANENT_FAILURE if attempts or message.refused_by else ledger.TECHNICAL_FAILURE
        ledger.move(session, self.outbox, message.id, to, status_reason=reason[:200], **guard)
        log.warning("message_failed", extra={"message_id": message.id, "status": to, "reason": reason[:120]})
