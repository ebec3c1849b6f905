"""What the demo's figures must be, worked out from its own plan, never read back from the services.

The demo knows what it drove: every dossier's channel, appointment (the working calendar on its
receipt time), whether the officers finish it on the 28th (within WORK_WINDOW of DEMO_NOW, an interval
no appointment falls in) and how its result goes home. From that alone follow the Biểu 06 columns, by
mechanism, and the results returned at the counter and by post. `differences` lists every figure the
services disagree on.
"""
from __future__ import annotations

from datetime import datetime, time as clock_time, timedelta

from workload import DEMO_NOW, PERIOD, VN, Plan

PERIOD_END = datetime.combine(PERIOD[1] + timedelta(days=1), clock_time(0), VN)


def outcome(plan: Plan) -> str:
    """The Biểu 06 outcome column of one planned dossier at the end of the period."""
    if plan.fate == "leave_open":
        return "overdue" if plan.due_at < PERIOD_END else "within_deadline"
    if plan.due_at < DEMO_NOW:
        return "late"
    return "early" if plan.due_at.astimezone(VN).date() > DEMO_NOW.date() else "on_time"


def _table(plans: list[Plan]) -> dict:
    count = {"online": 0, "counter_postal": 0, "early": 0, "on_time": 0, "late": 0, "within_deadline": 0,
             "overdue": 0}
    for plan in plans:
        count["online" if plan.channel == "online" else "counter_postal"] += 1
        count[outcome(plan)] += 1
    resolved = count["early"] + count["on_time"] + count["late"]
    in_progress = count["within_deadline"] + count["overdue"]
    return {
        # Every dossier is received within the period, so none is carried over.
        "received": {"total": len(plans), "online": count["online"], "counter_postal": count["counter_postal"],
                     "carried_over": 0},
        "resolved": {"total": resolved, "early": count["early"], "on_time": count["on_time"], "late": count["late"]},
        "in_progress": {"total": in_progress, "within_deadline": count["within_deadline"],
                        "overdue": count["overdue"]},
    }


def expected_summary(plans: list[Plan]) -> dict:
    """The Biểu 06 summary of the district over the period, in reporting's shape."""
    return {**_table(plans),
            "one_stop": _table([p for p in plans if not p.inter_agency]),
            "inter_agency": _table([p for p in plans if p.inter_agency])}


def expected_returns(plans: list[Plan]) -> dict:
    finished = [p for p in plans if p.fate != "leave_open"]
    return {"counter": sum(p.return_method == "counter" for p in finished),
            "postal": sum(p.return_method == "postal" for p in finished)}


def flatten(value, prefix: str = "") -> dict:
    if not isinstance(value, dict):
        return {prefix: value}
    flat = {}
    for key, inner in value.items():
        flat.update(flatten(inner, f"{prefix}.{key}" if prefix else key))
    return flat


def differences(expected: dict, actual: dict) -> list[str]:
    """One line per figure that differs (a figure missing on either side counts as a difference)."""
    want, got = flatten(expected), flatten(actual)
    return [f"{key}: expected {want.get(key, '—')}, got {got.get(key, '—')}"
            for key in sorted(set(want) | set(got)) if want.get(key) != got.get(key)]
