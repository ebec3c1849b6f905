"""Upgrading a running broker to narrower bindings (issue 18): `declare_system` leaves exactly the catalogue's.

Bindings are additive on RabbitMQ, and so is a definitions import at boot: a broker that ran 1.0.0 keeps
its `#` bindings after the new code declares the exact ones. The setup step unbinds them. Checked on a
fresh vhost brought to 1.0.0's state, by what the queues actually receive (one event of every type
published as its producer publishes it) and, where rabbitmqctl runs, by the broker's own list of bindings.
"""
from __future__ import annotations

import subprocess

import pika

from motcua_shared.broker.admin import RabbitmqctlAdmin
from motcua_shared.broker.catalogue import SUBSCRIPTIONS, events_exchange, system_topology
from motcua_shared.broker.setup import declare_system
from motcua_shared.broker.topology import Binding, Topology
from motcua_shared.events import registry
from motcua_shared.events.documents import PINNED_CHANNELS

from motcua_testing.system import RETRY_DELAYS

# Release 1.0.0's bindings of the consumer queues to the events exchanges, as its catalogue declared them;
# written out here, not taken from catalogue.RETIRED_SOURCES, so a binding that list forgot is caught.
RELEASE_1_0_0 = [
    *(Binding(events_exchange(p), "intake.inbox", "#") for p in ("routing", "postal")),
    *(Binding("intake.events", "routing.inbox", f"vn.motcua.{prefix}.#")
      for prefix in ("dossier", "calendar", "reference", "history")),
    *(Binding(events_exchange(p), "notification.inbox", "#") for p in ("intake", "routing", "postal")),
    Binding("intake.events", "postal.inbox", "vn.motcua.dossier.#"),
    Binding("intake.events", "postal.inbox", "vn.motcua.reference.#"),
    *(Binding(events_exchange(p), "reporting.inbox", "#") for p in ("intake", "routing", "postal", "notification")),
]


def _bring_to_release_1_0_0(amqp_url: str) -> None:
    current = system_topology(RETRY_DELAYS)
    kept = [b for b in current.bindings if not b.exchange.endswith(".events")]  # retry and replay plumbing
    old = Topology(current.exchanges, current.queues, kept + RELEASE_1_0_0)
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        old.declare(connection.channel())
    finally:
        connection.close()


def _received_per_queue(amqp_url: str) -> dict[str, set[str]]:
    """Publish one message of every type on its producer's exchange; the routing keys each queue got."""
    queues = [sub.queue for subs in SUBSCRIPTIONS.values() for sub in subs]
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()  # once confirmed, the message is in every queue it was routed to
        for entry in registry.all_types():
            if entry.type not in PINNED_CHANNELS:
                channel.basic_publish(events_exchange(entry.producer), entry.type, entry.type.encode(),
                                      pika.BasicProperties(delivery_mode=2))
        received: dict[str, set[str]] = {}
        for queue in queues:
            keys = received.setdefault(queue, set())
            while True:
                method, _properties, _body = channel.basic_get(queue, auto_ack=True)
                if method is None:
                    break
                keys.add(method.routing_key)
        return received
    finally:
        connection.close()


def _expected_per_queue() -> dict[str, set[str]]:
    every = {entry.type for entry in registry.all_types() if entry.type not in PINNED_CHANNELS}
    return {sub.queue: set(every if sub.handles is None else sub.handles) - set(PINNED_CHANNELS)
            for subs in SUBSCRIPTIONS.values() for sub in subs}


def _listed_bindings(vhost: str) -> set[Binding]:
    listed = subprocess.run(["rabbitmqctl", "-q", "list_bindings", "-p", vhost, "source_name", "destination_name",
                             "routing_key"], capture_output=True, text=True, timeout=60, check=True).stdout
    rows = [line.split("\t") for line in listed.splitlines() if line.strip()]
    # The default exchange's implicit binding of every queue to its own name is not ours to keep or remove.
    return {Binding(source, queue, key) for source, queue, key in rows
            if source and (source, queue, key) != ("source_name", "destination_name", "routing_key")}


def test_setup_on_a_1_0_0_broker_leaves_exactly_the_catalogues_bindings(broker, vhost):
    url = broker.url_for(vhost)
    _bring_to_release_1_0_0(url)
    before = _received_per_queue(url)
    assert "vn.motcua.dossier.refused" in before["postal.inbox"]  # the old bindings are really in place

    declare_system(url, RETRY_DELAYS)

    assert _received_per_queue(url) == _expected_per_queue()
    if isinstance(broker.admin(), RabbitmqctlAdmin):
        assert _listed_bindings(vhost) == set(system_topology(RETRY_DELAYS).bindings)
    declare_system(url, RETRY_DELAYS)  # a second run (a restart of the setup step) changes nothing
    assert _received_per_queue(url) == _expected_per_queue()


def test_setup_on_a_fresh_broker_declares_the_same_bindings(broker, vhost):
    url = broker.url_for(vhost)
    declare_system(url, RETRY_DELAYS)
    assert _received_per_queue(url) == _expected_per_queue()
    if isinstance(broker.admin(), RabbitmqctlAdmin):
        assert _listed_bindings(vhost) == set(system_topology(RETRY_DELAYS).bindings)
