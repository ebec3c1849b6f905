"""The database goes away while a message is at the provider: the outcome is recorded when it comes
back, and the message is not sent a second time (the fault suite's postgres_stop once found a second
SMS and e-mail when the sender gave up recording and let its claim lapse)."""
from __future__ import annotations

import threading
import time

import pytest

from motcua_notification.service import SPEC
from motcua_testing.databases import DatabaseFactory
from motcua_testing.infra import unavailable
from motcua_testing.private_infra import PrivatePostgres
from notification.support import EMAIL, Events, Local

OUTAGE_SECONDS = 3.0


@pytest.fixture
def private_postgres():
    if not PrivatePostgres.available():
        unavailable("The PostgreSQL server binaries this test starts its own cluster from")
    server = PrivatePostgres().start()
    yield server
    server.shutdown()


def test_an_outcome_waits_for_the_database_instead_of_a_second_send(private_postgres, gateway, mail):
    factory = DatabaseFactory(private_postgres.url)
    service = Local(factory.url(factory.create(SPEC)), gateway, mail)
    try:
        ev = Events()
        service.handle(ev.received())
        outage = threading.Event()

        def stop_the_database_for_a_while(_body: dict) -> None:
            if outage.is_set():
                return
            outage.set()
            private_postgres.stop("fast")  # the provider has the message; its outcome cannot be written
            threading.Thread(target=lambda: (time.sleep(OUTAGE_SECONDS), private_postgres.start()),
                             daemon=True).start()

        gateway.on_request = stop_the_database_for_a_while
        started = time.monotonic()
        service.deliver()
        assert outage.is_set() and time.monotonic() - started >= OUTAGE_SECONDS  # it did wait for the database
        assert service.deliver() == 0  # nothing left claimable: every outcome is recorded

        rows = service.rows(ev.code)
        assert {row["channel"]: row["status"] for row in rows} == {"sms": "delivered", "email": "delivered"}
        assert len(gateway.accepted) == 1 and gateway.accepted[0]["reference"] == \
            next(row["id"] for row in rows if row["channel"] == "sms")
        assert len(mail.to(EMAIL)) == 1
    finally:
        service.close()
        factory.close()
