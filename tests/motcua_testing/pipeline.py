"""Helpers for the backbone tests: feed events through intake's outbox, count what each consumer did."""
from __future__ import annotations

import copy

import pika
import pika.exceptions

from motcua_shared.broker.catalogue import ROUTING_STEP_ANSWERS, SUBSCRIPTIONS
from motcua_shared.broker.topology import dead_letter_queue
from motcua_shared.events import new_event, registry
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

# One row per dossier.received in each consumer's own table (each dossier code is distinct here).
# These prove nothing was lost; reporting's incremented counter and the inbox prove nothing ran twice.
EFFECTS = {"routing": "dossier_routes", "notification": "recipients", "postal": "dossier_returns"}


def received_event(code: str):
    data = copy.deepcopy(registry.get(DOSSIER_RECEIVED).example)
    data["code"] = code
    return new_event(DOSSIER_RECEIVED, source="/motcua/intake", subject=code, data=data)


def enqueue(system, codes) -> list:
    """Write dossier.received events into intake's outbox in one transaction, as intake itself does."""
    rt = system.runtime("intake")
    events = [received_event(code) for code in codes]
    with rt.sessions.begin() as session:
        for event in events:
            rt.outbox.add(session, event)
    return events


def effects(system) -> dict[str, int]:
    counts = {service: system.count(service, table) for service, table in EFFECTS.items()}
    counters = {row["name"]: row["value"] for row in system.rows("reporting", "counters")}
    counts["reporting"] = counters.get(DOSSIER_RECEIVED, 0)
    return counts


def dead_letters(amqp_url: str) -> dict[str, int]:
    """Messages in each DLQ: the system's consumer queues', and routing's answers queue's once routing
    has declared it (at its start)."""
    queues = [sub.queue for subs in SUBSCRIPTIONS.values() for sub in subs] + [ROUTING_STEP_ANSWERS]
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    counts = {}
    try:
        for queue in queues:
            channel = connection.channel()  # a passive declare of a missing queue closes its channel
            try:
                counts[dead_letter_queue(queue)] = channel.queue_declare(
                    dead_letter_queue(queue), passive=True).method.message_count
            except pika.exceptions.ChannelClosedByBroker:
                if queue != ROUTING_STEP_ANSWERS:
                    raise
                continue
            channel.close()
        return counts
    finally:
        connection.close()


def unsent(system, service: str = "intake") -> int:
    return system.runtime(service).outbox_store("test").lag()[0]
