"""A part of a bulk import of past dossiers (vn.motcua.history.imported, issue 17): routing records each
dossier's route as it happened, from its events and the steps the old system recorded; the one step
still open is given to its unit live and the route goes on as a live one; an unfinished dossier
without steps is planned like a new one. The same part twice changes nothing, the deadline sweep
never acts on these routes, and no one apologises for them.

The parts are written by hand here, in the shape intake publishes (registry.dump_data validates
them against the event's schema). Dossiers are 1.004873 (3 working days: the commune's justice
officer processes, its chairman signs) received Friday 15/03/2019 08:30, due Wednesday 20/03 08:30.
"""
from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event as sa_event

from motcua_shared.broker.catalogue import events_exchange
from motcua_shared.events import isoformat, new_event, registry
from motcua_shared.events.catalogue.dossier import (DOSSIER_PROCESSED, DOSSIER_RECEIVED, DOSSIER_RETURNED,
                                                    DOSSIER_SUPPLEMENT_REQUESTED, DOSSIER_TRANSFERRED,
                                                    DOSSIER_WITHDRAWN)
from motcua_shared.events.catalogue.history import HISTORY_IMPORTED
from motcua_shared.events.catalogue.route import (APOLOGY_ISSUED, DEADLINE_ESCALATED, DEADLINE_WARNED,
                                                  ROUTE_COMPLETED, ROUTE_STARTED, STEP_ASSIGNED)
from motcua_shared.workcal import WorkingCalendar

from motcua_routing.handlers import handlers
from motcua_testing.waiting import wait_for
from routing.support import (answer, local, officer, published, publish, receive, received, route, start_routing,
                             steps, steps_queue, supplement_received, take, wait_local, wait_route, work_through)

pytestmark = pytest.mark.timeout(180)
IMPORT_ID = "7d0c2f8e-3f5b-4c1e-9a57-1f0e6f4f2b11"
RECEIVED_AT = local("2019-03-15T08:30")
DUE_AT = local("2019-03-20T08:30")
DESK = "Bộ phận tiếp nhận và trả kết quả Xã Chiềng Khương"
COMMUNE = "UBND xã Chiềng Khương"
COMPLETED, OPEN, PLANNED_LIVE, WITHDRAWN, REJECTED, LIVE_FIRST = (f"H52.04222-190315-000{n}" for n in range(1, 7))


# -- writing a part as intake does ----------------------------------------------------------------
def step(sequence: int, *, action: str = "process", assigned: str | None = None, completed: str | None = None,
         outcome: str | None = None, handled_by: str | None = None, note: str | None = None) -> dict:
    status = "completed" if completed else "assigned" if assigned else "planned"
    return {"sequence": sequence, "unit": "04222", "unit_path": "14.126.04222", "level": "commune",
            "agency_name": COMMUNE, "action": action, "status": status,
            "assigned_at": assigned and isoformat(local(assigned)), "due_at": None,
            "completed_at": completed and isoformat(local(completed)), "outcome": outcome,
            "handled_by": handled_by or (completed and "Lò Thị Hoa"), "note": note}


def dossier(code: str, *changes: tuple[str, str, dict], steps: tuple[dict, ...] = ()) -> dict:
    """A past dossier: its dossier.received, then `changes` (type, local time, data), and its steps."""
    def event_id(n: int) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{IMPORT_ID}/{code}/{n}"))

    events = [{"id": event_id(0), "type": DOSSIER_RECEIVED,
               "data": {**received(code, "1.004873", RECEIVED_AT), "historical": True}}]
    for n, (event_type, at, data) in enumerate(changes, start=1):
        events.append({"id": event_id(n), "type": event_type, "data": {
            "code": code, "occurred_at": isoformat(local(at)), "actor": "import", "historical": True, **data}})
    return {"code": code, "events": events,
            "steps": [{**s, "step_id": f"S-{uuid.uuid5(uuid.NAMESPACE_URL, f'{IMPORT_ID}/{code}/step/{i}').hex}"}
                      for i, s in enumerate(steps, start=1)]}


