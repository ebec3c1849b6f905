"""The `postal_partner` broker user as its real client uses it: it may read postal.pickups and
publish to postal.partner, and the broker refuses (ACCESS_REFUSED) everything else — another queue,
another exchange, declaring, binding or deleting anything (docs/contracts.md §4.2)."""
from __future__ import annotations

import uuid
from types import SimpleNamespace

import pika
import pytest
from pika.exceptions import ChannelClosedByBroker

from motcua_shared.broker.permissions import Permission
from motcua_shared.broker.setup import declare_system
from motcua_shared.events.catalogue.shipment import PICKUP_REQUESTED

from motcua_testing.system import RETRY_DELAYS
from postal.harness import create_partner_user, publish, report

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def broker_with_partner(broker):
    """One vhost with the whole system topology and the partner user, for every test of this module
    (they only try operations: the refused ones change nothing)."""
    admin = broker.admin()
    vhost = f"t-{uuid.uuid4().hex[:10]}"
    admin.add_vhost(vhost)
    admin.set_permissions(vhost, Permission(pika.URLParameters(broker.amqp_url).credentials.username, ".*", ".*", ".*"))
    setup = SimpleNamespace(broker=broker, vhost=vhost, amqp_url=broker.url_for(vhost))
    declare_system(setup.amqp_url, RETRY_DELAYS)
    setup.partner_url = create_partner_user(setup)
    yield setup
    admin.delete_vhost(vhost)


@pytest.fixture
def partner(broker_with_partner):
    connection = pika.BlockingConnection(pika.URLParameters(broker_with_partner.partner_url))
    yield connection
    if connection.is_open:
        connection.close()


def refused(connection, operation) -> bool:
    channel = connection.channel()
    try:
        operation(channel)
    except ChannelClosedByBroker as exc:
        return exc.reply_code == 403 and exc.reply_text.startswith("ACCESS_REFUSED")
    channel.close()
    return False


def confirmed_publish(exchange: str, routing_key: str = "status"):
    def operation(channel):
        channel.confirm_delivery()
        channel.basic_publish(exchange, routing_key, report("SH-1", "delivered").to_json(), mandatory=True)
    return operation


def test_the_partner_reads_its_queue_and_reports_to_its_exchange(broker_with_partner, partner):
    publish(broker_with_partner.amqp_url, "postal.pickups", "pickup", [b'{"type": "%s"}' % PICKUP_REQUESTED.encode()])
    channel = partner.channel()
    channel.queue_declare("postal.pickups", passive=True)
    method, _props, _body = channel.basic_get("postal.pickups", auto_ack=True)
    assert method is not None
    assert not refused(partner, confirmed_publish("postal.partner"))


@pytest.mark.parametrize("name,operation", [
    ("read postal's inbox", lambda ch: ch.basic_get("postal.inbox")),
    ("read its own reports back", lambda ch: ch.basic_get("postal.partner-reports")),
    ("read a dead-letter queue", lambda ch: ch.basic_get("postal.partner-reports.dlq")),
    ("consume another service's queue", lambda ch: ch.basic_consume("intake.inbox", lambda *a: None)),
    ("publish a fake pickup", confirmed_publish("postal.pickups", "pickup")),
    ("publish a domain event", confirmed_publish("postal.events", "vn.motcua.shipment.progressed")),
    ("publish a dossier event", confirmed_publish("intake.events", "vn.motcua.dossier.withdrawn")),
    ("publish through the default exchange", confirmed_publish("", "postal.inbox")),
    ("publish to the retry exchange", confirmed_publish("postal.retry", "postal.partner-reports")),
    ("declare a queue of its own", lambda ch: ch.queue_declare("partner.work", durable=True)),
    ("redeclare its queue", lambda ch: ch.queue_declare("postal.pickups", durable=True,
                                                          arguments={"x-queue-type": "quorum"})),
    ("declare an exchange", lambda ch: ch.exchange_declare("partner.events", "topic", durable=True)),
    ("bind its queue to its exchange", lambda ch: ch.queue_bind("postal.pickups", "postal.partner", "status")),
    ("delete its queue", lambda ch: ch.queue_delete("postal.pickups")),
    ("delete its exchange", lambda ch: ch.exchange_delete("postal.partner")),
    ("delete another queue", lambda ch: ch.queue_delete("postal.inbox")),
])
def test_anything_else_is_refused_by_the_broker(partner, name, operation):
    assert refused(partner, operation), name
