"""Fixtures of the notification tests: a real SMS gateway and a real SMTP server on local ports;
`notification`, the service of a fresh `system` pointed at them (its worker is started by the test);
and `local`, a factory of the service in the test process on its own fresh database (no broker)."""
from __future__ import annotations

import pytest

from motcua_notification.service import SPEC

from notification.support import Gateway, Local, MailCatcher, Notification


@pytest.fixture
def gateway():
    server = Gateway().start()
    yield server
    server.stop()


@pytest.fixture
def mail():
    server = MailCatcher().start()
    yield server
    server.stop()


@pytest.fixture
def notification(system, gateway, mail):
    return Notification(system, gateway, mail)


@pytest.fixture
def local(database_factory, gateway, mail):
    made: list[tuple[Local, str]] = []

    def make(**env: str) -> Local:
        name = database_factory.create(SPEC)
        service = Local(database_factory.url(name), gateway, mail, **env)
        made.append((service, name))
        return service

    yield make
    for service, name in made:
        service.close()
        database_factory.drop(name)