def part(*dossiers: dict, number: int = 1) -> dict:
    return registry.dump_data(HISTORY_IMPORTED, {"import_id": IMPORT_ID, "part": number, "dossiers": list(dossiers)})


def send(system, data: dict):
    event = new_event(HISTORY_IMPORTED, source="/motcua/intake", data=data)
    publish(system.amqp_url, events_exchange("intake"), HISTORY_IMPORTED, event)
    return event


def processed(at: str, result: str = "approved", note: str | None = None) -> tuple[str, str, dict]:
    return DOSSIER_PROCESSED, at, {"result": result, "note": note, "due_at": isoformat(DUE_AT)}


TRANSFERRED = (DOSSIER_TRANSFERRED, "2019-03-15T09:00", {"unit": "04222", "unit_path": "14.126.04222"})


def first_part() -> dict:
    return part(
        dossier(COMPLETED, TRANSFERRED, processed("2019-03-18T15:30"),
                (DOSSIER_RETURNED, "2019-03-19T14:00", {"method": "counter"}), steps=(
                    step(1, assigned="2019-03-15T09:00", completed="2019-03-18T09:00", outcome="approved"),
                    step(2, action="sign", assigned="2019-03-18T09:00", completed="2019-03-18T15:00",
                         outcome="approved", handled_by="Cầm Văn Pọm"))),
        dossier(OPEN, TRANSFERRED, steps=(
            step(1, assigned="2019-03-15T09:00", completed="2019-03-18T09:00", outcome="approved",
                 note="Đủ điều kiện."),
            step(2, action="sign", assigned="2019-03-18T10:00"))),
        dossier(PLANNED_LIVE),
        dossier(WITHDRAWN, TRANSFERRED, (DOSSIER_WITHDRAWN, "2019-03-16T08:00", {"reason": "Công dân đi làm xa."}),
                steps=(step(1, assigned="2019-03-15T09:00"), step(2, action="sign"))),
        dossier(REJECTED, TRANSFERRED, processed("2019-03-18T10:00", "rejected", "Không đủ điều kiện."), steps=(
            step(1, assigned="2019-03-15T09:00", completed="2019-03-18T09:00", outcome="rejected",
                 note="Không đủ điều kiện."), step(2, action="sign"))),
        dossier(LIVE_FIRST, TRANSFERRED, processed("2019-03-18T15:30"), steps=(
            step(1, assigned="2019-03-15T09:00", completed="2019-03-18T09:00", outcome="approved"),)))


def handovers(system, code: str) -> list[tuple]:
    route_id = route(system, code)["id"]
    rows = sorted((h for h in system.rows("routing", "handovers") if h["route_id"] == route_id),
                  key=lambda h: (h["occurred_at"], h["id"]))
    return [(h["kind"], h["from_party"], h["to_party"], h["occurred_at"], h["result"], h["note"]) for h in rows]


def state(system) -> tuple:
    """Everything routing holds, for "nothing changed" (of the outbox, which events: the relay marks them)."""
    return (*(sorted(map(repr, system.rows("routing", table))) for table in ("dossier_routes", "route_steps",
                                                                                "handovers")),
            sorted(row["event_id"] for row in system.rows("routing", "outbox")))


def sweeps(system) -> int:
    return system.processes.log("routing-worker").count('"deadline_sweep"')


