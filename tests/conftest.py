"""Fixtures on real infrastructure. See tests/motcua_testing/infra.py for where they come from."""
from __future__ import annotations

import uuid

import pytest

from motcua_shared.broker.setup import declare_system
from motcua_shared.settings import SERVICES

from motcua_testing.databases import DatabaseFactory
from motcua_testing.infra import find_broker, find_postgres
from motcua_testing.system import RETRY_DELAYS, System, spec_of


@pytest.fixture(scope="session")
def broker():
    found = find_broker()
    yield found
    if found.container is not None:
        found.container.stop()


@pytest.fixture(scope="session")
def database_factory():
    url, container = find_postgres()
    factory = DatabaseFactory(url)
    yield factory
    factory.close()
    if container is not None:
        container.stop()


@pytest.fixture
def vhost(broker):
    """A fresh vhost for one test, so tests never see each other's messages."""
    from motcua_shared.broker.permissions import Permission

    import pika

    name = f"t-{uuid.uuid4().hex[:10]}"
    admin = broker.admin()
    admin.add_vhost(name)
    admin.set_permissions(name, Permission(pika.URLParameters(broker.amqp_url).credentials.username, ".*", ".*", ".*"))
    yield name
    admin.delete_vhost(name)


@pytest.fixture
def databases(database_factory):
    created = {service: database_factory.create(spec_of(service)) for service in SERVICES}
    yield {service: database_factory.url(name) for service, name in created.items()}
    for name in created.values():
        database_factory.drop(name)


@pytest.fixture
def system(broker, vhost, databases, tmp_path):
    amqp_url = broker.url_for(vhost)
    declare_system(amqp_url, RETRY_DELAYS)
    sut = System(amqp_url=amqp_url, vhost=vhost, database_urls=databases, var_dir=tmp_path)
    sut.broker = broker
    yield sut
    sut.close()
