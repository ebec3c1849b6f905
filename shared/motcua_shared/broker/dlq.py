"""Looking into and replaying a dead-letter queue, for the operator who fixed the cause.

    python -m motcua_shared.broker.dlq list reporting.inbox
    python -m motcua_shared.broker.dlq replay reporting.inbox [--limit 100]
    python -m motcua_shared.broker.dlq purge reporting.inbox --older-than 90

`list` shows each dead letter's event id, type, attempts and reason without consuming it (the
messages are requeued). `replay` moves them back to the queue through the owning service's retry
exchange with a fresh retry budget; each move is confirmed by the broker before the dead letter
is acknowledged, so a crash mid-replay duplicates at worst (consumers deduplicate), never loses.
`purge` discards the dead letters that failed more than DAYS days ago and keeps the others in their
order: a dead letter is a whole event, with the citizen's contacts in it, and is kept only as long as
someone may still investigate it (docs/personal-data.md). No broker policy expires them on its own:
a `message-ttl` would discard evidence nobody looked at; the operator decides, with `list` first.
The AMQP URL comes from AMQP_URL (or the service's own <SERVICE>_AMQP_URL).
"""
from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pika

from .connection import parameters
from .topology import dead_letter_queue, retry_exchange

_RESET = ("x-motcua-attempts", "x-motcua-reason", "x-motcua-error-type", "x-motcua-failed-at", "x-death",
          "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason", "x-delivery-count")


@dataclass(frozen=True)
class DeadLetter:
    event_id: str | None
    event_type: str | None
    attempts: int
    reason: str


def _owner(queue: str) -> str:
    return queue.split(".", 1)[0]


def inspect(amqp_url: str, queue: str, limit: int = 100) -> list[DeadLetter]:
    connection = pika.BlockingConnection(parameters(amqp_url, name="motcua dlq list", heartbeat=0))
    try:
        channel = connection.channel()
        found = []
        for _ in range(limit):
            method, props, _body = channel.basic_get(dead_letter_queue(queue), auto_ack=False)
            if method is None:
                break
            headers = props.headers or {}
            found.append(DeadLetter(props.message_id, props.type, int(headers.get("x-motcua-attempts", 0)),
                                    str(headers.get("x-motcua-reason", headers.get("x-first-death-reason", "")))))
        return found  # closing the channel requeues everything we looked at
    finally:
        connection.close()


def replay(amqp_url: str, queue: str, limit: int = 1000) -> int:
    connection = pika.BlockingConnection(parameters(amqp_url, name="motcua dlq replay", heartbeat=0))
    try:
        source = connection.channel()
        target = connection.channel()
        target.confirm_delivery()
        moved = 0
        while moved < limit:
            method, props, body = source.basic_get(dead_letter_queue(queue), auto_ack=False)
            if method is None:
                break
            headers = {k: v for k, v in (props.headers or {}).items() if k not in _RESET}
            headers["x-motcua-replayed"] = int(headers.get("x-motcua-replayed", 0)) + 1
            target.basic_publish(retry_exchange(_owner(queue)), queue, body, mandatory=True,
                                 properties=pika.BasicProperties(
                                     content_type=props.content_type, delivery_mode=2, message_id=props.message_id,
                                     correlation_id=props.correlation_id, type=props.type, app_id=props.app_id,
                                     timestamp=props.timestamp, headers=headers))
            source.basic_ack(method.delivery_tag)
            moved += 1
        return moved
    finally:
        connection.close()


def failed_at(props) -> datetime | None:
    """When the message was dead-lettered: our consumer's header, else the broker's own record (x-death),
    else when it was first published; None when nothing says."""
    headers = props.headers or {}
    stamp = headers.get("x-motcua-failed-at")
    if isinstance(stamp, bytes):
        stamp = stamp.decode("utf-8", "replace")
    if isinstance(stamp, str):
        try:
            moment = datetime.fromisoformat(stamp)
        except ValueError:
            moment = None
        if moment is not None:
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    for death in headers.get("x-death") or []:
        moment = death.get("time") if isinstance(death, dict) else None
        if isinstance(moment, datetime):
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    if props.timestamp:
        return datetime.fromtimestamp(props.timestamp, timezone.utc)
    return None


@dataclass(frozen=True)
class Purged:
    purged: int
    kept: int


def purge(amqp_url: str, queue: str, older_than: timedelta, now: datetime | None = None) -> Purged:
    """Discard the dead letters of `queue` that failed before `now - older_than`; keep the rest (and any
    whose time nothing tells) where they were."""
    cutoff = (now or datetime.now(timezone.utc)) - older_than
    connection = pika.BlockingConnection(parameters(amqp_url, name="motcua dlq purge", heartbeat=0))
    try:
        channel = connection.channel()
        # Each message once: those kept stay unacknowledged until the channel closes, then go back in order.
        waiting = channel.queue_declare(dead_letter_queue(queue), passive=True).method.message_count
        purged = kept = 0
        for _ in range(waiting):
            method, props, _body = channel.basic_get(dead_letter_queue(queue), auto_ack=False)
            if method is None:
                break
            moment = failed_at(props)
            if moment is not None and moment < cutoff:
                channel.basic_ack(method.delivery_tag)
                purged += 1
            else:
                kept += 1
        return Purged(purged, kept)
    finally:
        connection.close()


def _days(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1 day")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Inspect, replay or purge a consumer queue's dead letters")
    parser.add_argument("command", choices=("list", "replay", "purge"))
    parser.add_argument("queue", help="the consumer queue, e.g. reporting.inbox (its DLQ is <queue>.dlq)")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--older-than", type=_days, metavar="DAYS",
                        help="purge: discard the dead letters that failed more than DAYS days ago (required)")
    args = parser.parse_args(argv)
    owner = _owner(args.queue).upper()
    url = os.environ.get(f"{owner}_AMQP_URL") or os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
    if args.command == "list":
        for letter in inspect(url, args.queue, args.limit):
            print(f"{letter.event_id}\t{letter.event_type}\tattempts={letter.attempts}\t{letter.reason}")
    elif args.command == "purge":
        if args.older_than is None:
            parser.error("purge needs --older-than DAYS")
        done = purge(url, args.queue, timedelta(days=args.older_than))
        print(f"purged {done.purged} dead letter(s) of {args.queue}, kept {done.kept}")
    else:
        print(f"replayed {replay(url, args.queue, args.limit)} message(s) into {args.queue}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
