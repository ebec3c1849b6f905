"""The consumer takes the deliveries in hand in batches (issue 18): one inbox statement, the handlers in
delivery order, one commit, then the acks. Each event still takes effect exactly once: a failing
handler is isolated (the others commit, it alone is retried, then dead-lettered), duplicates inside a
batch and across batches are skipped, a crash between the commit and the acks repeats nothing, a
database connection lost mid-batch is waited out, and work a handler leaves for the commit is done
before the events behind it are handled.

Run as a script (`python this_file.py CONFIG`), it is the consumer process the crash test kills.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pika
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import event as sa_event
from sqlalchemy import text

from motcua_shared.broker.topology import dead_letter_queue
from motcua_shared.events import new_event, registry
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
from motcua_shared.messaging import ConsumerRunner, current_queue

from motcua_testing.system import RETRY_DELAYS, System
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(120)
# Two of routing's queues: one runner consumes both, and deduplicates per queue.
MAIN, OTHER = "routing.inbox", "routing.steps.local"
TESTS = Path(__file__).resolve().parents[1]


def received(code: str):
    return new_event(DOSSIER_RECEIVED, source="/motcua/intake", subject=code,
                     data={**registry.get(DOSSIER_RECEIVED).example, "code": code})


def codes(prefix: str, n: int) -> list[str]:
    return [f"H52.04222-190315-{prefix}{i:03d}" for i in range(n)]


def publish(system, deliveries: list[tuple[str, object]]) -> None:
    """Straight into each queue (the default exchange), confirmed, in this order. An event, or raw bytes."""
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    try:
        channel = connection.channel()
        system.runtime("routing").topology.declare(channel)  # the queues exist before any runner starts
        channel.confirm_delivery()
        for queue, item in deliveries:
            body, message_id = (item, "raw") if isinstance(item, bytes) else (item.to_json(), item.id)
            channel.basic_publish("", queue, body, mandatory=True, properties=pika.BasicProperties(
                content_type="application/cloudevents+json", delivery_mode=2, message_id=message_id))
    finally:
        connection.close()


def queue_depth(system, queue: str) -> int:
    """Messages in the queue, unacknowledged ones included once their consumer's connection is closed."""
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    try:
        return connection.channel().queue_declare(queue, passive=True).method.message_count
    finally:
        connection.close()


def take_dead_letters(system, queue: str) -> list[pika.BasicProperties]:
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    try:
        channel, taken = connection.channel(), []
        while True:
            method, props, _body = channel.basic_get(dead_letter_queue(queue), auto_ack=True)
            if method is None:
                return taken
            taken.append(props)
    finally:
        connection.close()


def consumed(outcome: str) -> float:
    return REGISTRY.get_sample_value("motcua_events_consumed_total", {
        "consumer": "routing", "type": DOSSIER_RECEIVED, "outcome": outcome}) or 0.0


class Effects:
    """What the handlers did: a row per handled event in a table of the test's own (no key, so an
    event handled twice shows as two rows), and the codes handled in each committed transaction."""

    def __init__(self, rt):
        self.engine = rt.engine
        with rt.engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS batch_effects "
                              "(queue text NOT NULL, event_id text NOT NULL, code text NOT NULL)"))
        self.commits: list[list[str]] = []  # the codes handled in each committed transaction, in order
        self.calls: list[str] = []  # every handler call, committed or rolled back
        # On the runner's sessions only: the test's own queries go through the engine.
        sa_event.listen(rt.sessions, "after_commit", self._committed)

    def _committed(self, session) -> None:
        if session.info.get("handled"):
            self.commits.append(session.info["handled"])

    def record(self, session, event) -> None:
        self.calls.append(event.data["code"])
        session.execute(text("INSERT INTO batch_effects VALUES (:queue, :id, :code)"),
                        {"queue": current_queue(), "id": event.id, "code": event.data["code"]})
        session.info.setdefault("handled", []).append(event.data["code"])

    def rows(self) -> dict[tuple[str, str], int]:
        with self.engine.connect() as conn:
            return {(queue, code): n for queue, code, n in conn.execute(text(
                "SELECT queue, code, count(*) FROM batch_effects GROUP BY queue, code"))}


