"""History is recorded, not acted on (issue 17, part 2): a dossier an administrator creates with its own
`received_at` is historical. Intake stores it, shows it, and says so in every dossier.* event it
publishes about the dossier (`historical: true`), so the other services record and count it but send no
message, ask for no pickup, apologise and escalate for nothing. A live dossier's events say `false`."""
from __future__ import annotations

from datetime import datetime

from motcua_shared.events.catalogue import route

from intake.support import at, deliver, dossier, token

STEPS = [{"step_id": "S-h1", "sequence": 1, "unit": "04222", "unit_path": "14.04222", "level": "commune",
          "action": "process", "budget_hours": 40.0}]


def _started(desk, code: str, when: datetime, due: str) -> None:
    deliver(desk, route.ROUTE_STARTED, {"dossier_code": code, "started_at": when.isoformat(), "due_at": due,
                                        "steps": STEPS})


def _completed(desk, code: str, when: datetime) -> None:
    deliver(desk, route.ROUTE_COMPLETED, {"dossier_code": code, "outcome": "approved",
                                          "completed_at": when.isoformat(), "note": None})


def _events(desk, code: str) -> list[dict]:
    return [e for e in desk.events() if e["subject"] == code]


def test_an_imported_dossier_is_historical_in_the_api_and_in_every_event(desk):
    created = desk.imported(at("2019-03-04 08:30"))
    code = created["code"]
    assert desk.detail(code)["historical"] is True

    _started(desk, code, at("2019-03-04 08:35"), created["due_at"])
    _completed(desk, code, at("2019-03-07 16:00"))
    returned = desk.act(code, "return", {"method": "counter", "occurred_at": at("2019-03-08 09:00").isoformat()},
                        role="admin", unit="14")
    assert returned.status_code == 200, returned.get_json()

    events = _events(desk, code)
    assert [e["type"] for e in events] == ["vn.motcua.dossier.received", "vn.motcua.dossier.transferred",
                                           "vn.motcua.dossier.processed", "vn.motcua.dossier.returned"]
    assert [e["data"]["historical"] for e in events] == [True] * 4
    final = desk.detail(code)
    assert final["status"] == "returned" and final["historical"] is True


def test_a_live_dossier_is_not_historical_and_its_events_say_so(desk):
    created = desk.receive()
    code = created["code"]
    assert desk.detail(code)["historical"] is False

    _started(desk, code, datetime.fromisoformat(created["received_at"]), created["due_at"])
    _completed(desk, code, datetime.fromisoformat(created["received_at"]))
    assert desk.act(code, "return", {"method": "counter"}).status_code == 200

    events = _events(desk, code)
    assert [e["type"] for e in events] == ["vn.motcua.dossier.received", "vn.motcua.dossier.transferred",
                                           "vn.motcua.dossier.processed", "vn.motcua.dossier.returned"]
    assert [e["data"]["historical"] for e in events] == [False] * 4


def test_a_submitted_dossier_accepted_at_the_desk_stays_live(desk):
    answer = desk.client.post("/api/v1/dossiers", headers=token("citizen", sub="014090001234"), json=dossier(
        procedure_code="1.005461", channel="online"))  # đăng ký lại khai tử: online (partial)
    assert answer.status_code == 201, answer.get_json()
    code = answer.get_json()["code"]
    assert desk.act(code, "acceptance").status_code == 200
    events = _events(desk, code)
    assert [e["type"] for e in events] == ["vn.motcua.dossier.submitted", "vn.motcua.dossier.received"]
    assert [e["data"]["historical"] for e in events] == [False, False]
    assert desk.detail(code)["historical"] is False


def test_the_upgrade_keeps_existing_dossiers_live(desk, intake_database):
    """Migration 0005 adds the column to a database that has dossiers: they become live (false), and a
    dossier imported after the upgrade is historical."""
    from alembic import command
    from sqlalchemy import text

    from motcua_shared.migrations import alembic_config

    from motcua_testing.system import spec_of

    live = desk.receive()["code"]
    imported_before = desk.imported(at("2019-03-04 08:30"))["code"]
    config = alembic_config(spec_of("intake"), intake_database)
    command.downgrade(config, "0004")
    with desk.runtime.engine.connect() as conn:
        columns = conn.execute(text("SELECT column_name FROM information_schema.columns "
                                    "WHERE table_name = 'dossiers' AND column_name = 'historical'")).all()
    assert columns == []
    command.upgrade(config, "head")
    with desk.runtime.engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT code, historical FROM dossiers")).all())
    assert stored == {live: False, imported_before: False}  # what was imported before was never recorded

    imported_after = desk.imported(at("2019-03-05 08:30"))["code"]
    assert desk.detail(imported_after)["historical"] is True
    assert _events(desk, imported_after)[0]["data"]["historical"] is True


def test_an_administrator_may_enter_a_live_dossier_late_and_historical_needs_received_at(desk):
    """A dossier received on paper during an outage and entered afterwards with its real reception time is
    live (`historical: false`): the citizen is told, the post is called. Without `received_at` the flag
    means nothing and is refused, storing nothing."""
    from intake.support import dossier, token

    late = desk.client.post("/api/v1/dossiers", headers=token("admin", unit="14"), json=dossier(
        received_at="2026-12-01T02:00:00+00:00", historical=False))
    assert late.status_code == 201, late.get_json()
    code = late.get_json()["code"]
    assert desk.client.get(f"/api/v1/dossiers/{code}", headers=token("admin", unit="14")).get_json()["historical"] is False
    refused = desk.client.post("/api/v1/dossiers", headers=token("admin", unit="14"), json=dossier(historical=True))
    assert refused.status_code == 422  # intake answers rule violations (not malformed input) with 422
    assert refused.get_json()["invalid_params"][0]["name"] == "historical"
    listed = desk.client.get("/api/v1/dossiers", headers=token("admin", unit="14")).get_json()
    assert listed["total"] == 1
