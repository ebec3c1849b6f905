"""Who publishes where and who listens to what: the one place the system's wiring is written down.

Each service publishes its domain events on its own topic exchange `<service>.events` with the event
type as routing key, and consumes through queues it owns. The pinned partner contracts
(docs/contracts.md §4.1, §4.2) add `routing.steps`, `routing.step-results`, `postal.partner` and the
`postal.pickups` queue.

A consumer queue is bound to exactly the event types its service handles (`HANDLED`), each by its own
name on its producer's exchange: an event nobody handles is never delivered, parsed and recorded as
"ignored" (issue 18). Reporting, which stores every event, keeps `#`. tests/unit/test_bindings_match_handlers.py
holds these lists to each service's real handler table, both ways; `RETIRED_SOURCES` lists the bindings
earlier releases made, which `motcua_shared.broker.setup` removes from a running broker.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from ..events import registry
from ..events.catalogue.calendar import CALENDAR_CHANGED
from ..events.catalogue.dossier import (DOSSIER_PROCESSED, DOSSIER_RECEIVED, DOSSIER_REDIRECTED, DOSSIER_REFUSED,
                                        DOSSIER_RETURNED, DOSSIER_SUBMITTED, DOSSIER_SUPPLEMENT_RECEIVED,
                                        DOSSIER_SUPPLEMENT_REQUESTED, DOSSIER_WITHDRAWN)
from ..events.catalogue.handover import ROUTE_HANDED_OVER
from ..events.catalogue.history import HISTORY_IMPORTED
from ..events.catalogue.payment import DOSSIER_PAID, DOSSIER_PAYMENT_REQUESTED
from ..events.catalogue.reference import REFERENCE_CHANGED
from ..events.catalogue.reschedule import DOSSIER_RESCHEDULED
from ..events.catalogue.route import (APOLOGY_ISSUED, ROUTE_COMPLETED, ROUTE_STARTED, ROUTE_SUPPLEMENT_REQUIRED)
from ..events.catalogue.shipment import SHIPMENT_CREATED, SHIPMENT_PROGRESSED, STATUS_REPORTED
from ..events.catalogue.stop import DOSSIER_STOPPED
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
    # Event types the service handles from this queue, each bound by name; None: every type (`#`).
    handles: frozenset[str] | None = None


def handling(queue: str, types: Iterable[str]) -> Subscription:
    """A queue bound to each of `types` by name, on the exchange of the service that produces it."""
    handled = frozenset(types)
    sources = tuple(sorted((events_exchange(registry.get(t).producer), t) for t in handled))
    return Subscription(queue, sources, handles=handled)


# What each service handles from its inbox: the list to change with a handler (add the type here in
# the same commit; the test named in the module docstring fails until both agree).
HANDLED: dict[str, frozenset[str]] = {
    "intake.inbox": frozenset({
        ROUTE_STARTED, ROUTE_SUPPLEMENT_REQUIRED, ROUTE_COMPLETED, ROUTE_HANDED_OVER, APOLOGY_ISSUED,
        SHIPMENT_PROGRESSED}),
    "routing.inbox": frozenset({
        DOSSIER_RECEIVED, DOSSIER_SUPPLEMENT_RECEIVED, DOSSIER_WITHDRAWN, DOSSIER_RESCHEDULED, DOSSIER_STOPPED,
        DOSSIER_PAYMENT_REQUESTED, DOSSIER_PAID, CALENDAR_CHANGED,
        REFERENCE_CHANGED,  # the reference set in use (issue 16, docs/reference-data.md)
        HISTORY_IMPORTED}),  # a bulk import's parts: routing records their routes (issue 17)
    "notification.inbox": frozenset({
        DOSSIER_SUBMITTED, DOSSIER_RECEIVED, DOSSIER_REFUSED, DOSSIER_REDIRECTED, DOSSIER_SUPPLEMENT_REQUESTED,
        DOSSIER_SUPPLEMENT_RECEIVED, DOSSIER_WITHDRAWN, DOSSIER_PROCESSED, DOSSIER_RETURNED, DOSSIER_RESCHEDULED,
        DOSSIER_STOPPED, DOSSIER_PAYMENT_REQUESTED, DOSSIER_PAID, REFERENCE_CHANGED,
        APOLOGY_ISSUED, SHIPMENT_CREATED, SHIPMENT_PROGRESSED}),
    "postal.inbox": frozenset({
        DOSSIER_SUBMITTED, DOSSIER_RECEIVED, DOSSIER_WITHDRAWN, DOSSIER_PROCESSED, DOSSIER_RETURNED,
        REFERENCE_CHANGED}),
}

_SUBSCRIPTIONS: dict[str, tuple[Subscription, ...]] = {
    "intake": (handling("intake.inbox", HANDLED["intake.inbox"]),),
    "routing": (handling("routing.inbox", HANDLED["routing.inbox"]),),
    "notification": (handling("notification.inbox", HANDLED["notification.inbox"]),),
    "postal": (
        handling("postal.inbox", HANDLED["postal.inbox"]),
        # The partner's progress reports (docs/contracts.md §4.2).
        Subscription("postal.partner-reports", ((POSTAL_PARTNER, "status"),),
                     accepts=frozenset({STATUS_REPORTED}), handles=frozenset({STATUS_REPORTED})),
    ),
    "reporting": (
        # Reporting stores every event, present and future (motcua_reporting.handlers): `#` on each producer.
        Subscription("reporting.inbox",
                     tuple((events_exchange(s), "#") for s in ("intake", "routing", "postal", "notification"))),
    ),
}

# Bindings earlier releases declared that the catalogue no longer has. Bindings are additive on
# RabbitMQ (and so is a definitions import at boot): without removing these, an upgraded broker keeps
# delivering every event to these queues. `setup.declare_system` unbinds them after binding the new ones.
RETIRED_SOURCES: dict[str, tuple[tuple[str, str], ...]] = {
    # 1.0.0: whole producers or type prefixes (issue 18 narrowed them to the handled types).
    "intake.inbox": ((events_exchange("routing"), "#"), (events_exchange("postal"), "#")),
    "routing.inbox": tuple((events_exchange("intake"), f"vn.motcua.{prefix}.#")
                           for prefix in ("dossier", "calendar", "reference", "history")),
    "notification.inbox": tuple((events_exchange(s), "#") for s in ("intake", "routing", "postal")),
    "postal.inbox": ((events_exchange("intake"), "vn.motcua.dossier.#"),
                     (events_exchange("intake"), "vn.motcua.reference.#")),
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


def retired_bindings() -> list[Binding]:
    """The bindings of RETIRED_SOURCES that the catalogue does not declare again, to be removed."""
    current = set(system_topology(()).bindings)
    retired = [Binding(exchange, queue, key) for queue, sources in RETIRED_SOURCES.items() for exchange, key in sources]
    return [binding for binding in retired if binding not in current]
