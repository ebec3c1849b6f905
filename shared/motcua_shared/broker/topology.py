"""Broker topology as code: exchanges, queues and bindings, declared idempotently at start.

The same objects generate the RabbitMQ definitions file that docker compose loads at boot, so the
broker a district runs is exactly the one the code declares.

Every consumer queue comes with its retry and dead-letter plumbing (docs/style.md item 13):

    <queue>                quorum; rejected or over-delivered messages dead-letter to <queue>.dlq
    <queue>.retry.<N>ms    classic, TTL N ms, dead-letters back to <queue>: one per retry delay
    <queue>.dlq            quorum; where an event rests after its last retry, with the reason

all routed through the owning service's direct exchange `<service>.retry`, so no user ever needs
to write to the default exchange (which would let it publish into any queue).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

DELIVERY_LIMIT = 20  # a crash loop on one message ends in the DLQ instead of spinning forever


@dataclass(frozen=True)
class Exchange:
    name: str
    type: str = "topic"


@dataclass(frozen=True)
class Queue:
    name: str
    arguments: tuple[tuple[str, Any], ...] = ()

    @property
    def args(self) -> dict[str, Any]:
        return dict(self.arguments)


@dataclass(frozen=True)
class Binding:
    exchange: str
    queue: str
    routing_key: str


@dataclass
class Topology:
    exchanges: list[Exchange] = field(default_factory=list)
    queues: list[Queue] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)

    def __add__(self, other: "Topology") -> "Topology":
        def merged(a: Iterable, b: Iterable) -> list:
            return list(dict.fromkeys([*a, *b]))

        return Topology(merged(self.exchanges, other.exchanges), merged(self.queues, other.queues),
                        merged(self.bindings, other.bindings))

    def declare(self, channel) -> None:
        """Declare everything on a pika channel; re-declaring an identical object is a no-op."""
        for exchange in self.exchanges:
            channel.exchange_declare(exchange.name, exchange_type=exchange.type, durable=True)
        for queue in self.queues:
            channel.queue_declare(queue.name, durable=True, arguments=queue.args)
        for binding in self.bindings:
            channel.queue_bind(binding.queue, binding.exchange, routing_key=binding.routing_key)

    def queue(self, name: str) -> Queue:
        return next(q for q in self.queues if q.name == name)


def retry_exchange(service: str) -> str:
    return f"{service}.retry"


def dead_letter_queue(queue: str) -> str:
    return f"{queue}.dlq"


def delay_queue(queue: str, delay_seconds: float) -> str:
    return f"{queue}.retry.{round(delay_seconds * 1000)}ms"


def quorum(name: str, **extra: Any) -> Queue:
    return Queue(name, tuple(sorted({"x-queue-type": "quorum", **extra}.items())))


def consumer_queue(service: str, queue: str, sources: Iterable[tuple[str, str]],
                   retry_delays: Iterable[float]) -> Topology:
    """A consumer queue bound to (exchange, routing key) sources, with its delay queues and DLQ."""
    retry = retry_exchange(service)
    dlq = dead_letter_queue(queue)
    main = quorum(queue, **{
        "x-dead-letter-exchange": retry, "x-dead-letter-routing-key": dlq,
        # at-least-once dead-lettering: the DLQ must confirm before the source lets go (RabbitMQ 3.10+)
        "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish",
        "x-delivery-limit": DELIVERY_LIMIT,
    })
    queues = [main, quorum(dlq)]
    bindings = [Binding(retry, queue, queue), Binding(retry, dlq, dlq)]
    for delay in retry_delays:
        name = delay_queue(queue, delay)
        queues.append(Queue(name, tuple(sorted({
            "x-message-ttl": round(delay * 1000), "x-dead-letter-exchange": retry,
            "x-dead-letter-routing-key": queue}.items()))))
        bindings.append(Binding(retry, name, name))
    bindings.extend(Binding(exchange, queue, key) for exchange, key in sources)
    return Topology([Exchange(retry, "direct")], queues, bindings)
