"""Route plans (quy trình nội bộ): for each procedure, hierarchy and variant, the ordered steps with
their level, the agency role that acts, the action asked and the step's share of the time limit.

The data is ``data/route_plans.csv`` (or the file named by ROUTING_PLANS_FILE), one row per step:

    procedure_code  a code of the procedure catalogue
    hierarchy       three_level (until 30/06/2025) or two_level (from 01/07/2025)
    variant         standard, or a channel (counter, online, postal) whose dossiers follow another plan
    sequence        1..n within the plan
    level, role     where the step happens and which agency acts there: the role must be one the
                    catalogue gives that level for that hierarchy (procedures.csv `handlers`)
    action          process (xử lý), appraise (thẩm định), approve (phê duyệt) or sign (ký)
    weight          the step's share of the time limit, a positive integer
    note            what the step is, for people

A plan must pass through the catalogue's route levels in order (lodging level first) and give every
catalogue role a step, so routing never contradicts the catalogue intake prints on the receipt. A
procedure without a plan row follows the derived plan: one `process` step per role and level, equal
shares.

Budgets. A route's total is the working time from the start of count of its receipt (office hours,
days off and the 15:00 cut-off: `WorkingCalendar.start_of_count`) to the appointment intake gave
the citizen (`due_at` of dossier.received). For a time limit in working hours or working days that
is exactly the procedure's processing time; for one in calendar days, the working time inside that
window; for a same-day one ("trong ngày"), the rest of the day the count starts on (6 h for a 09:00
receipt, a whole 8 h day for one after the cut-off). The total is split in proportion to the
weights, in whole quarter hours when the total is a multiple of 15 minutes (else whole minutes), by
largest remainder: the budgets always add up to the total exactly, and a step due time that follows
the plan lands on the appointment itself.
"""
from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Iterable, Mapping

from motcua_shared.reference import Catalogue, Hierarchy, Level, Procedure, ReferenceDataError

COLUMNS = ("procedure_code", "hierarchy", "variant", "sequence", "level", "role", "action", "weight", "note")
ACTIONS = ("process", "appraise", "approve", "sign")
STANDARD = "standard"
VARIANTS = (STANDARD, "counter", "online", "postal")
# Approving and signing are a leader's acts (the head of the agency, the chair of the People's Committee).
LEADER_ACTIONS = ("approve", "sign")


@dataclass(frozen=True)
class PlanStep:
    sequence: int
    level: Level
    role: str
    action: str
    weight: int
    note: str = ""


@dataclass(frozen=True)
class RoutePlan:
    procedure_code: str
    hierarchy: Hierarchy
    variant: str
    steps: tuple[PlanStep, ...]

    def budgets(self, total_minutes: int) -> list[int]:
        """Each step's share of `total_minutes`, adding up to it exactly (see the module docstring)."""
        total_minutes = max(total_minutes, 0)
        quantum = 15 if total_minutes % 15 == 0 else 1
        quanta = total_minutes // quantum
        weights = [step.weight for step in self.steps]
        whole = sum(weights)
        shares = [quanta * w // whole for w in weights]
        by_remainder = sorted(range(len(weights)), key=lambda i: (-(quanta * weights[i] % whole), i))
        for i in by_remainder[:quanta - sum(shares)]:
            shares[i] += 1
        return [share * quantum for share in shares]


def _route_of(procedure: Procedure, hierarchy: Hierarchy) -> tuple[tuple[Level, ...], dict[Level, tuple[str, ...]]]:
    if hierarchy is Hierarchy.THREE_LEVEL:
        return procedure.route, dict(procedure.handlers)
    return procedure.route_two_level, dict(procedure.handlers_two_level)


def derived_plan(procedure: Procedure, hierarchy: Hierarchy) -> RoutePlan:
    route, handlers = _route_of(procedure, hierarchy)
    steps = [(level, role) for level in route for role in handlers[level]]
    return RoutePlan(procedure.code, hierarchy, STANDARD, tuple(
        PlanStep(i, level, role, "process", 1) for i, (level, role) in enumerate(steps, start=1)))


class RoutePlans:
    """The plans, validated against the catalogue once; `for_dossier` picks the one a dossier follows."""

    def __init__(self, plans: Iterable[RoutePlan], catalogue: Catalogue):
        self.catalogue = catalogue
        self._plans: dict[tuple[str, Hierarchy, str], RoutePlan] = {}
        for plan in plans:
            key = (plan.procedure_code, plan.hierarchy, plan.variant)
            if key in self._plans:
                raise ReferenceDataError(f"route plan {key} given twice")
            _validate(plan, catalogue)
            self._plans[key] = plan

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]], catalogue: Catalogue) -> RoutePlans:
        grouped: dict[tuple[str, str, str], list[PlanStep]] = defaultdict(list)
        for line, row in enumerate(rows, start=2):
            where = f"route plans line {line}"
            try:
                step = PlanStep(int(row["sequence"]), Level(row["level"]), row["role"], row["action"],
                                int(row["weight"]), row["note"])
                key = (row["procedure_code"], Hierarchy(row["hierarchy"]), row["variant"])
            except ValueError as exc:
                raise ReferenceDataError(f"{where}: {exc}") from None
            if step.action not in ACTIONS or step.weight <= 0 or key[2] not in VARIANTS:
                raise ReferenceDataError(f"{where}: action must be one of {ACTIONS}, weight positive, "
                                         f"variant one of {VARIANTS}")
            grouped[key].append(step)
        return cls((RoutePlan(code, hierarchy, variant, tuple(sorted(steps, key=lambda s: s.sequence)))
                    for (code, hierarchy, variant), steps in grouped.items()), catalogue)

    def all(self) -> tuple[RoutePlan, ...]:
        return tuple(self._plans.values())

    def for_dossier(self, procedure: Procedure, hierarchy: Hierarchy, channel: str) -> RoutePlan:
        """The channel's own plan if there is one, else the standard plan, else the derived one."""
        for variant in (channel, STANDARD):
            plan = self._plans.get((procedure.code, hierarchy, variant))
            if plan is not None:
                return plan
        return derived_plan(procedure, hierarchy)


def _validate(plan: RoutePlan, catalogue: Catalogue) -> None:
    label = f"route plan {plan.procedure_code} {plan.hierarchy} {plan.variant}"
    procedure = catalogue.get(plan.procedure_code)  # UnknownProcedure names the code
    route, handlers = _route_of(procedure, plan.hierarchy)
    if [s.sequence for s in plan.steps] != list(range(1, len(plan.steps) + 1)):
        raise ReferenceDataError(f"{label}: sequences must be 1..n")
    levels = list(dict.fromkeys(step.level for step in plan.steps))
    if tuple(levels) != route or [s.level for s in plan.steps] != sorted(
            (s.level for s in plan.steps), key=route.index):
        raise ReferenceDataError(f"{label}: steps must pass through the catalogue route "
                                 f"{[str(level) for level in route]} in order")
    for level in route:
        used = {step.role for step in plan.steps if step.level is level}
        if used != set(handlers[level]):
            raise ReferenceDataError(f"{label}: {level} steps must use exactly the roles {handlers[level]}")


def read_plan_rows(path: str = "") -> list[dict[str, str]]:
    """The rows of `path`, or of the shipped file when empty; the header must be exactly COLUMNS."""
    resource = Path(path) if path else files("motcua_routing") / "data" / "route_plans.csv"
    with resource.open("r", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ReferenceDataError(f"route plans: header is {reader.fieldnames}, expected {list(COLUMNS)}")
        return [{key: unicodedata.normalize("NFC", (value or "").strip()) for key, value in row.items()}
                for row in reader]
