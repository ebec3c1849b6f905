"""routes.lock_step: an officer's act and a step's answer read the step and lock its route in one
statement. Under READ COMMITTED a statement that waited for a lock re-reads only the rows it locked,
so the step must come back as the transaction it waited for left it, or two officers (or an officer
and a province's answer) could both close it. Real PostgreSQL, two connections, the second one
seen waiting before the first commits."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

from motcua_routing import routes
from motcua_routing.models import route_steps
from motcua_testing.waiting import wait_for
from routing.support import handle, received, routing_app

pytestmark = pytest.mark.timeout(60)
VN = timezone(timedelta(hours=7))
CODE = "H52.04222-260423-0002"


@pytest.fixture
def routing(database_factory, tmp_path):
    yield from routing_app(database_factory, tmp_path)


def open_step(runtime) -> dict:
    data = received(CODE, "1.004873", datetime(2026, 4, 23, 8, 30, tzinfo=VN))
    handle(runtime, DOSSIER_RECEIVED, data, subject=CODE)
    with runtime.engine.connect() as conn:
        return dict(conn.execute(select(route_steps).where(route_steps.c.dossier_code == CODE,
                                                           route_steps.c.status == "assigned")).mappings().one())


def waiting_for_a_lock(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND wait_event_type = 'Lock'")).scalar_one()


def test_a_step_read_after_waiting_for_its_route_is_the_step_as_the_other_transaction_left_it(routing):
    step = open_step(routing)
    seen: dict = {}

    def second_officer():
        with routing.sessions.begin() as session:
            seen["route"], seen["step"] = routes.lock_step(session, step["step_id"])

    with routing.sessions.begin() as first:
        route, locked = routes.lock_step(first, step["step_id"])
        assert (route["dossier_code"], route["id"], locked["id"]) == (CODE, step["route_id"], step["id"])
        assert locked["status"] == "assigned"
        routes.update_step(first, locked["id"], {"status": "completed", "outcome": "approved"})
        other = threading.Thread(target=second_officer)
        other.start()
        wait_for(lambda: waiting_for_a_lock(routing) == 1, what="the second transaction to wait for the lock")
        assert "step" not in seen
    other.join(timeout=10)
    assert not other.is_alive()
    assert (seen["step"]["status"], seen["step"]["outcome"]) == ("completed", "approved")
    assert seen["route"]["dossier_code"] == CODE


def test_an_unknown_step_is_none(routing):
    with routing.sessions.begin() as session:
        assert routes.lock_step(session, "S-unknown") is None


def test_waiting_for_the_route_holds_no_lock_on_the_step_meanwhile(routing):
    """Every change to a route locks its row first, then writes its steps (routes.py): lock_step takes
    the route's lock before the step's, or a transaction holding the route and then updating the step
    would deadlock with it (PostgreSQL would abort one of the two)."""
    step = open_step(routing)
    seen: dict = {}

    def second_officer():
        with routing.sessions.begin() as session:
            seen["route"], seen["step"] = routes.lock_step(session, step["step_id"])

    with routing.sessions.begin() as first:
        routes.lock_route(first, step["route_id"])
        other = threading.Thread(target=second_officer)
        other.start()
        wait_for(lambda: waiting_for_a_lock(routing) == 1, what="the second transaction to wait for the route")
        # The step is not locked by the waiting transaction: this update does not wait (a deadlock, found
        # after deadlock_timeout, would raise here or in the other thread).
        routes.update_step(first, step["id"], {"status": "claimed", "claimed_by": "cv-1"})
    other.join(timeout=10)
    assert not other.is_alive()
    assert (seen["step"]["status"], seen["step"]["claimed_by"]) == ("claimed", "cv-1")