def hold_first_drain(runner: ConsumerRunner, count: int, timeout: float = 30) -> None:
    """Timing only: the runner's first drain waits until `count` deliveries are in hand, as they are
    under load; otherwise the first may arrive alone and, rightly, be handled at once on its own."""
    drain = runner._drain

    def held(channel, connection):
        deadline = time.monotonic() + timeout
        while len(runner._pending) < count and time.monotonic() < deadline:
            connection.process_data_events(time_limit=0.05)
        runner._drain = drain
        drain(channel, connection)

    runner._drain = held


def routing_runner(system, handlers, *, batch_size: int = 50, hold: int = 0) -> ConsumerRunner:
    rt = system.runtime("routing")
    runner = ConsumerRunner(consumer="routing", service="routing", amqp_url=system.amqp_url, sessions=rt.sessions,
                            inbox=rt.spec.inbox_table, queues=[MAIN, OTHER], handlers=handlers, topology=rt.topology,
                            retry_delays=RETRY_DELAYS, prefetch=100, max_backoff=1, batch_size=batch_size)
    if hold:
        hold_first_drain(runner, hold)
    return runner


class Running:
    def __init__(self, runner: ConsumerRunner):
        self.runner, self.thread = runner, threading.Thread(target=runner.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self.runner

    def __exit__(self, *_exc):
        self.runner.stop()
        self.thread.join(timeout=15)
        assert not self.thread.is_alive()


@pytest.mark.parametrize("batch_size, sizes", [(50, [30]), (12, [12, 12, 6]), (1, [1] * 30)])
def test_deliveries_in_hand_commit_together_and_each_takes_effect_once(system, caplog, batch_size, sizes):
    events = [received(code) for code in codes("B", 30)]
    effects = Effects(system.runtime("routing"))
    processed = consumed("processed")
    publish(system, [(MAIN, e) for e in events])
    with Running(routing_runner(system, {DOSSIER_RECEIVED: effects.record}, batch_size=batch_size, hold=30)):
        wait_for(lambda: len(effects.rows()) == 30, what="every event's effect")
        wait_for(lambda: consumed("processed") - processed == 30, what="every event counted")
    # One transaction per batch, in delivery order: a batch of 30 commits once (1: once per event).
    assert effects.commits == [[e.data["code"] for e in events[i:i + n]]
                               for i, n in zip([sum(sizes[:k]) for k in range(len(sizes))], sizes)]
    assert effects.rows() == {(MAIN, e.data["code"]): 1 for e in events}
    assert system.count("routing", "inbox") == 30
    assert queue_depth(system, MAIN) == 0  # every delivery acknowledged (a multiple ack for a batch)
    assert not [r for r in caplog.records if r.getMessage() == "consumer_connection_lost"]


def test_a_poison_event_in_a_batch_is_retried_then_dead_lettered_alone_and_the_others_commit(system, caplog):
    before, after = [received(c) for c in codes("A", 9)], [received(c) for c in codes("Z", 10)]
    poison = received("H52.04222-190315-P000")
    effects = Effects(system.runtime("routing"))
    attempts = []

    def handler(session, event):
        if event.data["code"].endswith("P000"):
            attempts.append(event.id)
            raise RuntimeError("cannot handle this dossier")
        effects.record(session, event)

    deliveries = ([(MAIN, e) for e in before[:5]] + [(MAIN, b"\xff not json")] + [(MAIN, e) for e in before[5:]]
                  + [(MAIN, poison)] + [(MAIN, e) for e in after])
    publish(system, deliveries)
    caplog.set_level(logging.WARNING, logger="motcua.consumer")
    dead = []
    with Running(routing_runner(system, {DOSSIER_RECEIVED: handler}, hold=len(deliveries))):
        wait_for(lambda: dead.extend(take_dead_letters(system, MAIN)) or len(dead) == 2,
                 what="the malformed and the poison in the DLQ")
        wait_for(lambda: len(effects.rows()) == 19, what="the others' effects")
    # The batch rolled back at the poison: those before it committed one by one, those behind it together.
    assert effects.commits == [[e.data["code"]] for e in before] + [[e.data["code"] for e in after]]
    assert effects.rows() == {(MAIN, e.data["code"]): 1 for e in before + after}
    # Its failure in the batch was its first attempt: then each bounded retry, as for an event alone.
    assert attempts == [poison.id] * (1 + len(RETRY_DELAYS))
    reasons = {props.message_id: props.headers for props in dead}
    assert reasons[poison.id]["x-motcua-attempts"] == len(RETRY_DELAYS)
    assert reasons[poison.id]["x-motcua-reason"].startswith("RuntimeError: cannot handle this dossier")
    assert reasons["raw"]["x-motcua-error-type"] == "InvalidEvent"
    assert system.count("routing", "inbox") == 19  # the poison's inbox row went with each rollback
    assert queue_depth(system, MAIN) == 0
    messages = [r.getMessage() for r in caplog.records]
    assert "consumer_batch_rolled_back" in messages
    assert "consumer_connection_lost" not in messages  # no delivery was acknowledged twice


def test_duplicates_inside_a_batch_and_across_batches_are_skipped_per_queue(system):
    a, b, c, d = (received(code) for code in codes("D", 4))
    effects = Effects(system.runtime("routing"))
    duplicates, processed = consumed("duplicate"), consumed("processed")
    first = [(MAIN, a), (MAIN, b), (MAIN, a), (OTHER, a), (MAIN, c), (MAIN, b)]
    publish(system, first)
    with Running(routing_runner(system, {DOSSIER_RECEIVED: effects.record}, hold=len(first))):
        wait_for(lambda: consumed("duplicate") - duplicates == 2, what="the repeats inside the batch skipped")
        # One batch: the same id on another queue is another event; on the same queue, a duplicate. (The
        # broker interleaves two queues' deliveries as it likes: only each queue's own order is kept.)
        assert len(effects.commits) == 1
        assert sorted(effects.commits[0]) == sorted([a.data["code"], b.data["code"], a.data["code"], c.data["code"]])
        publish(system, [(MAIN, a), (MAIN, c), (MAIN, d), (OTHER, b)])  # later batches: two repeats, two new
        wait_for(lambda: consumed("duplicate") - duplicates == 4, what="the repeats across batches skipped")
        wait_for(lambda: consumed("processed") - processed == 6, what="the new ones handled")
    assert effects.rows() == {(MAIN, a.data["code"]): 1, (MAIN, b.data["code"]): 1, (OTHER, a.data["code"]): 1,
                              (MAIN, c.data["code"]): 1, (MAIN, d.data["code"]): 1, (OTHER, b.data["code"]): 1}
    assert system.count("routing", "inbox") == 6
    assert queue_depth(system, MAIN) == queue_depth(system, OTHER) == 0


def test_a_crash_between_the_commit_and_the_acks_repeats_nothing(system, tmp_path):
    """The consumer process dies (failpoint consumer.after_commit) right after committing its first batch,
    before acknowledging any of it: the next consumer gets the whole batch again and skips every one."""
    events = [received(code) for code in codes("K", 25)]
    effects = Effects(system.runtime("routing"))
    publish(system, [(MAIN, e) for e in events])
    config = tmp_path / "consumer.json"
    config.write_text(json.dumps({"amqp_url": system.amqp_url, "vhost": system.vhost,
                                  "database_urls": system.database_urls, "var_dir": str(tmp_path), "hold": 25}))
    env = {**os.environ, "MOTCUA_FAILPOINTS": "consumer.after_commit:1",
           "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    crashed = subprocess.run([sys.executable, __file__, str(config)], env=env, capture_output=True, timeout=90)
    assert crashed.returncode == 137, crashed.stderr.decode()[-2000:]
    assert b"failpoint consumer.after_commit hit" in crashed.stderr
    assert effects.rows() == {(MAIN, e.data["code"]): 1 for e in events}  # committed as one batch
    assert queue_depth(system, MAIN) == 25  # and not one acknowledged

    duplicates = consumed("duplicate")
    with Running(routing_runner(system, {DOSSIER_RECEIVED: effects.record})):
        wait_for(lambda: consumed("duplicate") - duplicates == 25, what="the redelivered batch skipped")
    assert effects.calls == []  # no handler ran again in this process
    assert effects.rows() == {(MAIN, e.data["code"]): 1 for e in events}
    assert queue_depth(system, MAIN) == 0


def test_a_database_connection_lost_mid_batch_is_waited_out_and_the_batch_commits_once(system, caplog):
    events = [received(code) for code in codes("W", 12)]
    effects = Effects(system.runtime("routing"))
    lost = []

    def handler(session, event):
        effects.record(session, event)
        if event.data["code"].endswith("W005") and not lost:
            lost.append(event.id)
            # The server ends this very connection, as a database restart or a failover would.
            session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

    publish(system, [(MAIN, e) for e in events])
    caplog.set_level(logging.WARNING, logger="motcua.consumer")
    with Running(routing_runner(system, {DOSSIER_RECEIVED: handler}, hold=12)):
        wait_for(lambda: len(effects.rows()) == 12, what="the batch after the database came back")
    every = [e.data["code"] for e in events]
    assert effects.calls == every[:6] + every  # the lost attempt, then the whole batch again
    assert effects.commits == [every]
    assert effects.rows() == {(MAIN, code): 1 for code in every}
    assert queue_depth(system, MAIN) == 0
    messages = [r.getMessage() for r in caplog.records]
    assert "consumer_database_unavailable" in messages and "consumer_batch_rolled_back" not in messages


def test_work_a_handler_leaves_for_the_commit_is_done_before_the_events_behind_it(system):
    """reference/store.py installs a newly kept reference set once its transaction commits: events behind
    it must be handled with the new set, as they were with one transaction per event."""
    events = [received(code) for code in codes("C", 3) + ["H52.04222-190315-R000"] + codes("E", 4)]
    effects = Effects(system.runtime("routing"))
    installed, seen = [], {}

    def handler(session, event):
        effects.record(session, event)
        seen[event.data["code"]] = bool(installed)
        if event.data["code"].endswith("R000"):
            sa_event.listen(session, "after_commit", lambda _session: installed.append(True), once=True)

    publish(system, [(MAIN, e) for e in events])
    with Running(routing_runner(system, {DOSSIER_RECEIVED: handler}, hold=len(events))):
        wait_for(lambda: len(effects.rows()) == len(events), what="every event's effect")
    every = [e.data["code"] for e in events]
    assert effects.commits == [every[:4], every[4:]]  # the batch ended with the handler that deferred work
    assert seen == {code: index > 3 for index, code in enumerate(every)}
    assert installed == [True]
    assert effects.rows() == {(MAIN, code): 1 for code in every}
    assert system.count("routing", "inbox") == len(events)


def _consume_until_killed(config_path: str) -> None:
    """The crash test's consumer process: holds its first drain until the batch is in hand, records each
    event as the test does, and is ended by the failpoint after its first commit."""
    config = json.loads(Path(config_path).read_text())
    system = System(amqp_url=config["amqp_url"], vhost=config["vhost"], database_urls=config["database_urls"],
                    var_dir=Path(config["var_dir"]))
    effects = Effects(system.runtime("routing"))
    routing_runner(system, {DOSSIER_RECEIVED: effects.record}, hold=config["hold"]).run()
    sys.exit("the failpoint did not end the consumer")


if __name__ == "__main__":
    _consume_until_killed(sys.argv[1])
