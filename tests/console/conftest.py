"""The console's fixtures: the console on its own database in front of the five services' real apps,
each on its own database (copies of the migrated templates). No broker: what the services publish stays
in their outboxes; tests about what follows from events use `console_system` with real workers."""
from __future__ import annotations

import pytest

from motcua_shared.settings import SERVICES

from motcua_testing.system import System, spec_of

from console.support import Console


@pytest.fixture
def console_databases(database_factory):
    created = {name: database_factory.create(spec_of(name)) for name in (*SERVICES, "console")}
    yield {name: database_factory.url(db) for name, db in created.items()}
    for db in created.values():
        database_factory.drop(db)


@pytest.fixture
def console(console_databases, tmp_path):
    """The console with every service mounted in process, no broker."""
    services = {k: v for k, v in console_databases.items() if k != "console"}
    sut = System(amqp_url="amqp://guest:guest@127.0.0.1:1/%2F", vhost="", database_urls=services, var_dir=tmp_path)
    built = Console.build(console_databases["console"], {name: sut.app(name) for name in SERVICES})
    yield built
    sut.close()


@pytest.fixture
def console_system(system, database_factory):
    """The console in front of a whole running system: the services' apps in process on the `system`
    fixture's databases and vhost, with every worker running, so events flow (routing opens steps,
    notification sends, reporting counts)."""
    name = database_factory.create(spec_of("console"))
    system.start_workers()
    built = Console.build(database_factory.url(name), {service: system.app(service) for service in SERVICES})
    built.system = system
    yield built
    database_factory.drop(name)
