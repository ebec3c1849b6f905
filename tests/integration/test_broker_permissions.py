"""Least privilege on a real broker (docs/contracts.md §4, docs/reliability.md §5.1): each user can do
what its traffic needs and the broker refuses, with ACCESS_REFUSED (403), everything else.

AMQP 0-9-1 permission checks (docs/reliability.md §5.1): read on a queue for consume/get/purge,
configure for a non-passive declare or a delete, write on an exchange to publish, write on the
queue plus read on the exchange to bind. A refusal closes the channel (ChannelClosedByBroker 403),
so every attempt gets a fresh channel. RabbitMQ 3.10 (the local broker) lets a passive declare
through without any permission; from 4.3.1 it needs at least one, which every user below has on
the objects it passively checks.

The users are created once for the module, the way `make run` creates them (`create_users` with
`broker.admin()`), in a vhost of this module's own that holds the whole system topology (the
function-scoped `vhost` fixture would mean creating the seven users again for every test, each
rabbitmqctl call costing about a second). The definitions test at the end uses its own `vhost`.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pika
import pytest
from pika.exceptions import ChannelClosedByBroker, ConnectionClosedByBroker

from motcua_shared.broker import definitions as defs
from motcua_shared.broker.admin import ManagementApiAdmin, RabbitmqctlAdmin
from motcua_shared.broker.catalogue import (POSTAL_PARTNER, POSTAL_PICKUPS, ROUTING_STEP_RESULTS, ROUTING_STEPS,
                                            consumed_queues, events_exchange, service_topology, system_topology)
from motcua_shared.broker.permissions import (POSTAL_PARTNER_PERMISSION, PROVINCE_ROUTING_PERMISSION, Permission,
                                              all_permissions, password_variable, service_permission, service_user)
from motcua_shared.broker.setup import create_users, declare_system
from motcua_shared.broker.topology import dead_letter_queue, delay_queue, quorum, retry_exchange
from motcua_shared.settings import SERVICES

from motcua_testing.system import RETRY_DELAYS
from motcua_testing.waiting import wait_for

# Users are broker-wide (only permissions are per vhost) and `make run` (tests/integration/
# test_make_run.py) creates the same users with their development passwords, the user names: the
# same values here, passed explicitly, keep suites that run side by side on one broker from
# changing each other's passwords mid-test.
PASSWORDS = {password_variable(p.user): p.user for p in all_permissions()}
PARTNER = POSTAL_PARTNER_PERMISSION.user
PROVINCE = PROVINCE_ROUTING_PERMISSION.user
PROVINCE_QUEUE = "province-routing.steps"

# Imports definitions into the broker and sets its users' passwords, which other tests rely on.
pytestmark = [pytest.mark.timeout(120), pytest.mark.serial]


@dataclass
class Setup:
    broker: object
    vhost: str

    def url(self, user: str | None = None) -> str:
        if user is None:
            return self.broker.url_for(self.vhost)
        return self.broker.url_for(self.vhost, user, PASSWORDS[password_variable(user)])


class Principal:
    """One broker user: a connection kept open, a fresh channel for every attempt."""

    def __init__(self, url: str):
        self.url = url
        self._connection = None

    def channel(self):
        if self._connection is None or self._connection.is_closed:
            params = pika.URLParameters(self.url)
            params.heartbeat = 0
            params.socket_timeout = 5
            self._connection = pika.BlockingConnection(params)
        return self._connection.channel()

    def refused(self, operation) -> bool:
        """True when the broker answers `operation(channel)` with ACCESS_REFUSED."""
        channel = self.channel()
        try:
            operation(channel)
        except (ChannelClosedByBroker, ConnectionClosedByBroker) as exc:
            if exc.reply_code != 403:
                raise
            return True
        if channel.is_open:
            channel.close()
        return False

    def close(self):
        if self._connection is not None and self._connection.is_open:
            self._connection.close()


def publish(exchange: str, routing_key: str, body: bytes = b"{}", mandatory: bool = False):
    """Publish with confirms, so a refusal (or a nack) surfaces here and not on a later call."""
    def operation(channel):
        channel.confirm_delivery()
        channel.basic_publish(exchange, routing_key, body, mandatory=mandatory,
                              properties=pika.BasicProperties(delivery_mode=2, message_id=uuid.uuid4().hex))
    return operation


def consume(queue: str):
    def operation(channel):
        tag = channel.basic_consume(queue, lambda *args: None)
        channel.basic_cancel(tag)
    return operation


def take(principal: Principal, queue: str, body: bytes, timeout: float = 10.0) -> bool:
    """Wait until `body` can be taken from `queue` (acking whatever is taken on the way)."""
    def probe():
        channel = principal.channel()
        try:
            while True:
                method, _props, got = channel.basic_get(queue, auto_ack=True)
                if method is None:
                    return False
                if got == body:
                    return True
        finally:
            channel.close()
    return wait_for(probe, timeout=timeout, what=f"{body!r} in {queue}")


def unique(label: str) -> bytes:
    return json.dumps({"probe": label, "id": uuid.uuid4().hex}).encode()


@pytest.fixture(scope="module")
def setup(broker):
    admin = broker.admin()
    vhost = f"t-perm-{uuid.uuid4().hex[:10]}"
    admin.add_vhost(vhost)
    admin.set_permissions(vhost, Permission(pika.URLParameters(broker.amqp_url).credentials.username,
                                            ".*", ".*", ".*"))
    try:
        declare_system(broker.url_for(vhost), RETRY_DELAYS)
        # one user per thread: each rabbitmqctl call starts an Erlang VM, about a second
        with ThreadPoolExecutor(max_workers=len(all_permissions())) as pool:
            created = {}
            for part in pool.map(lambda p: create_users(admin, vhost, environ=PASSWORDS, permissions=[p]),
                                 all_permissions()):
                created.update(part)
        assert created == {p.user: PASSWORDS[password_variable(p.user)] for p in all_permissions()}
        yield Setup(broker, vhost)
    finally:
        admin.delete_vhost(vhost)


@pytest.fixture(scope="module")
def as_user(setup):
    principals: dict[str | None, Principal] = {}

    def get(user: str | None = None) -> Principal:
        if user not in principals:
            principals[user] = Principal(setup.url(user))
        return principals[user]

    yield get
    for principal in principals.values():
        principal.close()


# -- the postal partner (docs/contracts.md §4.2) ------------------------------------------------------
def test_the_partner_consumes_the_pickups_the_postal_service_publishes(as_user):
    partner, postal = as_user(PARTNER), as_user(service_user("postal"))
    body = unique("pickup")
    assert not postal.refused(publish(POSTAL_PICKUPS, "pickup", body, mandatory=True))
    channel = partner.channel()
    assert channel.queue_declare(POSTAL_PICKUPS, passive=True).method.queue == POSTAL_PICKUPS
    channel.close()
    assert not partner.refused(consume(POSTAL_PICKUPS))
    assert take(partner, POSTAL_PICKUPS, body)


def test_the_partner_reports_status_on_postal_partner_and_the_postal_service_receives_it(as_user):
    partner, postal = as_user(PARTNER), as_user(service_user("postal"))
    body = unique("status")
    # mandatory + confirm: an unroutable report would raise, so the ack proves it reached a queue
    assert not partner.refused(publish(POSTAL_PARTNER, "status", body, mandatory=True))
    queue = next(b.queue for b in service_topology("postal", RETRY_DELAYS).bindings if b.exchange == POSTAL_PARTNER)
    assert queue in consumed_queues("postal")
    assert take(postal, queue, body)


@pytest.mark.parametrize("operation", [
    pytest.param(consume("reporting.inbox"), id="consume another queue"),
    pytest.param(lambda ch: ch.basic_get("postal.inbox"), id="get from the postal service's queue"),
    pytest.param(consume(dead_letter_queue("postal.inbox")), id="consume a dead-letter queue"),
    pytest.param(publish(events_exchange("intake"), "vn.motcua.dossier.received"), id="publish to intake.events"),
    pytest.param(publish("", POSTAL_PICKUPS), id="publish to the default exchange"),
    pytest.param(publish(POSTAL_PICKUPS, "pickup"), id="publish a pickup itself"),
    pytest.param(publish(retry_exchange("postal"), "postal.inbox"), id="publish to the retry exchange"),
    pytest.param(lambda ch: ch.queue_declare("postal-partner.mine", durable=True), id="declare a queue"),
    pytest.param(lambda ch: ch.queue_declare(POSTAL_PICKUPS, durable=True, arguments=quorum(POSTAL_PICKUPS).args),
                 id="redeclare postal.pickups"),
    pytest.param(lambda ch: ch.exchange_declare("postal-partner.mine", "direct", durable=True),
                 id="declare an exchange"),
    pytest.param(lambda ch: ch.exchange_declare(POSTAL_PARTNER, "direct", durable=True),
                 id="redeclare postal.partner"),
    pytest.param(lambda ch: ch.queue_delete(POSTAL_PICKUPS), id="delete postal.pickups"),
    pytest.param(lambda ch: ch.exchange_delete(POSTAL_PARTNER), id="delete postal.partner"),
    pytest.param(lambda ch: ch.queue_bind(POSTAL_PICKUPS, POSTAL_PARTNER, "status"), id="bind"),
    pytest.param(lambda ch: ch.queue_unbind(POSTAL_PICKUPS, POSTAL_PICKUPS, "pickup"), id="unbind"),
    pytest.param(lambda ch: ch.queue_purge("postal.inbox"), id="purge another queue"),
])
def test_the_partner_is_refused_everything_else(as_user, operation):
    assert as_user(PARTNER).refused(operation)


def test_nothing_the_partner_was_refused_happened(as_user):
    admin = as_user()
    for check in (lambda ch: ch.queue_declare("postal-partner.mine", passive=True),
                  lambda ch: ch.exchange_declare("postal-partner.mine", passive=True)):
        channel = admin.channel()
        with pytest.raises(ChannelClosedByBroker) as closed:
            check(channel)
        assert closed.value.reply_code == 404
    channel = admin.channel()
    channel.queue_declare(POSTAL_PICKUPS, passive=True)
    channel.exchange_declare(POSTAL_PARTNER, passive=True)
    channel.close()


def test_read_on_its_queue_also_lets_the_partner_purge_it(as_user):
    """A limit of AMQP 0-9-1, not of our regexes: queue.purge needs the same `read` as consuming,
    so the pinned read `^postal\\.pickups$` lets the partner purge its queue. It can drain it by
    consuming anyway; the postal service keeps every shipment in its database and can re-announce it."""
    assert not as_user(PARTNER).refused(lambda ch: ch.queue_purge(POSTAL_PICKUPS))


# -- each service's own user ---------------------------------------------------------------------
@pytest.mark.parametrize("service", SERVICES)
def test_a_service_declares_its_own_topology_consumes_its_queues_and_dead_letters(as_user, service):
    me = as_user(service_user(service))
    topology = service_topology(service, RETRY_DELAYS)
    channel = me.channel()
    topology.declare(channel)  # what its worker does at every start: a no-op on the system topology
    channel.close()
    for queue in consumed_queues(service):
        assert not me.refused(consume(queue))
        assert not me.refused(consume(dead_letter_queue(queue)))
    assert not me.refused(publish(events_exchange(service), f"vn.motcua.{service}.probed"))
    queue = consumed_queues(service)[0]
    # the consumer's failure paths: straight to the DLQ, or through a delay queue back to the queue
    body = unique(f"{service} dead letter")
    assert not me.refused(publish(retry_exchange(service), dead_letter_queue(queue), body, mandatory=True))
    assert take(me, dead_letter_queue(queue), body)
    body = unique(f"{service} retry")
    assert not me.refused(publish(retry_exchange(service), delay_queue(queue, RETRY_DELAYS[0]), body, mandatory=True))
    assert take(me, queue, body)


def _another(service: str) -> str:
    return SERVICES[(SERVICES.index(service) + 1) % len(SERVICES)]


def _an_exchange_it_does_not_listen_to(service: str) -> str:
    read = service_permission(service).read
    return next(e.name for e in system_topology(RETRY_DELAYS).exchanges if not re.match(read, e.name))


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_is_refused_the_objects_of_the_others(as_user, service):
    me, other = as_user(service_user(service)), _another(service)
    other_queue = consumed_queues(other)[0]
    other_topology = service_topology(other, RETRY_DELAYS)
    own_queue = consumed_queues(service)[0]
    attempts = {
        "consume another service's queue": consume(other_queue),
        "get from another service's DLQ": lambda ch: ch.basic_get(dead_letter_queue(other_queue)),
        "publish to another service's events": publish(events_exchange(other), "vn.motcua.forged.event"),
        "publish to another service's retry exchange": publish(retry_exchange(other), other_queue),
        "publish to the default exchange": publish("", own_queue),
        "declare another service's queue": lambda ch: ch.queue_declare(
            other_queue, durable=True, arguments=other_topology.queue(other_queue).args),
        "declare another service's exchange": lambda ch: ch.exchange_declare(events_exchange(other), "topic",
                                                                            durable=True),
        "delete another service's queue": lambda ch: ch.queue_delete(other_queue),
        "purge another service's queue": lambda ch: ch.queue_purge(other_queue),
        "bind another service's queue": lambda ch: ch.queue_bind(other_queue, events_exchange(service), "#"),
        "bind its queue to an exchange it does not listen to": lambda ch: ch.queue_bind(
            own_queue, _an_exchange_it_does_not_listen_to(service), "#"),
        "declare a queue outside its namespace": lambda ch: ch.queue_declare(f"x-{service}.inbox", durable=True),
    }
    allowed = [what for what, operation in attempts.items() if not me.refused(operation)]
    assert not allowed, f"motcua-{service} was allowed to: {allowed}"


# -- the province's routing service (docs/contracts.md §4.1) ------------------------------------------
def test_the_province_declares_its_queue_on_routing_steps_and_answers_on_step_results(as_user):
    province, routing, admin = as_user(PROVINCE), as_user(service_user("routing")), as_user()
    channel = province.channel()
    channel.queue_declare(PROVINCE_QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
    channel.queue_bind(PROVINCE_QUEUE, ROUTING_STEPS, "step.14.#")
    channel.close()
    step = unique("step")
    assert not routing.refused(publish(ROUTING_STEPS, "step.14.126.04222", step, mandatory=True))
    assert not province.refused(consume(PROVINCE_QUEUE))
    assert take(province, PROVINCE_QUEUE, step)
    # its answer is accepted by the broker and reaches whatever is bound to routing.step-results
    probe = f"t-probe.{uuid.uuid4().hex[:8]}"
    channel = admin.channel()
    channel.queue_declare(probe, auto_delete=True)
    channel.queue_bind(probe, ROUTING_STEP_RESULTS, "#")
    channel.close()
    answer = unique("answer")
    assert not province.refused(publish(ROUTING_STEP_RESULTS, "result.14.126", answer, mandatory=True))
    assert take(admin, probe, answer)


@pytest.mark.parametrize("operation", [
    pytest.param(consume("routing.inbox"), id="consume the routing service's queue"),
    pytest.param(consume(POSTAL_PICKUPS), id="consume postal.pickups"),
    pytest.param(publish(ROUTING_STEPS, "step.14"), id="publish a step"),
    pytest.param(publish(events_exchange("routing"), "vn.motcua.route.forged"), id="publish to routing.events"),
    pytest.param(publish("", "routing.inbox"), id="publish to the default exchange"),
    pytest.param(lambda ch: ch.queue_declare("routing.mine", durable=True), id="declare a routing queue"),
    pytest.param(lambda ch: ch.exchange_declare(ROUTING_STEP_RESULTS, "topic", durable=True),
                 id="redeclare routing.step-results"),
    pytest.param(lambda ch: ch.exchange_delete(ROUTING_STEPS), id="delete routing.steps"),
    pytest.param(lambda ch: ch.queue_delete("routing.inbox"), id="delete the routing service's queue"),
    pytest.param(lambda ch: ch.queue_bind(PROVINCE_QUEUE, events_exchange("intake"), "#"),
                 id="bind its queue to intake.events"),
    pytest.param(lambda ch: ch.queue_bind("routing.inbox", ROUTING_STEPS, "#"), id="bind the routing queue"),
    pytest.param(lambda ch: ch.queue_purge("routing.inbox"), id="purge the routing service's queue"),
])
def test_the_province_is_refused_everything_else(as_user, operation):
    province = as_user(PROVINCE)
    channel = province.channel()  # its own queue exists whatever the test order
    channel.queue_declare(PROVINCE_QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
    channel.close()
    assert province.refused(operation)


# -- the definitions docker compose loads ---------------------------------------------------------
def _import_definitions(broker, document: dict) -> None:
    admin = broker.admin()
    if isinstance(admin, RabbitmqctlAdmin):
        # rabbitmqctl may run as the rabbitmq user: a file it can read (not in the private tmp_path;
        # the Debian wrapper does not pass stdin through, so "-" does not work either)
        with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
            json.dump(document, file)
            file.flush()
            os.chmod(file.name, 0o644)
            result = subprocess.run(["rabbitmqctl", "-q", "import_definitions", file.name], capture_output=True,
                                    text=True, timeout=60)
        assert result.returncode == 0, result.stderr
    elif isinstance(admin, ManagementApiAdmin):
        admin._call("POST", "/api/definitions", document)
    else:
        pytest.skip("no way to import definitions into this broker")


def test_the_compose_definitions_import_and_every_service_redeclares_its_topology_on_them(broker, vhost):
    """The same document docker compose loads at boot (rendered for this test's vhost), imported
    into a real broker: each service then re-declares its topology over it without a 406
    PRECONDITION_FAILED, i.e. the queue arguments in the file equal those the code declares."""
    admin_user = defs.ADMIN_USER
    text = defs.render(defs.dumps(defs.definitions(vhost=vhost)), {**PASSWORDS, defs.ADMIN_PASSWORD_VARIABLE: "x"})
    document = json.loads(text)
    # no broker-wide administrator left behind by a test
    document["users"] = [u for u in document["users"] if u["name"] != admin_user]
    document["permissions"] = [p for p in document["permissions"] if p["user"] != admin_user]
    _import_definitions(broker, document)
    topology = system_topology(defs.default_retry_delays())

    def everything_there():
        connection = pika.BlockingConnection(pika.URLParameters(broker.url_for(vhost)))
        try:
            channel = connection.channel()
            for queue in topology.queues:
                channel.queue_declare(queue.name, passive=True)
            return True
        except ChannelClosedByBroker:
            return False
        finally:
            if connection.is_open:
                connection.close()

    wait_for(everything_there, timeout=30, what="the imported queues")
    for service in SERVICES:
        params = pika.URLParameters(broker.url_for(vhost, service_user(service), PASSWORDS[
            password_variable(service_user(service))]))
        connection = pika.BlockingConnection(params)  # the imported password hash lets it in
        try:
            service_topology(service, defs.default_retry_delays()).declare(connection.channel())
        finally:
            connection.close()
    partner = pika.BlockingConnection(pika.URLParameters(
        broker.url_for(vhost, PARTNER, PASSWORDS[password_variable(PARTNER)])))
    try:
        partner.channel().queue_declare(POSTAL_PICKUPS, passive=True)
    finally:
        partner.close()
    if isinstance(broker.admin(), RabbitmqctlAdmin):  # the policy is valid and bounds the consumer queues only
        listed = subprocess.run(["rabbitmqctl", "-q", "list_queues", "-p", vhost, "name", "policy"],
                                capture_output=True, text=True, timeout=60).stdout
        rows = [(line.split("\t") + [""])[:2] for line in listed.splitlines() if line.strip()]
        policy_of = dict(row for row in rows if row != ["name", "policy"])
        expected = {name: next((p["name"] for p in defs.policies() if re.search(p["pattern"], name)), "")
                    for name in policy_of}
        assert policy_of == expected  # every policy valid and in force where its pattern says
        assert {n for n, p in policy_of.items() if p == "motcua-dead-letter-bounds"} == {
            n for n in policy_of if n.endswith(".dlq")}
