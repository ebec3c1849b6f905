"""The generated history through the real broker into the real reporting worker: published shuffled
(results before receptions, apologies before anything), then all over again in order with the same
event ids. The numbers are the known answers both times and nothing is stored or counted twice."""
from __future__ import annotations

import pika

from motcua_shared.broker.catalogue import events_exchange
from motcua_shared.events.envelope import CONTENT_TYPE

from motcua_testing.pipeline import dead_letters
from motcua_testing.waiting import wait_for
from reporting import history

MARCH = {"unit": "126", "from": "2019-03-01", "to": "2019-03-31"}


def publish(amqp_url: str, events) -> None:
    """As intake's and routing's relays do: to their events exchange, routing key = type, confirmed."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for event in events:
            producer = event.source.rsplit("/", 1)[-1]
            channel.basic_publish(
                events_exchange(producer), event.type, event.to_json(), mandatory=True,
                properties=pika.BasicProperties(content_type=CONTENT_TYPE, delivery_mode=pika.DeliveryMode.Persistent,
                                                message_id=event.id, correlation_id=event.correlationid,
                                                type=event.type, app_id=event.source))
    finally:
        connection.close()


def test_a_history_fed_shuffled_then_again_in_order_gives_the_known_answers(system, shuffled):
    system.start_workers("reporting", extra_env={"LOG_LEVEL": "DEBUG"})  # to see each duplicate skipped
    reporting = system.client("reporting")
    leader = system.auth("leader", unit="126")
    events = history.events()

    def stored() -> int:
        return reporting.get("/api/v1/reports/event-counts", headers=leader).get_json()["stored"]

    def summary() -> dict:
        return reporting.get("/api/v1/reports/summary", query_string=MARCH, headers=leader).get_json()

    publish(system.amqp_url, shuffled(events, seed=1))
    wait_for(lambda: stored() == len(events), what="reporting to store the whole history")
    assert summary() == history.EXPECTED
    counters = system.rows("reporting", "counters")
    projection = sorted(system.rows("reporting", "dossiers"), key=lambda row: row["code"])

    publish(system.amqp_url, events)  # the whole history again, in order, with the same ids
    wait_for(lambda: system.processes.log("reporting-worker").count('"outcome": "duplicate"') == len(events),
             what="the worker to skip every duplicate")
    assert stored() == len(events)
    assert system.rows("reporting", "counters") == counters
    assert sorted(system.rows("reporting", "dossiers"), key=lambda row: row["code"]) == projection
    assert summary() == history.EXPECTED
    assert dead_letters(system.amqp_url)["reporting.inbox.dlq"] == 0
