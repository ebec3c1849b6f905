"""Deduplication is per consumer and queue (issue 15). With one inbox key across a service's queues, an
event id reused on one queue (a partner chooses its ids) was taken for a duplicate of another
queue's event and that event was never acted on. Now the same id on two queues is handled on both,
a redelivery on the same queue is still a duplicate, and the retention purge still clears old rows.
"""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pika
import pytest
from alembic import command
from sqlalchemy import create_engine, insert, text

from motcua_shared import migrations

from motcua_shared.events import new_event, registry
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
from motcua_shared.messaging import ConsumerRunner, current_queue

from motcua_testing.system import RETRY_DELAYS, spec_of
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(90)
# Two of routing's three queues: its main one, and the local step queue (routing.steps).
MAIN, OTHER = "routing.inbox", "routing.steps.local"


def send(amqp_url: str, queue: str, event) -> None:
    """Straight into `queue` (the default exchange), with confirms, as its publisher would deliver it."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish("", queue, event.to_json(), mandatory=True, properties=pika.BasicProperties(
            content_type="application/cloudevents+json", delivery_mode=2, message_id=event.id))
    finally:
        connection.close()


def received(code: str):
    return new_event(DOSSIER_RECEIVED, source="/motcua/intake", subject=code,
                     data={**registry.get(DOSSIER_RECEIVED).example, "code": code})


def test_the_same_event_id_on_two_queues_is_handled_on_both_and_a_redelivery_is_still_a_duplicate(system):
    rt = system.runtime("routing")
    inbox = rt.spec.inbox_table
    # Rows the retention purge must clear (older than 30 days) and keep, written before the worker starts:
    # the purge runs when it starts.
    old, recent = datetime.now(timezone.utc) - timedelta(days=31), datetime.now(timezone.utc) - timedelta(days=29)
    with rt.sessions.begin() as session:
        session.execute(insert(inbox), [
            {"consumer": "routing", "queue": MAIN, "event_id": str(uuid.uuid4()), "event_type": DOSSIER_RECEIVED,
             "processed_at": at} for at in (old, recent)])
    handled: list[tuple[str, str]] = []
    runner = ConsumerRunner(consumer="routing", service="routing", amqp_url=system.amqp_url, sessions=rt.sessions,
                            inbox=inbox, queues=rt.queues,
                            handlers={DOSSIER_RECEIVED: lambda session, event: handled.append(
                                (current_queue(), event.data["code"]))},
                            topology=rt.topology, retry_delays=RETRY_DELAYS, prefetch=20, max_backoff=1,
                            inbox_retention=timedelta(days=30))
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: system.count("routing", "inbox") == 1, what="the retention purge of the old row")
        event = received("H52.04222-190315-0001")
        send(system.amqp_url, MAIN, event)
        send(system.amqp_url, OTHER, event)  # the same id on another queue: another delivery to act on
        wait_for(lambda: len(handled) == 2, what="the event handled on both queues")
        assert sorted(handled) == [(MAIN, event.data["code"]), (OTHER, event.data["code"])]

        send(system.amqp_url, MAIN, event)  # redelivered on the same queue: a duplicate
        after = received("H52.04222-190315-0002")
        send(system.amqp_url, MAIN, after)  # behind it on the same queue: once it is handled, so is the repeat
        wait_for(lambda: len(handled) == 3, what="the event behind the repeat")
    finally:
        runner.stop()
        thread.join(timeout=10)
    assert handled[2:] == [(MAIN, after.data["code"])]
    rows = {(row["queue"], row["event_id"]) for row in system.rows("routing", "inbox")}
    assert {(MAIN, event.id), (OTHER, event.id), (MAIN, after.id)} <= rows and len(rows) == 4  # and the recent row


def test_the_upgrade_keeps_each_existing_inbox_row_on_the_queue_it_was_consumed_from(database_factory):
    """Routing consumes three queues; the rows written before the key had a queue are given theirs by
    type: step answers came only on routing.step-answers, steps only on routing.steps.local,
    everything else on routing.inbox. A row is kept, so its event is still a duplicate there."""
    name = database_factory.create_empty()
    url = database_factory.url(name)
    config = migrations.alembic_config(spec_of("routing"), url)
    command.upgrade(config, "0005")  # the last revision with one key across the queues
    engine = create_engine(url)
    try:
        kept = {"11111111-1111-4111-8111-111111111111": "vn.motcua.dossier.received",
                "22222222-2222-4222-8222-222222222222": "vn.motcua.routing.step.completed",
                "33333333-3333-4333-8333-333333333333": "vn.motcua.routing.step.assigned",
                "44444444-4444-4444-8444-444444444444": "vn.motcua.routing.step.cancelled",
                "55555555-5555-4555-8555-555555555555": "vn.motcua.calendar.changed"}
        with engine.begin() as conn:
            for event_id, event_type in kept.items():
                conn.execute(text("INSERT INTO inbox (consumer, event_id, event_type, processed_at) "
                                  "VALUES ('routing', :id, :type, now())"), {"id": event_id, "type": event_type})
        command.upgrade(config, "head")
        with engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT event_id, queue FROM inbox")).all())
    finally:
        engine.dispose()
        database_factory.drop(name)
    assert rows == {"11111111-1111-4111-8111-111111111111": "routing.inbox",
                    "22222222-2222-4222-8222-222222222222": "routing.step-answers",
                    "33333333-3333-4333-8333-333333333333": "routing.steps.local",
                    "44444444-4444-4444-8444-444444444444": "routing.steps.local",
                    "55555555-5555-4555-8555-555555555555": "routing.inbox"}
