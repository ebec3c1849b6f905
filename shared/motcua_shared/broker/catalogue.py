"""Who publishes where and who listens to what: the one place the system's wiring is written down.

Each service publishes its domain events on its own topic exchange `<service>.events` with the event
type as routing key, and consumes through queues it owns. The pinned partner contracts
(contracts.md §4.1, §4.2) add `routing.steps`, `routing.step-results`, `postal.partner` and the
`postal.pickups` queue.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from ..settings import SERVICES
from .topology import Binding, Exchange, Topology, consumer_queue, quorum

ROUTING_STEPS = "routing.steps"
ROUTING_STEP_RESULTS = "routing.step-results"
POSTAL_PARTNER = "postal.partner"
POSTAL_PICKUPS = "postal.pickups"  # both the exchange postal publishes to and the partner's queue
# Routing's queue for the answers a province writes to routing.step-results (declared by routing at
# start, bound to its reply-to key); named here because the broker's bounds must know it.
ROUTING_STEP_ANSWERS = "routing.step-answers"


def events_exchange(service: str) -> str:
    return f"{service}.events"


def replay_exchange(service: str) -> str:
    """A producer's direct exchange for re-publishing its past events to ONE consumer queue after that
    consumer's database was restored (messaging/replay.py): each queue is bound to it by its own name."""
    return f"{service}.replay"


@dataclass(frozen=True)
class Subscription:
    queue: str
    sources: tuple[tuple[str, str], ...]  # (exchange, binding key)
    # Event types this queue may carry; anything else is dead-lettered unread. Set on every queue a
    # partner can write to, so a partner cannot forge another service's events.
    accepts: frozenset[str] | None = None


_SUBSCRIPTIONS: dict[str, tuple[Subscription, ...]] = {
    "intake": (
        Subscription("intake.inbox", ((events_exchange("routing"), "#"), (events_exchange("postal"), "#"))),
    ),
    "routing": (
        Subscription("routing.inbox", ((events_exchange("intake"), "vn.motcua.dossier.#"),
                                       (events_exchange("intake"), "vn.motcua.calendar.#"),
                                       # The reference set in use (issue 16, docs/reference-data.md).
                                       (events_exchange("intake"), "vn.motcua.reference.#"),
                                       # A bulk import's parts: routing records their routes (issue 17).
                                       (events_exchange("intake"), "vn.motcua.history.#"))),
    ),
    "notification": (
        Subscription("notification.inbox", tuple((events_exchange(s), "#") for s in ("intake", "routing", "postal"))),
    ),
    "postal": (
        Subscription("postal.inbox", ((events_exchange("intake"), "vn.motcua.dossier.#"),
                                      (events_exchange("intake"), "vn.motcua.reference.#"))),
        # The partner's progress reports (contracts.md §4.2).
        Subscription("postal.partner-reports", ((POSTAL_PARTNER, "status"),),
                     accepts=frozenset({"vn.motcua.postal.status.reported"})),
    ),
    "reporting": (
        Subscription("reporting.inbox",
                     tuple((events_exchange(s), "#") for s in ("intake", "routing", "postal", "notification"))),
    ),
}


def _with_replay(sub: Subscription) -> Subscription:
    """Each queue fed by a service's events exchange also takes that service's replays, addressed to it by name."""
    producers = sorted({exchange.removesuffix(".events") for exchange, _ in sub.sources if exchange.endswith(".events")})
    return replace(sub, sources=sub.sources + tuple((replay_exchange(p), sub.queue) for p in producers))


SUBSCRIPTIONS: dict[str, tuple[Subscription, ...]] = {
    service: tuple(_with_replay(sub) for sub in subs) for service, subs in _SUBSCRIPTIONS.items()}

# Exchanges a service owns beyond its `<service>.events`.
EXTRA_EXCHANGES: dict[str, tuple[Exchange, ...]] = {
    "routing": (Exchange(ROUTING_STEPS, "topic"), Exchange(ROUTING_STEP_RESULTS, "topic")),
    "postal": (Exchange(POSTAL_PARTNER, "direct"), Exchange(POSTAL_PICKUPS, "direct")),
}


def _partner_objects(service: str) -> Topology:
    if service != "postal":
        return Topology()
    # The partner only reads this queue; it never declares it (its user has no configure right).
    return Topology(queues=[quorum(POSTAL_PICKUPS)], bindings=[Binding(POSTAL_PICKUPS, POSTAL_PICKUPS, "pickup")])


def service_topology(service: str, retry_delays: Iterable[float]) -> Topology:
    """What `service` declares at start: its exchanges and its queues with their retry plumbing."""
    delays = tuple(retry_delays)
    topology = Topology(exchanges=[Exchange(events_exchange(service)), Exchange(replay_exchange(service), "direct"),
                                   *EXTRA_EXCHANGES.get(service, ())])
    # Source exchanges of other services are theirs to declare (least privilege): the bootstrap step
    # (`motcua-broker setup`, the definitions file) creates the whole system topology before any worker.
    for sub in SUBSCRIPTIONS[service]:
        topology += consumer_queue(service, sub.queue, sub.sources, delays)
    return topology + _partner_objects(service)


def system_topology(retry_delays: Iterable[float]) -> Topology:
    delays = tuple(retry_delays)
    total = Topology()
    for service in SERVICES:
        total += service_topology(service, delays)
    return total


def consumed_queues(service: str) -> list[str]:
    return [sub.queue for sub in SUBSCRIPTIONS[service]]


def accepted_types(service: str) -> dict[str, frozenset[str]]:
    return {sub.queue: sub.accepts for sub in SUBSCRIPTIONS[service] if sub.accepts is not None}
