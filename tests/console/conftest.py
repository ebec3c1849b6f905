"""The console's fixtures: the console on its own database in front of the five services' real apps,
each on its own database (copies of the migrated templates). No broker: what the services publish stays
in their outboxes; tests about what follows from events use `console_system` with real workers."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from motcua_shared.settings import SERVICES

from motcua_testing.system import System, spec_of

from console.support import Console


@pytest.fixture
def console_databases(database_factory):
    # Six copies per test: made and dropped side by side (each is a file copy the server mostly waits on).
    names = (*SERVICES, "console")
    for name in names:
        database_factory.template(spec_of(name))  # once per session, before any copy is made in parallel
    with ThreadPoolExecutor(len(names)) as pool:
        created = dict(zip(names, pool.map(lambda name: database_factory.create(spec_of(name)), names)))
    yield {name: database_factory.url(db) for name, db in created.items()}
    with ThreadPoolExecutor(len(names)) as pool:
        list(pool.map(database_factory.drop, created.values()))


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
