"""Intake's fixtures: most tests need only intake's own database (a copy of the migrated template), not
the whole system; those about consumed events add a fresh vhost and a real intake worker, and publish
what routing and postal would, so they never depend on those services."""
from __future__ import annotations

import pytest

from motcua_shared.broker.setup import declare_system

from motcua_testing.system import RETRY_DELAYS, System, spec_of

from intake.support import IntakeDesk


@pytest.fixture
def intake_database(database_factory):
    name = database_factory.create(spec_of("intake"))
    yield database_factory.url(name)
    database_factory.drop(name)


@pytest.fixture
def desk(intake_database):
    app = IntakeDesk.on(intake_database)
    yield app
    app.close()


@pytest.fixture
def intake_system(broker, vhost, intake_database, tmp_path):
    """Intake alone on a fresh vhost with the whole system's topology, as the `system` fixture builds it."""
    amqp_url = broker.url_for(vhost)
    declare_system(amqp_url, RETRY_DELAYS)
    sut = System(amqp_url=amqp_url, vhost=vhost, database_urls={"intake": intake_database}, var_dir=tmp_path)
    yield sut
    sut.close()