# -- the tests -----------------------------------------------------------------------------------
def test_past_routes_are_recorded_as_they_happened_and_the_open_step_is_answered_live(system):
    steps_queue(system.amqp_url, "test.external-handler", "step.#")  # the test plays the province's handler
    start_routing(system, ROUTING_LOCAL_UNITS="99", ROUTING_SWEEP_SECONDS="0.2", LOG_LEVEL="DEBUG")
    receive(system, {**received(LIVE_FIRST, "1.004873", RECEIVED_AT), "historical": True})
    live_first = wait_route(system, LIVE_FIRST, "in_progress")
    sent = send(system, first_part())
    for code in (COMPLETED, OPEN, PLANNED_LIVE, WITHDRAWN, REJECTED):
        wait_for(lambda: route(system, code), what=f"the route of {code}")

    # A completed dossier: its route and steps as recorded, the control log as it happened.
    done = route(system, COMPLETED)
    assert (done["status"], done["outcome"], done["variant"], done["historical"]) == (
        "completed", "approved", "imported", True)
    assert done["completed_at"] == local("2019-03-18T15:30") and done["due_at"] == done["original_due_at"] == DUE_AT
    assert [(s["sequence"], s["attempt"], s["status"], s["outcome"], s["role"], s["budget_minutes"], s["agency_id"],
             s["handled_by"], s["answered_at"]) for s in steps(system, COMPLETED)] == [
        (1, 1, "completed", "approved", "imported", 0, "14.126.04222.imported", "Lò Thị Hoa",
         local("2019-03-18T09:00")),
        (2, 1, "completed", "approved", "imported", 0, "14.126.04222.imported", "Cầm Văn Pọm",
         local("2019-03-18T15:00"))]
    assert handovers(system, COMPLETED) == [
        ("transferred", DESK, COMMUNE, local("2019-03-15T09:00"), None, None),
        ("transferred", COMMUNE, COMMUNE, local("2019-03-18T09:00"), "approved", None),
        ("returned", COMMUNE, DESK, local("2019-03-18T15:00"), "approved", None)]
    rejected, withdrawn = route(system, REJECTED), route(system, WITHDRAWN)
    assert (rejected["status"], rejected["outcome"]) == ("completed", "rejected")
    assert [s["status"] for s in steps(system, REJECTED)] == ["completed", "skipped"]
    assert handovers(system, REJECTED)[-1] == (
        "returned", COMMUNE, DESK, local("2019-03-18T09:00"), "rejected", "Không đủ điều kiện.")
    assert (withdrawn["status"], withdrawn["stopped_at"]) == ("stopped", local("2019-03-16T08:00"))
    assert [s["status"] for s in steps(system, WITHDRAWN)] == ["cancelled", "cancelled"]
    assert handovers(system, WITHDRAWN)[-1] == (
        "stopped", COMMUNE, DESK, local("2019-03-16T08:00"), None, "Công dân đi làm xa.")
    # A dossier whose route a live dossier.received had already started keeps it.
    assert route(system, LIVE_FIRST) == live_first

    # The unfinished dossier without steps is planned and started like a new one (historical).
    planned = wait_route(system, PLANNED_LIVE, "in_progress")
    assert (planned["variant"], planned["historical"]) == ("standard", True)
    assert [s["status"] for s in steps(system, PLANNED_LIVE)] == ["assigned", "planned"]
    assert len(published(system, ROUTE_STARTED, PLANNED_LIVE)) == 1

    # Exactly one step is given live for the imported dossiers: the open one, due at the appointment.
    taken: list = []
    wait_for(lambda: taken.extend(take(system.amqp_url, "test.external-handler")) or len(taken) >= 3,
             what="the steps on routing.steps")
    given = {e["data"]["dossier_code"]: e["data"] for _, e in taken}
    assert len(given) == len(taken) == 3
    assert set(given) == {OPEN, PLANNED_LIVE, LIVE_FIRST}
    open_step = steps(system, OPEN)[1]
    assert (open_step["status"], open_step["due_at"], open_step["assigned_at"]) == (
        "assigned", DUE_AT, local("2019-03-18T10:00"))
    assert (given[OPEN]["step_id"], datetime.fromisoformat(given[OPEN]["due_at"]), given[OPEN]["agency"]) == (
        open_step["step_id"], DUE_AT, "14.126.04222.imported")
    for code in (COMPLETED, WITHDRAWN, REJECTED):
        assert published(system, STEP_ASSIGNED, code) == [] and published(system, ROUTE_COMPLETED, code) == []
    assert handovers(system, OPEN) == [
        ("transferred", DESK, COMMUNE, local("2019-03-15T09:00"), None, None),
        ("transferred", COMMUNE, COMMUNE, local("2019-03-18T10:00"), "approved", "Đủ điều kiện.")]

    # No one apologises for a dossier of the past, even while its route is in progress.
    client = system.client("routing")
    reading = client.get(f"/api/v1/routes/{OPEN}", headers=officer(system, "04222")).get_json()
    assert reading["historical"] is True and reading["variant"] == "imported"
    refused = client.post(f"/api/v1/routes/{OPEN}/apology", headers=officer(system, "04222", "leader"), json={
        "reason": "Cần xác minh thêm.", "new_due_at": isoformat(DUE_AT + timedelta(days=3))})
    assert refused.status_code == 409 and refused.get_json()["code"] == "historical_route"
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert route(system, OPEN)["apology_issued_at"] is None

    # The sweep runs and never acts on them, though their open steps are seven years overdue.
    assert open_step["due_at"] < datetime.now(timezone.utc)
    after = sweeps(system) + 5
    wait_for(lambda: sweeps(system) >= after, what="more sweeps")
    for kind in (DEADLINE_WARNED, DEADLINE_ESCALATED, APOLOGY_ISSUED):
        assert published(system, kind) == [], kind

    # The same part again (redelivered under a new id) changes nothing.
    before = state(system)
    again = send(system, first_part())
    assert again.id != sent.id
    wait_for(lambda: system.count("routing", "inbox") == 3, what="the part again to be consumed")
    assert state(system) == before

    # The open step answered by the province: the route ends as a live one, and intake hears of it.
    answer(system, open_step["step_id"], OPEN, completed_at=local("2019-03-18T16:00"), handled_by="Cầm Văn Pọm")
    ended = wait_route(system, OPEN, "completed")
    assert (ended["outcome"], ended["completed_at"]) == ("approved", local("2019-03-18T16:00"))
    [completed] = published(system, ROUTE_COMPLETED, OPEN)
    assert datetime.fromisoformat(completed["data"]["completed_at"]) == local("2019-03-18T16:00")
    assert handovers(system, OPEN)[-1] == ("returned", COMMUNE, DESK, local("2019-03-18T16:00"), "approved", None)


