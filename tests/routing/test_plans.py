"""Route plans as data: complete for the catalogue under both hierarchies, checked against it, and
their budgets always add up to the time limit."""
from __future__ import annotations

import pytest

from motcua_shared.reference import Hierarchy, ReferenceDataError, load_catalogue

from motcua_routing.plans import COLUMNS, RoutePlans, derived_plan, read_plan_rows

CATALOGUE = load_catalogue()


def row(code="1.004873", hierarchy="three_level", variant="standard", sequence=1, level="commune", role="justice",
        action="process", weight=1, note=""):
    return dict(zip(COLUMNS, (code, hierarchy, variant, str(sequence), level, role, action, str(weight), note)))


def test_the_shipped_plans_cover_every_procedure_under_both_hierarchies():
    plans = RoutePlans.from_rows(read_plan_rows(), CATALOGUE)
    covered = {(plan.procedure_code, plan.hierarchy) for plan in plans.all()}
    assert covered == {(p.code, h) for p in CATALOGUE.all() for h in Hierarchy}
    assert all(plan.variant == "standard" for plan in plans.all())


@pytest.mark.parametrize("total", [0, 1, 7, 59, 60, 480, 1440, 4800, 12000, 10 * 480 + 37])
def test_budgets_add_up_to_the_total_exactly(total):
    plans = RoutePlans.from_rows(read_plan_rows(), CATALOGUE)
    for plan in plans.all():
        budgets = plan.budgets(total)
        assert sum(budgets) == total and all(b >= 0 for b in budgets)
        if total % 15 == 0:
            assert all(b % 15 == 0 for b in budgets)  # quarter hours when the total allows it


def test_budgets_follow_the_weights():
    plan = RoutePlans.from_rows(read_plan_rows(), CATALOGUE).for_dossier(
        CATALOGUE.get("1.001776"), Hierarchy.THREE_LEVEL, "counter")
    # Decree 20/2021 Art. 8: the commune 3 working days, Phòng LĐ-TB&XH 7, the district chair 3 (13 in all).
    assert [(s.level, s.action, s.weight) for s in plan.steps] == [
        ("commune", "process", 3), ("district", "appraise", 7), ("district", "sign", 3)]
    assert plan.budgets(13 * 480) == [3 * 480, 7 * 480, 3 * 480]
    # A total that does not split evenly still adds up, by largest remainder in quarter hours:
    # 10 days = 4800 min = 320 quarters; 320*3/13 = 73.8, 320*7/13 = 172.3, so 74 + 172 + 74 = 320.
    assert plan.budgets(10 * 480) == [74 * 15, 172 * 15, 74 * 15]


def test_a_channel_variant_wins_over_the_standard_plan_and_a_missing_plan_is_derived():
    plans = RoutePlans.from_rows([row(), row(variant="online", action="sign")], CATALOGUE)
    procedure = CATALOGUE.get("1.004873")
    assert plans.for_dossier(procedure, Hierarchy.THREE_LEVEL, "online").steps[0].action == "sign"
    assert plans.for_dossier(procedure, Hierarchy.THREE_LEVEL, "counter").variant == "standard"
    derived = plans.for_dossier(CATALOGUE.get("MC.010"), Hierarchy.THREE_LEVEL, "counter")
    assert derived == derived_plan(CATALOGUE.get("MC.010"), Hierarchy.THREE_LEVEL)
    assert [(str(s.level), s.role) for s in derived.steps] == [
        ("commune", "justice"), ("commune", "residence"), ("district", "social_insurance")]


@pytest.mark.parametrize("rows,message", [
    ([row(level="district")], "route"),  # a commune procedure has no district step
    ([row(role="residence")], "roles"),  # not the catalogue's role
    ([row(sequence=2)], "1..n"),
    ([row(action="stamp")], "action"),
    ([row(weight=0)], "weight"),
    ([row(variant="fax")], "variant"),
    ([row(code="1.001776", sequence=1, level="district", role="social_affairs"),
      row(code="1.001776", sequence=2, level="commune", role="social_affairs")], "in order"),
    ([row(), row()], "1..n"),
])
def test_plans_that_contradict_the_catalogue_are_refused(rows, message):
    with pytest.raises(ReferenceDataError, match=message):
        RoutePlans.from_rows(rows, CATALOGUE)
