"""The statements an officer's acts cost routing's database (issue 18): each one is a round trip to
PostgreSQL, which was a fifth of the machine's CPU under load. Counted on the real database through
the API, so that a change that reads a row again or splits a statement shows here. The counts are
what the code does today, worked out in the comments; a change that needs more must say why."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select

from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

from motcua_routing.models import route_steps
from motcua_testing.system import System
from routing.support import handle as support_handle, received, routing_app

pytestmark = pytest.mark.timeout(60)
VN = timezone(timedelta(hours=7))
CODE = "H52.04222-260423-0003"
OFFICER = {"Authorization": f"Bearer {System.token('specialist', unit='04222', sub='cv-1')}"}


@pytest.fixture
def routing(database_factory, tmp_path):
    for runtime in routing_app(database_factory, tmp_path):
        statements: list[str] = []
        event.listen(runtime.engine, "before_cursor_execute",
                     lambda _conn, _cursor, sql, *_rest: statements.append(sql))
        runtime.statements = statements
        yield runtime


def handle(runtime, event_type: str, data: dict) -> None:
    support_handle(runtime, event_type, data, subject=CODE)


def localise_open_step(runtime) -> str:
    """The open step's step.assigned given to the local handler: the step enters the work inbox."""
    table = runtime.spec.outbox_table
    with runtime.engine.connect() as conn:
        body = conn.execute(select(table.c.body).where(table.c.event_type == "vn.motcua.routing.step.assigned")
                            .order_by(table.c.id.desc()).limit(1)).scalar_one()
    assigned = json.loads(body)
    handle(runtime, assigned["type"], assigned["data"])
    return assigned["data"]["step_id"]


def counted(runtime, act) -> tuple[object, list[str]]:
    """What `act` returned, and the statements it ran. Caches refilled on a timer are not the act's: the
    check for a newer reference set (MOTCUA_REFERENCE_REFRESH_SECONDS) and the province's calendar
    (province_calendar.DEFAULT_CACHE_SECONDS), which a slow machine may refill in the middle of the test."""
    runtime.statements.clear()
    answer = act()
    return answer, [sql for sql in runtime.statements
                    if "FROM reference_sets" not in sql and "FROM calendar_overrides" not in sql]


def test_claim_complete_and_the_inbox_cost_one_statement_per_row_they_change(routing):
    handle(routing, DOSSIER_RECEIVED, received(CODE, "1.004873", datetime(2026, 4, 23, 8, 30, tzinfo=VN)))
    client = routing.test_client()

    # Arriving in the inbox: the step and its route locked and read at once, then the step marked.
    step_id, statements = counted(routing, lambda: localise_open_step(routing))
    assert len([s for s in statements if "route_steps" in s]) == 2, statements

    # The inbox: the page and its total in one statement.
    inbox, statements = counted(routing, lambda: client.get("/api/v1/steps", headers=OFFICER))
    assert inbox.status_code == 200 and inbox.get_json()["total"] == 1
    assert len(statements) == 1, statements

    # Claiming: lock and read, the step's update, its control log row.
    claimed, statements = counted(routing, lambda: client.post(f"/api/v1/steps/{step_id}/claim", headers=OFFICER))
    assert claimed.status_code == 200 and claimed.get_json()["status"] == "claimed"
    assert len(statements) == 3, statements

    # Completing with a next step: lock and read; the step's update (with the answer's id); the next
    # position; its assignment (with who may answer it); its step.assigned; its control log row; the answer.
    done, statements = counted(routing, lambda: client.post(f"/api/v1/steps/{step_id}/complete", headers=OFFICER,
                                                            json={"outcome": "approved"}))
    assert done.status_code == 200 and done.get_json()["status"] == "completed", done.get_json()
    assert len(statements) == 7, statements

    # What the response said is what the database holds.
    with routing.engine.connect() as conn:
        row = conn.execute(select(route_steps).where(route_steps.c.step_id == step_id)).mappings().one()
    body = done.get_json()
    assert (row["status"], row["outcome"], row["handled_by"]) == (body["status"], body["outcome"], body["handled_by"])
    assert row["completed_at"] == datetime.fromisoformat(body["completed_at"])
    assert row["answer_event_id"] is not None
