"""Re-publish a producer's past events to ONE consumer whose database was restored to an earlier point.

A consumer restored to time T has lost the inbox rows and effects of every event it handled after T;
the broker acknowledged those deliveries long ago and holds them no more. The producers still do: the
outbox keeps every sent event for OUTBOX_RETENTION_HOURS (relay.py purges after that). Replaying
re-publishes, from one producer's outbox, the events created since `--since` that the consumer's
queues are bound to receive, through the producer's `<producer>.replay` exchange with the queue's own
name as routing key (broker/catalogue.py binds every consumer queue so), so no other consumer sees
them. The consumer's inbox then skips every event it still has and handles the ones it lost: each
effect happens once.

    python -m motcua_intake replay --since 2026-12-07T08:00:00+07:00 --to reporting

The same command for every producer of that consumer (docs/backups.md lists them). Publisher confirms
with `mandatory`: the command fails, naming the count, if any event was not taken by the queue.
"""
from __future__ import annotations

import argparse
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pika
from pika.exceptions import NackError, UnroutableError
from sqlalchemy import select

from ..broker.catalogue import SUBSCRIPTIONS, replay_exchange
from ..broker.connection import parameters
from ..events import CONTENT_TYPE

log = logging.getLogger("motcua.replay")

REPLAY_HEADER = "x-motcua-replayed-by"


def topic_matches(pattern: str, key: str) -> bool:
    """AMQP topic matching: `*` is one word, `#` zero or more; a direct binding is an exact key."""
    words = key.split(".")
    parts = pattern.split(".")

    def match(i: int, j: int) -> bool:
        if i == len(parts):
            return j == len(words)
        if parts[i] == "#":
            return any(match(i + 1, k) for k in range(j, len(words) + 1))
        return j < len(words) and parts[i] in ("*", words[j]) and match(i + 1, j + 1)

    return match(0, 0)


def target_queues(producer: str, consumer: str, exchange: str, routing_key: str) -> list[str]:
    """The consumer's queues an event published by `producer` on (exchange, routing key) reached."""
    if consumer not in SUBSCRIPTIONS:
        raise ValueError(f"unknown consumer {consumer!r}")
    return [sub.queue for sub in SUBSCRIPTIONS[consumer]
            if any(source == exchange and topic_matches(key, routing_key) for source, key in sub.sources)
            and any(source == replay_exchange(producer) for source, _ in sub.sources)]


@dataclass
class ReplayReport:
    scanned: int = 0
    published: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.published.values())


def replay(runtime, *, since: datetime, consumer: str, until: datetime | None = None,
           amqp_url: str | None = None, dry_run: bool = False, batch: int = 500) -> ReplayReport:
    """Publish `runtime`'s outbox events created in [since, until) that reach `consumer`'s queues."""
    producer = runtime.spec.name
    table = runtime.spec.outbox_table
    report = ReplayReport()
    query = select(table.c.id, table.c.event_id, table.c.event_type, table.c.exchange, table.c.routing_key,
                   table.c.body, table.c.correlation_id).where(table.c.created_at >= since).order_by(table.c.id)
    if until is not None:
        query = query.where(table.c.created_at < until)
    connection = channel = None
    if not dry_run:
        connection = pika.BlockingConnection(parameters(amqp_url or runtime.settings.amqp, name=f"{producer} replay"))
        channel = connection.channel()
        channel.confirm_delivery()  # basic_publish raises on a nack or an unroutable (mandatory) message
    try:
        last_id = 0
        while True:
            with runtime.engine.connect() as conn:
                rows = conn.execute(query.where(table.c.id > last_id).limit(batch)).all()
            if not rows:
                break
            for row in rows:
                last_id = row.id
                report.scanned += 1
                for queue in target_queues(producer, consumer, row.exchange, row.routing_key):
                    if channel is not None:
                        channel.basic_publish(
                            replay_exchange(producer), queue, bytes(row.body), mandatory=True,
                            properties=pika.BasicProperties(
                                content_type=CONTENT_TYPE, delivery_mode=pika.DeliveryMode.Persistent,
                                message_id=row.event_id, correlation_id=row.correlation_id, type=row.event_type,
                                app_id=f"/motcua/{producer}", headers={REPLAY_HEADER: producer}))
                    report.published[queue] = report.published.get(queue, 0) + 1
    finally:
        if connection is not None and connection.is_open:
            connection.close()
    log.info("replay_done", extra={"producer": producer, "consumer": consumer, "scanned": report.scanned,
                                   "published": report.total, "dry_run": dry_run})
    return report


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"give the time zone too, e.g. {text}+07:00")
    return moment


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", required=True, type=_moment,
                        help="the restore point minus a margin (ISO 8601 with its zone, e.g. 2026-12-07T08:00:00+07:00)")
    parser.add_argument("--to", required=True, choices=sorted(SUBSCRIPTIONS), dest="consumer",
                        help="the service whose database was restored")
    parser.add_argument("--until", type=_moment, help="stop before this moment (default: everything since)")
    parser.add_argument("--dry-run", action="store_true", help="count what would be published, publish nothing")
    parser.add_argument("--anyway", action="store_true",
                        help="replay even when --since is older than OUTBOX_RETENTION_HOURS (some events are gone)")


def command(runtime, args: argparse.Namespace) -> int:
    """The `replay` command of every service (cli.py)."""
    purged_before = datetime.now(timezone.utc) - timedelta(hours=runtime.settings.outbox_retention_hours)
    if args.since < purged_before and not args.anyway:
        # The relay purges sent rows older than the retention: events between --since and then may be
        # gone, and a replay would look complete while it is not.
        print(f"{runtime.spec.name}: --since is older than OUTBOX_RETENTION_HOURS "
              f"({runtime.settings.outbox_retention_hours:g} h): events before {purged_before.isoformat()} may "
              f"have been purged and cannot be replayed (docs/backups.md); --anyway replays what is left")
        return 3
    try:
        report = replay(runtime, since=args.since, consumer=args.consumer, until=args.until, dry_run=args.dry_run)
    except (UnroutableError, NackError) as exc:
        # Its queue or binding is missing (the consumer's worker declares them: start it once) or the
        # broker refused; what was confirmed before stays delivered, and running again is harmless.
        print(f"{runtime.spec.name}: replay to {args.consumer} stopped: the broker did not take an event "
              f"({type(exc).__name__}); start {args.consumer}'s worker once, then run it again")
        return 1
    verb = "would replay" if args.dry_run else "replayed"
    queues = ", ".join(f"{queue} {count}" for queue, count in sorted(report.published.items())) or "no queue"
    print(f"{runtime.spec.name}: {verb} {report.total} of {report.scanned} events since "
          f"{args.since.isoformat()} to {args.consumer} ({queues})")
    return 0
