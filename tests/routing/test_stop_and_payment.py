"""Intake's lifecycle news a route follows (issue 14), through routing's own handlers on its own
database: the agency's stop calls off the open steps like a withdrawal; a payment recorded moves the
route's appointment and its open step by the working time waited; an officer's second supplement
request needs its legal ground.

1.004873 (3 working days) received Thu 23/04/2026 08:30 at Chiềng Khương: due Wed 29/04 08:30 (Fri 24,
Tue 28, Wed 29; Mon 27/4 is the Hùng Kings day off). Payment asked Fri 24/04 09:00 and paid Tue 28/04
09:00: 8 working hours waited (6 on Friday, 2 on Tuesday), so the appointment moves one working day.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from motcua_shared.events import isoformat
from motcua_shared.events.catalogue.payment import DOSSIER_PAID, DOSSIER_PAYMENT_REQUESTED
from motcua_shared.events.catalogue.route import DEADLINE_ESCALATED
from motcua_shared.events.catalogue.route import STEP_CANCELLED
from motcua_shared.events.catalogue.stop import DOSSIER_STOPPED
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED, DOSSIER_SUPPLEMENT_RECEIVED

from motcua_routing.models import dossier_routes, route_steps
from motcua_testing.system import System
from routing.support import handle as support_handle, received, routing_app

VN = timezone(timedelta(hours=7))
CODE = "H52.04222-260423-0001"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


@pytest.fixture
def routing(database_factory, tmp_path):
    yield from routing_app(database_factory, tmp_path)


def handle(runtime, event_type: str, data: dict) -> None:
    support_handle(runtime, event_type, data, subject=CODE)


def route_of(runtime) -> tuple[dict, list[dict]]:
    with runtime.engine.connect() as conn:
        route = dict(conn.execute(select(dossier_routes).where(dossier_routes.c.dossier_code == CODE)).mappings().one())
        steps = [dict(s) for s in conn.execute(select(route_steps).where(route_steps.c.dossier_code == CODE)
                                               .order_by(route_steps.c.id)).mappings()]
    return route, steps


def outbox_types(runtime) -> list[str]:
    table = runtime.spec.outbox_table
    with runtime.engine.connect() as conn:
        return list(conn.execute(select(table.c.event_type).order_by(table.c.id)).scalars())


def start(runtime) -> None:
    data = received(CODE, "1.004873", at("2026-04-23 08:30"))
    handle(runtime, DOSSIER_RECEIVED, data)


def test_the_agencys_stop_calls_off_the_open_steps(routing):
    start(routing)
    handle(routing, DOSSIER_STOPPED, {"code": CODE, "occurred_at": isoformat(at("2026-04-24 10:00")),
                                      "actor": "officer-7", "ground": "court_proceedings",
                                      "reason": "Tòa án đã thụ lý vụ án.", "unit": "04222"})
    route, steps = route_of(routing)
    assert route["status"] == "stopped" and route["stopped_at"] == at("2026-04-24 10:00")
    assert {s["status"] for s in steps} == {"cancelled"}
    assert STEP_CANCELLED in outbox_types(routing)


def test_a_payment_moves_the_route_and_its_open_step_by_the_wait(routing):
    from motcua_routing import deadlines

    start(routing)
    before, [first, *_] = route_of(routing)
    assert before["due_at"] == at("2026-04-29 08:30")
    handle(routing, DOSSIER_PAYMENT_REQUESTED, {"code": CODE, "occurred_at": isoformat(at("2026-04-24 09:00")),
                                                "actor": "o-1", "obligation": "fee", "amount_vnd": 10000,
                                                "purpose": "Lệ phí"})
    assert route_of(routing)[0]["paused_at"] == at("2026-04-24 09:00")
    # While the citizen pays, the step's due time (Tue 28/04 10:30) passing escalates nothing.
    deadlines._escalate_steps(routing, routing.sessions, at("2026-04-28 11:00"))
    assert DEADLINE_ESCALATED not in outbox_types(routing)
    handle(routing, DOSSIER_PAID, {"code": CODE, "occurred_at": isoformat(at("2026-04-28 09:00")), "actor": "o-1",
                                   "amount_vnd": 10000, "method": "cash", "online": 0, "receipt_number": "BL-1",
                                   "paused_from": isoformat(at("2026-04-24 09:00")),
                                   "due_at": isoformat(at("2026-04-30 08:30"))})
    after, [moved, *_] = route_of(routing)
    # Wed 29/04 08:30 plus one working day: Thu 30/4 and Fri 1/5 are days off, so Mon 04/05 08:30. Intake's
    # own `due_at` in the event (30/04, written here as a smaller value) does not pull it earlier.
    assert after["due_at"] == at("2026-05-04 08:30") and after["paused_at"] is None
    # The first step (the commune's processing) was due Tue 28/04 10:30; one working day later: Wed 29/04 10:30.
    assert first["due_at"] == at("2026-04-28 10:30") and moved["due_at"] == at("2026-04-29 10:30")
    # Once paid, the sweep watches the step again: past its moved due time it is escalated.
    deadlines._escalate_steps(routing, routing.sessions, at("2026-04-29 11:00"))
    assert DEADLINE_ESCALATED in outbox_types(routing)


def _localised(runtime) -> dict:
    """The open step entered its unit's work inbox (its step.assigned, given to the local handler)."""
    import json

    table = runtime.spec.outbox_table
    with runtime.engine.connect() as conn:
        body = conn.execute(select(table.c.body).where(table.c.event_type == "vn.motcua.routing.step.assigned")
                            .order_by(table.c.id.desc()).limit(1)).scalar_one()
    event = json.loads(body)
    handle(runtime, event["type"], event["data"])
    return next(step for step in route_of(runtime)[1] if step["status"] == "assigned")


def _supplement(runtime, step: dict, **extra):
    client = runtime.test_client()
    headers = {"Authorization": f"Bearer {System.token('specialist', unit='04222', sub='cv-1')}"}
    assert client.post(f"/api/v1/steps/{step['step_id']}/claim", headers=headers).status_code == 200
    return client.post(f"/api/v1/steps/{step['step_id']}/complete", headers=headers,
                       json={"outcome": "supplement_required", "note": "Thiếu bản sao Giấy khai sinh.", **extra})


def test_an_officers_second_supplement_request_needs_its_legal_ground(routing):
    start(routing)
    first = _supplement(routing, _localised(routing))
    assert first.status_code == 200, first.get_json()
    paused = route_of(routing)[0]
    assert paused["status"] == "awaiting_supplement"
    # The officer answered just now (the wall clock); the citizen supplements a minute later.
    handle(routing, DOSSIER_SUPPLEMENT_RECEIVED, {
        "code": CODE, "occurred_at": isoformat(paused["paused_at"] + timedelta(minutes=1)), "actor": "o-1",
        "paused_from": isoformat(paused["paused_at"]), "due_at": isoformat(paused["due_at"])})
    again = _localised(routing)
    refused = _supplement(routing, again)
    assert refused.status_code == 409 and refused.content_type == "application/problem+json"
    assert refused.get_json()["code"] == "supplement_already_requested"
    assert route_of(routing)[0]["status"] == "in_progress"  # nothing changed
    ground = "Giấy tờ công dân nộp bổ sung đã hết hiệu lực."
    allowed = _supplement(routing, again, legal_ground=ground)
    assert allowed.status_code == 200, allowed.get_json()
    assert allowed.get_json()["note"].endswith(f"Căn cứ pháp lý yêu cầu bổ sung lần nữa: {ground}")
    assert route_of(routing)[0]["status"] == "awaiting_supplement"
