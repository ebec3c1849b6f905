"""Dead letters are whole events (with the citizen's contacts): the operator discards those older than a
number of days with `python -m motcua_shared.broker.dlq purge QUEUE --older-than DAYS`, and the others
stay in their order (issue 15, item 5). Times are set by hand in the messages' headers."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pika

from motcua_shared.broker import dlq
from motcua_shared.broker.setup import declare_system

from motcua_testing.system import RETRY_DELAYS

QUEUE = "reporting.inbox"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)


def put(amqp_url: str, letters: list[tuple[str, dict, int | None]]) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for message_id, headers, timestamp in letters:
            channel.basic_publish("", f"{QUEUE}.dlq", b"{}", properties=pika.BasicProperties(
                message_id=message_id, headers=headers, timestamp=timestamp, delivery_mode=2))
    finally:
        connection.close()


def waiting(amqp_url: str) -> list[str]:
    return [letter.event_id for letter in dlq.inspect(amqp_url, QUEUE)]


def test_purge_discards_only_the_dead_letters_older_than_the_days_given(broker, vhost):
    url = broker.url_for(vhost)
    declare_system(url, RETRY_DELAYS)
    put(url, [
        ("october", {"x-motcua-failed-at": "2026-10-01T08:00:00+00:00", "x-motcua-reason": "x"}, None),
        ("november-20", {"x-motcua-failed-at": "2026-11-20T08:00:00+00:00"}, None),
        # No header of ours: the time it was first published (2026-09-01 00:00 UTC) tells.
        ("published-september", {}, int(datetime(2026, 9, 1, tzinfo=timezone.utc).timestamp())),
        ("untold", {}, None),  # nothing tells when: kept
        # 30 days before NOW is 2026-11-07 12:00: one second younger is kept.
        ("just-inside", {"x-motcua-failed-at": "2026-11-07T12:00:01+00:00"}, None),
        ("just-outside", {"x-motcua-failed-at": "2026-11-07T11:59:59+00:00"}, None),
    ])
    assert dlq.purge(url, QUEUE, timedelta(days=30), now=NOW) == dlq.Purged(purged=3, kept=3)
    assert waiting(url) == ["november-20", "untold", "just-inside"]
    assert dlq.purge(url, QUEUE, timedelta(days=30), now=NOW) == dlq.Purged(purged=0, kept=3)


def test_the_purge_command_needs_a_number_of_days(broker, vhost):
    url = broker.url_for(vhost)
    declare_system(url, RETRY_DELAYS)
    put(url, [("long-ago", {"x-motcua-failed-at": "2020-01-01T00:00:00+00:00"}, None)])
    env = {**os.environ, "AMQP_URL": url, "REPORTING_AMQP_URL": url}
    refused = subprocess.run([sys.executable, "-m", "motcua_shared.broker.dlq", "purge", QUEUE],
                             capture_output=True, text=True, env=env, timeout=60)
    assert refused.returncode == 2 and "--older-than" in refused.stderr
    assert waiting(url) == ["long-ago"]
    done = subprocess.run([sys.executable, "-m", "motcua_shared.broker.dlq", "purge", QUEUE, "--older-than", "90"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"purged 1 dead letter(s) of {QUEUE}, kept 0"
    assert waiting(url) == []
