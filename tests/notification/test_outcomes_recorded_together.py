"""Outcomes that arrive together are recorded in one transaction (delivery/recorder.py), each still once.

While the gateway has the first message the test locks the attempts table against writes, as a slow
commit would: the first outcome's write waits, the others arrive meanwhile and must then be written
together by the next writer. Three messages are therefore recorded in at most two PostgreSQL
transactions (xmin), where one transaction per message made three; one attempt each, one outcome event
each, nothing sent twice."""
from __future__ import annotations

import threading
import time

from sqlalchemy import text

from motcua_shared.events.catalogue.message import MESSAGE_DELIVERED
from notification.support import Events

PHONES = ("0912000001", "0912000002", "0912000003")


def test_outcomes_arriving_together_share_one_transaction(local, gateway):
    service = local(NOTIFICATION_DELIVERY_CONCURRENCY="4")
    dossiers = [Events(phone=phone, email=None) for phone in PHONES]
    service.handle(*(ev.received() for ev in dossiers))

    lock = service.engine.connect()
    released = threading.Event()
    held: list[str] = []
    first_request = threading.Lock()

    def hold_the_outcomes(body: dict) -> None:
        with first_request:  # the gateway answers in parallel: exactly one request takes the lock
            if held:
                return
            held.append(body["reference"])
            # SHARE conflicts with the writers' ROW EXCLUSIVE: every outcome's INSERT waits until released.
            lock.begin()
            lock.execute(text("LOCK TABLE delivery_attempts IN SHARE MODE"))
        threading.Thread(target=release_once_all_answered, daemon=True).start()

    def release_once_all_answered() -> None:
        deadline = time.monotonic() + 20
        while len(gateway.requests) < len(PHONES) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(1.0)  # every sender has its answer and has queued its outcome
        lock.rollback()
        released.set()

    gateway.on_request = hold_the_outcomes
    try:
        assert service.deliver() == len(PHONES)
    finally:
        gateway.on_request = None
        assert released.wait(30)
        lock.close()

    with service.engine.connect() as connection:
        rows = {row.id: row for row in connection.execute(text(
            "SELECT id, status, attempts, xmin::text AS tx FROM messages"))}
        attempts = dict(connection.execute(text(
            "SELECT message_id, count(*) FROM delivery_attempts GROUP BY message_id")).all())
    assert {row.status for row in rows.values()} == {"delivered"} and len(rows) == len(PHONES)
    assert all(row.attempts == 1 for row in rows.values()) and all(n == 1 for n in attempts.values())
    # The first writer's batch waited on the lock; everything queued meanwhile went in one transaction.
    assert len({row.tx for row in rows.values()}) <= 2
    assert sorted(r["reference"] for r in gateway.accepted) == sorted(rows)  # each sent once
    delivered = [e["data"]["message_id"] for e in service.outbox_events() if e["type"] == MESSAGE_DELIVERED]
    assert sorted(delivered) == sorted(rows)  # one outcome event each, from the shared multi-row INSERT
