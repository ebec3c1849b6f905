"""Each service's queues are bound to exactly the event types its handler table answers (issues 18, 19).

Built from the real handler tables (each ServiceSpec.handlers(), as the worker builds them) and the
real bindings (the catalogue's, plus a service's settings-dependent ones: routing's local step and
answer queues). Both ways: a type bound to a service's queue that it has no handler for is delivered,
parsed and recorded for nothing; a handled type that no binding brings never arrives, and whatever it
should have done silently never happens.

What a binding brings: on a producer's `<service>.events` exchange, the producer's types that the key
matches, except the pinned ones, which travel only on their partner exchange (docs/contracts.md §4.1, §4.2;
events.documents.PINNED_CHANNELS); on a partner exchange, the types pinned to it, narrowed to what the
queue accepts. Replay and retry exchanges bring back only what those already brought.
"""
from __future__ import annotations

import pytest

from motcua_shared.broker.catalogue import (HANDLED, RETIRED_SOURCES, SUBSCRIPTIONS, accepted_types, consumed_queues,
                                            events_exchange, retired_bindings, service_topology, system_topology)
from motcua_shared.broker.topology import Binding, Topology
from motcua_shared.events import registry
from motcua_shared.events.catalogue.dossier import DOSSIER_REFUSED
from motcua_shared.events.catalogue.route import STEP_CANCELLED
from motcua_shared.events.documents import PINNED_CHANNELS
from motcua_shared.messaging.replay import topic_matches
from motcua_shared.settings import SERVICES, load

from motcua_testing.system import spec_of

# Deliveries no binding can avoid, each with its reason. The step contract routes by unit path, not by
# type, so routing's local step queue also receives the cancellations routing itself published for
# local steps; routing has nothing left to do for them (its own API cancelled the step).
TYPE_BLIND = {("routing.steps.local", STEP_CANCELLED)}


class Wiring:
    """One service's real handler table, bindings, consumed queues and accepted types."""

    def __init__(self, service: str):
        spec = spec_of(service)
        extra, extra_queues = (spec.extra_topology(load(service, spec.settings)) if spec.extra_topology
                               else (Topology(), []))
        self.service = service
        self.handlers = spec.handlers()
        self.queues = consumed_queues(service) + list(extra_queues)
        self.bindings = [b for b in (service_topology(service, ()) + extra).bindings if b.queue in self.queues]
        self.accepts = {**accepted_types(service), **spec.queue_accepts}


def brought_by(binding: Binding, accepts: dict[str, frozenset[str]]) -> set[str]:
    if binding.exchange.endswith(".events"):
        producer = binding.exchange.removesuffix(".events")
        types = {entry.type for entry in registry.all_types()
                 if entry.producer == producer and entry.type not in PINNED_CHANNELS
                 and topic_matches(binding.routing_key, entry.type)}
    else:  # a partner exchange carries its pinned types; replay and retry exchanges none of their own
        types = {event_type for event_type, (exchange, *_rest) in PINNED_CHANNELS.items()
                 if exchange == binding.exchange}
    allowed = accepts.get(binding.queue)
    return types if allowed is None else types & allowed


def disagreements(wiring: Wiring) -> list[str]:
    """Every way the bindings and the handler table of one service disagree, in words."""
    found = []
    delivered: set[str] = set()
    for binding in wiring.bindings:
        types = brought_by(binding, wiring.accepts)
        if binding.exchange.endswith(".events") and not types:
            found.append(f"{binding.queue} is bound to {binding.exchange} {binding.routing_key!r}, "
                         "which brings nothing")
        for event_type in sorted(types):
            if wiring.handlers.get(event_type) is None and (binding.queue, event_type) not in TYPE_BLIND:
                found.append(f"{binding.queue} receives {event_type} ({binding.exchange} {binding.routing_key!r}) "
                             f"but {wiring.service} has no handler for it")
        delivered |= types
    handled = {entry.type for entry in registry.all_types() if wiring.handlers.get(entry.type) is not None}
    if handled == {entry.type for entry in registry.all_types()}:
        # A table answering every type (reporting's: it stores every event) is not a claim to hear the
        # types that pass only between a service and its partner on a pinned exchange.
        handled -= set(PINNED_CHANNELS)
    found += [f"{wiring.service} handles {event_type} but no binding of its queues brings it"
              for event_type in sorted(handled - delivered)]
    return found


@pytest.fixture(scope="module")
def wirings() -> dict[str, Wiring]:
    return {service: Wiring(service) for service in SERVICES}


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_is_bound_to_exactly_the_types_it_handles(wirings, service):
    assert disagreements(wirings[service]) == []


def test_a_handler_added_without_a_binding_is_caught(wirings):
    postal = wirings["postal"]
    postal.handlers = {**postal.handlers, DOSSIER_REFUSED: lambda session, event: None}
    try:
        assert disagreements(postal) == [
            f"postal handles {DOSSIER_REFUSED} but no binding of its queues brings it"]
    finally:
        postal.handlers = spec_of("postal").handlers()


def test_a_binding_without_a_handler_is_caught(wirings):
    postal = wirings["postal"]
    saved = postal.bindings
    postal.bindings = [*saved, Binding(events_exchange("intake"), "postal.inbox", DOSSIER_REFUSED)]
    try:
        assert disagreements(postal) == [
            f"postal.inbox receives {DOSSIER_REFUSED} (intake.events {DOSSIER_REFUSED!r}) "
            "but postal has no handler for it"]
        # The 1.0.0 binding: every dossier event of intake, most of which postal only recorded as ignored.
        postal.bindings = [*saved, Binding(events_exchange("intake"), "postal.inbox", "vn.motcua.dossier.#")]
        dossier_types = {entry.type for entry in registry.all_types() if entry.type.startswith("vn.motcua.dossier.")}
        assert disagreements(postal) == [
            f"postal.inbox receives {t} (intake.events 'vn.motcua.dossier.#') but postal has no handler for it"
            for t in sorted(dossier_types - HANDLED["postal.inbox"])]
    finally:
        postal.bindings = saved


def test_the_catalogue_writes_each_queues_handled_types_and_binds_them_by_name():
    for subs in SUBSCRIPTIONS.values():
        for sub in subs:
            event_sources = {(exchange, key) for exchange, key in sub.sources if exchange.endswith(".events")}
            if sub.queue in HANDLED:
                assert sub.handles == HANDLED[sub.queue]
                assert event_sources == {(events_exchange(registry.get(t).producer), t) for t in sub.handles}
            elif sub.handles is None:  # reporting: `#` on every producer, because it answers every type
                assert {key for _, key in event_sources} == {"#"}
                assert all(spec_of(service).handlers().get(entry.type) is not None
                           for service, ss in SUBSCRIPTIONS.items() if sub in ss for entry in registry.all_types())


def test_retired_bindings_are_on_our_own_queues_and_none_is_declared_again():
    queues = {q.name for q in system_topology(()).queues}
    assert set(RETIRED_SOURCES) <= queues
    retired = retired_bindings()
    assert len(retired) == sum(len(sources) for sources in RETIRED_SOURCES.values())
    assert not set(retired) & set(system_topology(()).bindings)
