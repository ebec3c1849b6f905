"""The one officer-scope rule every service uses (motcua_shared.web.scope): an officer sees their unit and
the units below it, read from the lineage a record keeps of its own day; the SQL clause and the
predicate agree; "find in scope or 404" answers an out-of-scope record exactly as an unknown one."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import create_engine, literal, select

from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import NotFound
from motcua_shared.web.scope import clause, covers, covers_unit, found_in_scope

OLD_A = "14.126.04222"  # Chiềng Khương under Sông Mã district, before 01/07/2025
NEW_A = "14.04222"  # the same commune directly under the province, from 01/07/2025
OLD_B = "14.126.04171"  # its sibling commune, 2019
OLD_MERGED = "14.126.04213"  # Mường Sai, merged into Chiềng Khương on 01/07/2025
PATHS = (OLD_A, NEW_A, OLD_B, OLD_MERGED)


def officer(unit: str | None, *roles: str) -> Principal:
    return Principal(sub="o", name="", roles=frozenset(roles or ("leader",)), unit=unit)


# (unit, the paths it covers) worked out by hand from the hierarchy of each record's day.
CASES = [
    ("04222", {OLD_A, NEW_A}),  # the commune, in both hierarchies
    ("126", {OLD_A, OLD_B, OLD_MERGED}),  # the district: its communes' 2019 records, not 2026's
    ("14", set(PATHS)),  # the province: everything
    ("04171", {OLD_B}),
    ("04213", {OLD_MERGED}),  # the merged commune keeps its own lineage...
    ("99999", set()),  # a code that names no unit
]


@pytest.mark.parametrize("unit,covered", CASES)
@pytest.mark.parametrize("role", ("receptionist", "specialist", "leader", "admin", "auditor"))
def test_an_officer_covers_their_unit_and_below_whatever_their_role(unit, covered, role):
    assert {path for path in PATHS if covers(officer(unit, role), path)} == covered


def test_the_successor_of_a_merged_commune_does_not_take_over_its_old_records():
    assert not covers(officer("04222"), OLD_MERGED)


@pytest.mark.parametrize("principal", [
    officer(None, "admin"),  # no unit is no scope, for an administrator too
    officer("%", "admin"), officer("1_", "leader"), officer("14.126", "leader"),  # no unit code
    Principal(sub="014090001234", name="", roles=frozenset({"citizen"}), unit="14"),  # not an officer
])
def test_without_an_officer_s_unit_code_nothing_is_in_scope(principal):
    assert not any(covers(principal, path) for path in PATHS)
    assert not covers_unit(principal, "04222", date(2026, 12, 7))


def test_the_sql_clause_selects_exactly_what_the_predicate_covers(database_factory):
    engine = create_engine(database_factory.url(database_factory.create_empty()))
    try:
        with engine.connect() as conn:
            for unit, covered in [*CASES, (None, set()), ("%", set()), ("1_", set())]:
                who = officer(unit, "admin")
                selected = {path for path in PATHS
                            if conn.execute(select(clause(who, literal(path)))).scalar_one()}
                assert selected == covered == {path for path in PATHS if covers(who, path)}, unit
    finally:
        engine.dispose()


@pytest.mark.parametrize("unit,code,on,inside", [
    ("126", "04222", date(2019, 3, 15), True),  # the district above its commune in 2019
    ("126", "04222", date(2026, 12, 7), False),  # not after the district was abolished
    ("126", "04222", None, True),  # without a day: in any of the commune's versions
    ("14", "04222", date(2026, 12, 7), True),
    ("04222", "04222", date(2026, 12, 7), True),
    ("04171", "04222", None, False),  # a sibling, in no version
    ("04222", "126", None, False),  # below is not above
    ("14", "99999", None, False),  # an unknown unit is in nobody's scope
])
def test_a_unit_named_in_a_request_is_in_scope_when_it_lies_below_the_officer_s(unit, code, on, inside):
    assert covers_unit(officer(unit), code, on) is inside


def test_found_in_scope_answers_an_out_of_scope_record_as_an_unknown_one():
    missing = NotFound("Không tìm thấy hồ sơ.", code="dossier_not_found")
    row = {"code": "H52.04222-190315-0001", "unit_path": OLD_A}
    assert found_in_scope(officer("126"), row, "unit_path", missing) is row
    for who, record in ((officer("04171"), row), (officer("126"), None)):
        with pytest.raises(NotFound) as refused:
            found_in_scope(who, record, "unit_path", missing)
        assert refused.value is missing
    # A record in several units' scope (a route: its desk and each step's agency) is found through any.
    route = {"receiving_unit_path": NEW_A}
    paths = lambda r: (r["receiving_unit_path"], OLD_B)  # noqa: E731
    assert found_in_scope(officer("04171"), route, paths, missing) is route
