"""The relay marks a confirmed window sent in the transaction that claims the next one (issue 18), on the
real PostgreSQL and RabbitMQ: one commit per window under load, with every guarantee of the outbox kept
(only confirmed rows marked, a lease that ran out never claimed again by the statement marking it sent,
relays side by side taking disjoint rows).
"""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select, text

from motcua_shared.db import make_engine, session_factory
from motcua_shared.events.envelope import Event
from motcua_shared.messaging import Outbox, OutboxStore
from motcua_shared.migrations import upgrade

from motcua_testing.system import spec_of

from integration.test_outbox_wakeup import Harness  # the wake-up tests' relay harness

pytestmark = pytest.mark.timeout(120)
LEASE = timedelta(seconds=15)


def events(count: int) -> list[tuple[Event, None, None]]:
    return [(Event(type="vn.gov.motcua.test.claimed.v1", source="/motcua/test", data={"n": n}), None, None)
            for n in range(count)]


def unsent(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL")).scalar()


@pytest.fixture
def harness(broker, vhost, database_factory):
    name = database_factory.create(spec_of("intake"))
    made = Harness(broker.url_for(vhost), database_factory.url(name))
    yield made
    made.close()
    database_factory.drop(name)


@pytest.fixture
def stores(database_factory):
    """Two relays' stores on one fresh intake database, and a session factory to write events with."""
    spec = spec_of("intake")
    name = database_factory.create(spec)
    engine = make_engine(database_factory.url(name))
    yield (OutboxStore(engine, spec.outbox_table, relay_id="relay-a"),
           OutboxStore(engine, spec.outbox_table, relay_id="relay-b"), session_factory(engine))
    engine.dispose()
    database_factory.drop(name)


def test_a_busy_relay_commits_once_per_window(harness):
    # The relay's store on an engine of its own, whose commits are counted: the test's inserts are not.
    relay_engine = make_engine(str(harness.engine.url.render_as_string(hide_password=False)))
    harness.store = OutboxStore(relay_engine, harness.spec.outbox_table, relay_id="counted-relay")
    commits = []
    sa_event.listen(relay_engine, "commit", lambda _conn: commits.append(time.monotonic()))
    try:
        harness.start_relay(batch_size=100)
        harness.received(harness.commit(), timeout=15)  # warmed up: its purge and first windows are behind it
        deadline = time.monotonic() + 10
        while unsent(harness.engine):
            assert time.monotonic() < deadline, "the warm-up event was never marked sent"
            time.sleep(0.05)
        commits.clear()

        harness.received(harness.commit(500), timeout=30)  # one notification, five windows of 100
        deadline = time.monotonic() + 10
        while unsent(harness.engine):
            assert time.monotonic() < deadline, "confirmed rows were never marked sent"
            time.sleep(0.05)
        # Five claims, each marking the window before it, and one more marking the last window (it finds
        # nothing to claim). Marking apart from claiming would take 11.
        assert len(commits) <= 6, f"{len(commits)} relay commits for 5 windows"
    finally:
        harness.relay.stop()
        harness.thread.join(timeout=30)
        harness.relay = None  # stopped here, before its engine goes: the fixture has nothing left to stop
        relay_engine.dispose()


def test_a_trickle_of_commits_costs_one_relay_transaction_each(harness):
    """A window that was not full waits for the next notification to carry its mark (relay.MARK_DELAY):
    one transaction per wake-up, not a claim and then a mark-and-claim that finds nothing."""
    relay_engine = make_engine(str(harness.engine.url.render_as_string(hide_password=False)))
    harness.store = OutboxStore(relay_engine, harness.spec.outbox_table, relay_id="counted-relay")
    commits = []
    sa_event.listen(relay_engine, "commit", lambda _conn: commits.append(time.monotonic()))
    try:
        harness.start_relay()
        harness.received(harness.commit(), timeout=15)
        time.sleep(1.0)  # its deferred mark and first-pump work are done
        assert unsent(harness.engine) == 0
        commits.clear()
        for _ in range(20):
            assert harness.received(harness.commit(), timeout=5) < 1  # published at once, as before
            time.sleep(0.05)
        deadline = time.monotonic() + 10
        while unsent(harness.engine):
            assert time.monotonic() < deadline, "confirmed rows were never marked sent"
            time.sleep(0.05)
        # 20 claims, each marking the one before, and one marking the last: a mark of its own per event
        # after each window would take 40.
        assert len(commits) <= 25, f"{len(commits)} relay commits for 20 single-event commits"
    finally:
        harness.relay.stop()
        harness.thread.join(timeout=30)
        harness.relay = None
        relay_engine.dispose()


def test_the_claim_marks_the_previous_window_sent_and_takes_the_next(stores):
    store, _other, sessions = stores
    with sessions.begin() as session:
        Outbox(store.table, exchange="x").add_all(session, events(7))
    first = store.claim(3, LEASE)
    second = store.claim(3, LEASE, sent=[row.id for row in first])
    assert [row.id for row in second] == [row.id + 3 for row in first]
    with store.engine.connect() as conn:
        sent = set(conn.execute(select(store.table.c.id).where(store.table.c.sent_at.is_not(None))).scalars())
    assert sent == {row.id for row in first}  # only the confirmed window: the new one is claimed, not sent
    third = store.claim(3, LEASE, sent=[row.id for row in second])
    assert len(third) == 1 and unsent(store.engine) == 1
    assert store.claim(3, LEASE, sent=[row.id for row in third]) == []
    assert unsent(store.engine) == 0


def test_a_window_whose_lease_ran_out_is_marked_sent_not_claimed_again(stores):
    store, _other, sessions = stores
    with sessions.begin() as session:
        Outbox(store.table, exchange="x").add_all(session, events(2))
    expired = store.claim(2, timedelta(0))  # its lease is over at once, as after confirms slower than it
    assert store.claim(5, LEASE, sent=[row.id for row in expired]) == []
    assert unsent(store.engine) == 0


def test_relays_side_by_side_claim_disjoint_windows_while_marking(stores):
    first, second, sessions = stores
    with sessions.begin() as session:
        Outbox(first.table, exchange="x").add_all(session, events(9))
    a = first.claim(3, LEASE)
    b = second.claim(3, LEASE)
    a_next = first.claim(3, LEASE, sent=[row.id for row in a])
    ids = [row.id for row in a + b + a_next]
    assert len(set(ids)) == 9, "a row was claimed by two relays"
    assert second.claim(3, LEASE, sent=[row.id for row in b]) == []  # the rest is leased to the other relay


def test_on_sqlite_the_claim_marks_and_claims_in_one_transaction(tmp_path):
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    spec = spec_of("intake")
    upgrade(spec, url)
    engine = make_engine(url)
    store = OutboxStore(engine, spec.outbox_table, relay_id="sqlite-relay")
    commits = []
    try:
        with session_factory(engine).begin() as session:
            Outbox(store.table, exchange="x").add_all(session, events(4))
        sa_event.listen(engine, "commit", lambda _conn: commits.append(1))
        first = store.claim(2, LEASE)
        second = store.claim(2, LEASE, sent=[row.id for row in first])
        assert [row.id for row in second] == [row.id + 2 for row in first]
        assert store.claim(2, LEASE, sent=[row.id for row in second]) == []
        assert len(commits) == 3 and unsent(engine) == 0
    finally:
        engine.dispose()


def test_an_event_is_added_without_asking_for_its_id_back(stores):
    store, _other, sessions = stores
    statements = []
    sa_event.listen(store.engine, "before_cursor_execute",
                    lambda _c, _cur, statement, *_rest: statements.append(statement))
    with sessions.begin() as session:
        Outbox(store.table, exchange="x").add(session, events(1)[0][0])
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO OUTBOX")]
    assert len(inserts) == 1 and "RETURNING" not in inserts[0].upper()
