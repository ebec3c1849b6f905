"""How steps, routes and hand-overs are shown to officers (the API's response bodies)."""
from __future__ import annotations

from datetime import datetime

from . import reference
from .control_log import KINDS
from .models import STEP_OPEN


def step_view(step: dict, procedure_code: str, now: datetime) -> dict:
    procedure = reference.catalogue().get(procedure_code)
    is_open = step["status"] in STEP_OPEN
    return {
        "step_id": step["step_id"], "dossier_code": step["dossier_code"], "procedure_code": procedure.code,
        "procedure_name": procedure.name, "sequence": step["sequence"], "attempt": step["attempt"],
        "level": step["level"], "unit": step["unit"], "unit_path": step["unit_path"],
        "agency_id": step["agency_id"], "agency_name": step["agency_name"], "action": step["action"],
        "budget_hours": step["budget_minutes"] / 60, "status": step["status"], "local": step["local_at"] is not None,
        "assigned_at": step["assigned_at"], "due_at": step["due_at"],
        "overdue": bool(is_open and step["due_at"] and step["due_at"] < now),
        "claimed_by": step["claimed_by"], "claimed_at": step["claimed_at"], "completed_at": step["completed_at"],
        "outcome": step["outcome"], "handled_by": step["handled_by"], "note": step["note"],
    }


def route_view(route: dict, steps: list[dict], handovers: list[dict], now: datetime) -> dict:
    procedure = reference.catalogue().get(route["procedure_code"])
    fields = ("dossier_code", "status", "outcome", "hierarchy", "variant", "channel", "receiving_unit",
              "competent_unit", "received_at", "original_due_at", "due_at", "completed_at", "stopped_at",
              "paused_at", "apology_issued_at", "historical")
    return {
        **{name: route[name] for name in fields},
        "procedure_code": procedure.code, "procedure_name": procedure.name,
        "overdue": route["status"] == "in_progress" and route["due_at"] < now,
        "steps": [step_view(step, procedure.code, now) for step in steps],
        "handovers": [{
            "kind": row["kind"], "label": KINDS[row["kind"]], "step_id": row["step_id"],
            "from_party": row["from_party"], "from_person": row["from_person"], "to_party": row["to_party"],
            "to_person": row["to_person"], "occurred_at": row["occurred_at"], "result": row["result"],
            "note": row["note"]} for row in handovers],
    }
