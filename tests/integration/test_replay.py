"""`python -m motcua_<producer> replay --since T --to <consumer>` (messaging/replay.py) on the real broker:
the producer's events since T reach the restored consumer's queue, and no other consumer's."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pika

from motcua_testing.pipeline import enqueue


def queue_depth(channel, queue: str) -> int:
    return channel.queue_declare(queue, passive=True).method.message_count


def drain(channel, queue: str) -> list[str]:
    ids = []
    while True:
        method, properties, _body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            return ids
        ids.append(properties.message_id)


def test_replay_sends_the_events_since_the_point_to_the_named_consumer_only(system):
    old = enqueue(system, ["H52.04222-261201-0001"])
    runtime = system.runtime("intake")
    with runtime.engine.begin() as conn:  # an event from before the restore point
        conn.exec_driver_sql("UPDATE outbox SET created_at = now() - interval '2 hours', sent_at = now()")
    recent = enqueue(system, ["H52.04222-261207-0001", "H52.04222-261207-0002"])

    since = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    result = subprocess.run([sys.executable, "-m", "motcua_intake", "replay", "--since", since, "--to", "reporting"],
                            env={**os.environ, **system.env}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "replayed 2 of 2 events" in result.stdout and "reporting.inbox 2" in result.stdout, result.stdout

    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    try:
        channel = connection.channel()
        assert sorted(drain(channel, "reporting.inbox")) == sorted(e.id for e in recent)
        assert old[0].id not in [e.id for e in recent]
        # Nobody else heard them again: the relay has not run, so every other queue is empty.
        for queue in ("routing.inbox", "notification.inbox", "postal.inbox"):
            assert queue_depth(channel, queue) == 0, queue
    finally:
        connection.close()

    # Further back than the outbox keeps: refused before anything is published.
    from argparse import Namespace

    from motcua_shared.messaging import replay

    args = Namespace(since=datetime.now(timezone.utc) - timedelta(hours=100), consumer="reporting", until=None,
                     dry_run=False, anyway=False)
    assert replay.command(runtime, args) == 3
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    try:
        assert queue_depth(connection.channel(), "reporting.inbox") == 0
    finally:
        connection.close()