def test_awaited_supplements_resume_live_and_officers_finish_the_routes(system):
    start_routing(system)  # every unit local: officers answer through their work inboxes
    asked, unplanned, between = "H52.04222-190315-0011", "H52.04222-190315-0012", "H52.04222-190315-0013"
    supplement = (DOSSIER_SUPPLEMENT_REQUESTED, "2019-03-16T10:00",
                  {"stage": "processing", "items": [], "note": "Thiếu bản sao Giấy khai sinh."})
    send(system, part(
        dossier(asked, TRANSFERRED, supplement, steps=(
            step(1, assigned="2019-03-15T09:00", completed="2019-03-16T10:00", outcome="supplement_required",
                 note="Thiếu bản sao Giấy khai sinh."), step(2, action="sign"))),
        dossier(unplanned, supplement),
        # Its first step answered, the next not yet given when the old system stopped: given now.
        dossier(between, TRANSFERRED, steps=(
            step(1, assigned="2019-03-15T09:00", completed="2019-03-18T09:00", outcome="approved"),
            step(2, action="sign")))))
    paused = wait_route(system, asked, "awaiting_supplement")
    assert paused["paused_at"] == local("2019-03-16T10:00") and paused["variant"] == "imported"
    assert [s["status"] for s in steps(system, asked)] == ["completed", "planned"]
    assert [h[0] for h in handovers(system, asked)] == ["transferred", "supplement_requested"]
    waiting = wait_route(system, unplanned, "awaiting_supplement")
    assert waiting["paused_at"] == local("2019-03-16T10:00") and waiting["variant"] == "standard"
    assert [s["status"] for s in steps(system, unplanned)] == ["planned", "planned"]
    for code in (asked, unplanned):  # nothing is given while the citizen is awaited
        assert published(system, STEP_ASSIGNED, code) == []
    given = wait_local(system, between)
    assert (given["sequence"], given["assigned_at"], given["due_at"]) == (2, local("2019-03-18T09:00"), DUE_AT)
    assert handovers(system, between)[-1] == (
        "transferred", COMMUNE, COMMUNE, local("2019-03-18T09:00"), "approved", None)

    # The citizens bring what was missing now: the asking step is given again, the other route begins.
    resumed_at = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=1)
    calendar = WorkingCalendar()
    for code in (asked, unplanned):
        supplement_received(system, code, local("2019-03-16T10:00"), resumed_at,
                            calendar.extend(DUE_AT, local("2019-03-16T10:00"), resumed_at))
    again = wait_local(system, asked)
    assert (again["sequence"], again["attempt"], again["assigned_at"]) == (1, 2, resumed_at)
    first = wait_local(system, unplanned)
    assert (first["sequence"], first["attempt"], first["assigned_at"]) == (1, 1, resumed_at)

    for code in (asked, unplanned, between):
        assert work_through(system, code) == "done"
        assert (route(system, code)["status"], route(system, code)["outcome"]) == ("completed", "approved")
        assert len(published(system, ROUTE_COMPLETED, code)) == 1
    sign = steps(system, asked)[-1]
    assert (sign["sequence"], sign["attempt"], sign["role"], sign["status"]) == (2, 1, "imported", "completed")
    assert sign["due_at"] == route(system, asked)["due_at"]  # no budget of its own: the appointment
    assert [h[0] for h in handovers(system, asked)] == [
        "transferred", "supplement_requested", "transferred", "claimed", "transferred", "claimed", "returned"]
    assert handovers(system, asked)[2][1:3] == (DESK, COMMUNE)


