"""Helpers of the desk console tests: dossiers put straight into intake (as the portal or another desk
would), their state read back from intake, and processing finished as routing announces it."""
from __future__ import annotations

from datetime import datetime, timezone

from motcua_shared.events.catalogue import route

from motcua_testing.system import System

from intake.support import IntakeDesk, deliver, dossier

UNIT = "04222"


def headers(*roles: str, unit: str | None = UNIT, sub: str = "officer-9") -> dict:
    return {"Authorization": f"Bearer {System.token(*roles, unit=unit, sub=sub)}"}


def intake(console):
    return console.services["intake"].test_client()


def receive(console, unit: str = UNIT, **overrides) -> str:
    """A dossier received by a colleague at `unit` (status received, or `status="submitted"`)."""
    answer = intake(console).post("/api/v1/dossiers", json=dossier(receiving_unit=unit, **overrides),
                                  headers=headers("receptionist", unit=unit))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["code"]


def submitted_online(console) -> str:
    """A citizen's online submission (đăng ký lại khai tử, online partial) waiting at the desk."""
    answer = intake(console).post("/api/v1/dossiers", json=dossier(procedure_code="1.005461", channel="online"),
                                  headers=headers("citizen", unit=None, sub="014090001234"))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["code"]


def act(console, code: str, action: str, body: dict | None = None, **who) -> dict:
    answer = intake(console).post(f"/api/v1/dossiers/{code}/{action}", json=body or {},
                                  headers=who.get("headers") or headers("receptionist"))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def detail(console, code: str) -> dict:
    answer = intake(console).get(f"/api/v1/dossiers/{code}", headers=headers("receptionist"))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def total(console, unit: str = UNIT) -> int:
    return intake(console).get("/api/v1/dossiers", query_string={"unit": unit},
                               headers=headers("receptionist", unit=unit)).get_json()["total"]


def processed(console, code: str) -> None:
    """Processing finished, as routing announces it (intake's handler run directly, no broker)."""
    deliver(IntakeDesk(console.services["intake"]), route.ROUTE_COMPLETED, {
        "dossier_code": code, "outcome": "approved", "completed_at": datetime.now(timezone.utc).isoformat(),
        "note": None})
