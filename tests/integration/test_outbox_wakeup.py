"""The relay woken by LISTEN/NOTIFY (issue 18), on the real PostgreSQL and RabbitMQ.

Every relay here polls so rarely (a minute) that an event published within seconds was published
because PostgreSQL woke the relay, never because its timer came round; where a test needs the
poll, it makes notifications impossible first.
"""
from __future__ import annotations

import threading
import time
import uuid

import pika
import pytest
from alembic import command
from sqlalchemy import text

from motcua_shared.broker.catalogue import events_exchange
from motcua_shared.db import make_engine, session_factory
from motcua_shared.events.envelope import Event
from motcua_shared.messaging import Outbox, OutboxRelay, OutboxStore
from motcua_shared.messaging import relay as relay_module
from motcua_shared.migrations import alembic_config, upgrade

from motcua_testing.system import spec_of

NEVER = 60.0  # seconds: a poll interval no test waits for
# Each service's revision just before its outbox notify trigger.
BEFORE_TRIGGER = {"intake": "0014", "notification": "0008", "postal": "0007", "reporting": "0009", "routing": "0009"}


class Harness:
    """One service's outbox on a database of its own, a relay in a thread, and a queue that sees
    everything the relay publishes on the service's exchange."""

    def __init__(self, amqp_url: str, database_url: str, service: str = "intake"):
        self.spec = spec_of(service)
        self.exchange = events_exchange(service)
        self.amqp_url = amqp_url
        self.engine = make_engine(database_url)
        self.sessions = session_factory(self.engine)
        self.outbox = Outbox(self.spec.outbox_table, exchange=self.exchange)
        self.store = OutboxStore(self.engine, self.spec.outbox_table, relay_id="test-relay")
        self.connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
        self.channel = self.connection.channel()
        self.channel.exchange_declare(self.exchange, exchange_type="topic", durable=True)
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        self.channel.queue_bind(self.queue, self.exchange, "#")
        self.relay: OutboxRelay | None = None
        self.thread: threading.Thread | None = None

    def start_relay(self, **options) -> OutboxRelay:
        options = {"poll_interval": NEVER, "safety_poll_interval": NEVER, **options}
        self.relay = OutboxRelay(self.store, amqp_url=self.amqp_url, name="test", source="/motcua/test", **options)
        self.thread = threading.Thread(target=self.relay.run, name="relay-under-test", daemon=True)
        self.thread.start()
        return self.relay

    def commit(self, count: int = 1) -> set[str]:
        events = [Event(type="vn.gov.motcua.test.woken.v1", source="/motcua/test", data={"n": n}) for n in range(count)]
        with self.sessions.begin() as session:
            self.outbox.add_all(session, [(event, None, None) for event in events])
        return {event.id for event in events}

    def received(self, ids: set[str], timeout: float) -> float:
        """Seconds until every event in `ids` reached the queue; fails after `timeout`."""
        started, missing = time.monotonic(), set(ids)
        while missing:
            method, properties, _body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is not None:
                missing.discard(properties.message_id)
                continue
            elapsed = time.monotonic() - started
            assert elapsed < timeout, f"{len(missing)} of {len(ids)} events not published after {timeout} s"
            self.connection.process_data_events(0.01)
        return time.monotonic() - started

    def listeners(self) -> list[int]:
        """The backends LISTENing on this database for a relay."""
        with self.engine.connect() as conn:
            return list(conn.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND application_name = 'motcua relay listen'")).scalars())

    def wait_for_listener(self, other_than: set[int] = frozenset(), timeout: float = 15) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            fresh = [pid for pid in self.listeners() if pid not in other_than]
            if fresh:
                return fresh[0]
            time.sleep(0.05)
        raise AssertionError(f"no relay LISTENing within {timeout} s")

    def close(self) -> None:
        if self.relay is not None:
            self.relay.stop()
            self.thread.join(timeout=30)
            assert not self.thread.is_alive(), "the relay did not stop"
        self.connection.close()
        self.engine.dispose()


@pytest.fixture
def harness(broker, vhost, database_factory):
    name = database_factory.create(spec_of("intake"))
    made = Harness(broker.url_for(vhost), database_factory.url(name))
    yield made
    made.close()
    database_factory.drop(name)


def test_an_event_committed_while_the_relay_is_idle_is_published_at_once(harness):
    harness.start_relay()
    harness.received(harness.commit(), timeout=15)  # the first pump, right after LISTEN: the relay is up
    time.sleep(0.5)  # idle now, its next poll a minute away
    assert harness.received(harness.commit(), timeout=5) < 5


def test_a_big_multi_row_insert_is_published_whole_from_one_notification(harness):
    harness.start_relay(batch_size=100)  # five windows: each one's last confirm pumps the next
    harness.received(harness.commit(), timeout=15)
    harness.received(harness.commit(500), timeout=30)


def test_with_its_listen_connection_killed_the_relay_polls_then_listens_again(harness):
    harness.start_relay(poll_interval=0.3, max_backoff=1.0)
    harness.received(harness.commit(), timeout=15)
    killed = harness.wait_for_listener()
    with harness.engine.begin() as conn:
        # No notification can wake it now, whether it listens again or not: only its poll publishes.
        conn.execute(text("ALTER TABLE outbox DISABLE TRIGGER outbox_notify"))
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": killed}).scalar()
    harness.received(harness.commit(), timeout=15)
    assert harness.store.wakeup_channel() is None

    with harness.engine.begin() as conn:
        conn.execute(text("ALTER TABLE outbox ENABLE TRIGGER outbox_notify"))
    harness.wait_for_listener(other_than={killed})
    time.sleep(1.0)  # the short poll pending when it listened again has run: the next is a minute away
    assert harness.received(harness.commit(), timeout=5) < 5


def test_the_relay_listens_again_after_its_listen_connection_is_terminated(harness):
    harness.start_relay(max_backoff=1.0)
    harness.received(harness.commit(), timeout=15)
    killed = harness.wait_for_listener()
    with harness.engine.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": killed}).scalar()
    harness.wait_for_listener(other_than={killed})
    harness.received(harness.commit(), timeout=15)  # poll_interval is a minute too: woken again


def test_a_trigger_disabled_under_a_listening_relay_puts_it_back_on_the_short_poll(harness, monkeypatch):
    monkeypatch.setattr(relay_module, "TRIGGER_CHECK_EVERY", 0.5)
    # The look happens in a pump: on the default safety poll, a second at most after it is due.
    harness.start_relay(poll_interval=0.3, safety_poll_interval=1.0, max_backoff=1.0)
    harness.received(harness.commit(), timeout=15)
    harness.wait_for_listener()
    with harness.engine.begin() as conn:
        conn.execute(text("ALTER TABLE outbox DISABLE TRIGGER outbox_notify"))
    deadline = time.monotonic() + 15
    while harness.listeners():
        assert time.monotonic() < deadline, "the relay still listens on a channel nothing notifies"
        time.sleep(0.05)
    harness.received(harness.commit(), timeout=15)
    with harness.engine.begin() as conn:
        conn.execute(text("ALTER TABLE outbox ENABLE TRIGGER outbox_notify"))
    harness.wait_for_listener()


def test_on_sqlite_the_relay_polls(broker, vhost, tmp_path):
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    upgrade(spec_of("intake"), url)
    made = Harness(broker.url_for(vhost), url)
    try:
        assert made.store.wakeup_channel() is None
        made.start_relay(poll_interval=0.1)
        made.received(made.commit(), timeout=15)
        time.sleep(0.3)
        made.received(made.commit(), timeout=15)
    finally:
        made.close()


@pytest.mark.parametrize("service", sorted(BEFORE_TRIGGER))
def test_the_migration_adds_the_trigger_and_its_downgrade_removes_it(database_factory, service):
    spec = spec_of(service)
    name = database_factory.create_empty()
    url = database_factory.url(name)
    engine = make_engine(url)
    store = OutboxStore(engine, spec.outbox_table, relay_id="test")
    config = alembic_config(spec, url)
    try:
        upgrade(spec, url)
        assert store.wakeup_channel() == f"motcua_outbox_{service}"
        with engine.connect() as conn:
            conn.execute(text(f"LISTEN motcua_outbox_{service}"))
            conn.commit()
            raw = conn.connection.driver_connection
            with session_factory(engine).begin() as session:
                Outbox(spec.outbox_table, exchange="x").add_all(session, [
                    (Event(type="vn.gov.motcua.test.v1", source="/t", data={}, id=str(uuid.uuid4())), None, None)
                    for _ in range(3)])
            # One multi-row INSERT, one notification (statement-level), on the service's channel.
            notified = list(raw.notifies(timeout=2))
            assert [n.channel for n in notified] == [f"motcua_outbox_{service}"]
        command.downgrade(config, BEFORE_TRIGGER[service])
        assert store.wakeup_channel() is None
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_proc WHERE proname = 'motcua_outbox_notify'")).scalar() == 0
        command.upgrade(config, "head")
        assert store.wakeup_channel() == f"motcua_outbox_{service}"
    finally:
        engine.dispose()
        database_factory.drop(name)