def test_a_part_of_five_hundred_is_recorded_with_a_handful_of_statements(system):
    """In-process, on PostgreSQL: the statements do not grow with the part (no worker runs)."""
    dossiers = []
    for n in range(500):
        code = f"H52.04222-190315-{n + 1:04d}"
        if n % 10 == 0:  # one in ten still has its signature to come
            dossiers.append(dossier(code, TRANSFERRED, steps=(
                step(1, assigned="2019-03-15T09:00", completed="2019-03-18T09:00", outcome="approved"),
                step(2, action="sign", assigned="2019-03-18T10:00"))))
        else:
            dossiers.append(dossier(code, TRANSFERRED, processed("2019-03-18T15:30"),
                                    (DOSSIER_RETURNED, "2019-03-19T14:00", {"method": "counter"}), steps=(
                step(1, assigned="2019-03-15T09:00", completed="2019-03-18T09:00", outcome="approved"),
                step(2, action="sign", assigned="2019-03-18T09:00", completed="2019-03-18T15:00",
                     outcome="approved"))))
    event = new_event(HISTORY_IMPORTED, source="/motcua/intake", data=part(*dossiers))
    rt = system.runtime("routing")
    handle = handlers(rt)[HISTORY_IMPORTED]
    statements: list[str] = []
    sa_event.listen(rt.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    started = time.perf_counter()
    with rt.sessions.begin() as session:
        handle(session, event)
    elapsed, executed = time.perf_counter() - started, list(statements)
    print(f"\npart of 500 dossiers: {elapsed * 1000:.0f} ms, {elapsed * 2:.2f} ms/dossier, "
          f"{len(executed)} statements")
    assert len(executed) <= 8, executed
    assert system.count("routing", "dossier_routes") == 500
    assert system.count("routing", "route_steps") == 1000
    assert system.count("routing", "handovers") == 450 * 3 + 50 * 2
    assert system.count("routing", "outbox") == 50  # the open signatures, given live

    before = state(system)
    statements.clear()
    with rt.sessions.begin() as session:
        handle(session, event)
    assert len(statements) == 1  # which routes exist: all of them
    assert state(system) == before
