"""The replay command (messaging/replay.py) sends a producer's past events to the restored consumer's
queues only, exactly those its bindings would have given it, through the producer's replay exchange."""
from __future__ import annotations

import pytest

from motcua_shared.broker.catalogue import SUBSCRIPTIONS, replay_exchange, service_topology
from motcua_shared.broker.permissions import service_permission
from motcua_shared.messaging.replay import target_queues, topic_matches


@pytest.mark.parametrize("pattern,key,expected", [
    ("#", "vn.motcua.dossier.received", True),
    ("vn.motcua.dossier.#", "vn.motcua.dossier.received", True),
    ("vn.motcua.dossier.#", "vn.motcua.dossier", True),  # '#' matches zero words too
    ("vn.motcua.dossier.#", "vn.motcua.calendar.changed", False),
    ("vn.*.dossier.received", "vn.motcua.dossier.received", True),
    ("vn.*.received", "vn.motcua.dossier.received", False),
    ("status", "status", True),
    ("status", "statuses", False),
])
def test_topic_matching_is_amqps(pattern, key, expected):
    assert topic_matches(pattern, key) is expected


def test_an_intake_event_goes_only_to_the_named_consumers_queue():
    assert target_queues("intake", "reporting", "intake.events", "vn.motcua.dossier.received") == ["reporting.inbox"]
    assert target_queues("intake", "postal", "intake.events", "vn.motcua.dossier.received") == ["postal.inbox"]
    # Routing listens to dossier, calendar and history events of intake, nothing else.
    assert target_queues("intake", "routing", "intake.events", "vn.motcua.citizen.other") == []
    # What a producer sent elsewhere (routing's step requests to the province) goes to no consumer of ours.
    assert target_queues("routing", "reporting", "routing.steps", "14.126.04222") == []
    with pytest.raises(ValueError):
        target_queues("intake", "nobody", "intake.events", "x")


def test_each_queue_is_bound_to_the_replay_exchange_of_each_producer_it_hears_and_may_read_it():
    for consumer, subscriptions in SUBSCRIPTIONS.items():
        read = service_permission(consumer).read
        for sub in subscriptions:
            producers = {exchange.removesuffix(".events") for exchange, _ in sub.sources if exchange.endswith(".events")}
            for producer in producers:
                assert (replay_exchange(producer), sub.queue) in sub.sources
                assert replay_exchange(producer).replace(".", "\\.") in read
    # The producer declares its replay exchange (direct) and may write to it under its own prefix.
    assert any(e.name == "intake.replay" and e.type == "direct" for e in service_topology("intake", (1.0,)).exchanges)
