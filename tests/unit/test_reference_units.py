"""Administrative units: both hierarchies of Sơn La / Sông Mã, paths, scope and succession."""

from __future__ import annotations

import csv
import unicodedata
from datetime import date, datetime, timedelta
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua_shared.reference import (
    AmbiguousSuccession,
    Hierarchy,
    Level,
    ReferenceDataError,
    Unit,
    UnitDirectory,
    UnknownUnit,
    load_units,
)

THREE_LEVEL_DAY = date(2019, 3, 15)
TWO_LEVEL_DAY = date(2026, 1, 1)

# docs/domain.md §7.2: the 19 communes of Sông Mã district (GSO codes).
SONG_MA_COMMUNES = {
    "04168": "Thị trấn Sông Mã",
    "04171": "Xã Bó Sinh",
    "04174": "Xã Pú Pẩu",
    "04177": "Xã Chiềng Phung",
    "04180": "Xã Chiềng En",
    "04183": "Xã Mường Lầm",
    "04186": "Xã Nậm Ty",
    "04189": "Xã Đứa Mòn",
    "04192": "Xã Yên Hưng",
    "04195": "Xã Chiềng Sơ",
    "04198": "Xã Nà Nghịu",
    "04201": "Xã Nậm Mằn",
    "04204": "Xã Chiềng Khoong",
    "04207": "Xã Chiềng Cang",
    "04210": "Xã Huổi Một",
    "04213": "Xã Mường Sai",
    "04216": "Xã Mường Cai",
    "04219": "Xã Mường Hung",
    "04222": "Xã Chiềng Khương",
}

# docs/domain.md §7.2 merge map: new commune -> the three-level communes it was formed from.
MERGE_MAP = {
    "04168": ("04168", "04198"),
    "04171": ("04171", "04174", "04180"),
    "04183": ("04183", "04189"),
    "04186": ("04177", "04186"),
    "04195": ("04192", "04195"),
    "04204": ("04204", "04216"),
    "04210": ("04201", "04210"),
    "04219": ("04207", "04219"),
    "04222": ("04213", "04222"),
}

SON_LA_DISTRICTS = {
    "116", "118", "119", "120", "121", "122", "123", "124", "125", "126", "127", "128",
}


@pytest.fixture(scope="module")
def units() -> UnitDirectory:
    return load_units()


@pytest.fixture(scope="module")
def raw_rows() -> list[dict[str, str]]:
    """The shipped file read without the loader, so data checks do not trust the code under test."""
    resource = files("motcua_shared.reference") / "data" / "units.csv"
    with resource.open("r", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


# -- three-level world -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(SONG_MA_COMMUNES))
def test_every_song_ma_commune_resolves_in_2019_under_the_district(units, code):
    unit = units.get(code, THREE_LEVEL_DAY)
    assert unit.name == SONG_MA_COMMUNES[code]
    assert unit.level is Level.COMMUNE
    assert unit.parent == "126"
    assert units.path(code, THREE_LEVEL_DAY) == f"14.126.{code}"


def test_the_district_and_province_paths_in_2019(units):
    assert units.path("14", THREE_LEVEL_DAY) == "14"
    assert units.path("126", THREE_LEVEL_DAY) == "14.126"
    assert units.get("126", THREE_LEVEL_DAY).name == "Huyện Sông Mã"
    assert {unit.code for unit in units.children("14", THREE_LEVEL_DAY)} == SON_LA_DISTRICTS


def test_descendant_counts_in_2019(units):
    assert len(units.descendants("126", THREE_LEVEL_DAY)) == 19
    assert len(units.children("126", THREE_LEVEL_DAY)) == 19
    # 12 district-level units; only Sông Mã's communes are held.
    assert len(units.descendants("14", THREE_LEVEL_DAY)) == 12 + 19
    assert units.descendants("04222", THREE_LEVEL_DAY) == ()


def test_descendants_list_each_parent_before_its_children(units):
    order = [unit.code for unit in units.descendants("14", THREE_LEVEL_DAY)]
    assert order.index("126") < min(order.index(code) for code in SONG_MA_COMMUNES)


def test_district_renames_inside_the_three_level_era(units):
    assert units.get("116", date(2008, 10, 1)).name == "Thị xã Sơn La"
    assert units.get("116", date(2008, 10, 2)).name == "Thành phố Sơn La"
    assert units.get("123", THREE_LEVEL_DAY).kind == "huyện"
    assert units.get("123", date(2025, 2, 1)).kind == "thị xã"
    assert units.find("128", date(2013, 6, 9)) is None
    assert units.get("128", THREE_LEVEL_DAY).name == "Huyện Vân Hồ"


# -- two-level world -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(MERGE_MAP))
def test_every_merged_commune_resolves_in_2026_directly_under_the_province(units, code):
    unit = units.get(code, TWO_LEVEL_DAY)
    assert unit.level is Level.COMMUNE
    assert unit.kind == "xã"
    assert unit.parent == "14"
    assert units.path(code, TWO_LEVEL_DAY) == f"14.{code}"


def test_two_level_counts(units):
    assert len(units.descendants("14", TWO_LEVEL_DAY)) == 9
    assert {unit.code for unit in units.children("14", TWO_LEVEL_DAY)} == set(MERGE_MAP)
    assert len(units.units_on(TWO_LEVEL_DAY)) == 1 + 9
    assert len(units.units_on(THREE_LEVEL_DAY)) == 1 + 12 + 19


def test_the_hierarchy_switches_on_1_july_2025(units):
    last_day, first_day = date(2025, 6, 30), date(2025, 7, 1)
    assert units.hierarchy_for(last_day) is Hierarchy.THREE_LEVEL
    assert units.hierarchy_for(first_day) is Hierarchy.TWO_LEVEL
    assert units.path("04222", last_day) == "14.126.04222"
    assert units.path("04222", first_day) == "14.04222"
    assert not any(unit.level is Level.DISTRICT for unit in units.units_on(first_day))


def test_04168_is_the_same_code_with_a_different_name_kind_and_parent(units):
    before = units.get("04168", THREE_LEVEL_DAY)
    after = units.get("04168", TWO_LEVEL_DAY)
    assert (before.name, before.kind, before.parent) == ("Thị trấn Sông Mã", "thị trấn", "126")
    assert (after.name, after.kind, after.parent) == ("Xã Sông Mã", "xã", "14")
    assert [version.valid_from for version in units.versions("04168")] == [
        date(2004, 7, 8),
        date(2025, 7, 1),
    ]


# -- succession ------------------------------------------------------------------------------------


def test_a_closed_commune_is_unknown_after_the_merge_and_points_to_its_successor(units):
    with pytest.raises(UnknownUnit) as raised:
        units.get("04198", TWO_LEVEL_DAY)
    assert raised.value.code == "04198"
    assert units.successors("04198") == ("04168",)
    assert units.current_successor("04198", TWO_LEVEL_DAY).name == "Xã Sông Mã"


@pytest.mark.parametrize(("new_code", "old_codes"), sorted(MERGE_MAP.items()))
def test_the_merge_map(units, new_code, old_codes):
    for old_code in old_codes:
        assert units.current_successor(old_code, TWO_LEVEL_DAY).code == new_code
    assert units.predecessors(new_code) == old_codes


def test_a_unit_in_force_is_its_own_current_successor(units):
    assert units.current_successor("04198", THREE_LEVEL_DAY).code == "04198"
    assert units.current_successor("04222", TWO_LEVEL_DAY) == units.get("04222", TWO_LEVEL_DAY)


def test_an_abolished_district_has_no_current_successor(units):
    assert units.successors("126") == ()
    with pytest.raises(UnknownUnit):
        units.current_successor("126", TWO_LEVEL_DAY)


def test_a_split_has_no_single_current_successor():
    old = _unit(
        "00001", Level.COMMUNE, "001", date(2000, 1, 1), date(2025, 6, 30), ("00002", "00003")
    )
    directory = UnitDirectory(
        [
            _unit("01", Level.PROVINCE, None, date(2000, 1, 1), None),
            _unit("001", Level.DISTRICT, "01", date(2000, 1, 1), date(2025, 6, 30)),
            old,
            _unit("00002", Level.COMMUNE, "01", date(2025, 7, 1), None),
            _unit("00003", Level.COMMUNE, "01", date(2025, 7, 1), None),
        ]
    )
    assert [unit.code for unit in directory.current_successors("00001", TWO_LEVEL_DAY)] == [
        "00002",
        "00003",
    ]
    with pytest.raises(AmbiguousSuccession):
        directory.current_successor("00001", TWO_LEVEL_DAY)


# -- scope -----------------------------------------------------------------------------------------


def test_is_within_follows_the_hierarchy_of_the_day(units):
    assert units.is_within("126", "04222", THREE_LEVEL_DAY)
    assert units.is_within("14", "04222", THREE_LEVEL_DAY)
    # District 126 does not exist in 2026, so it contains nothing: scope checks fail closed.
    assert not units.is_within("126", "04222", TWO_LEVEL_DAY)
    assert units.is_within("14", "04222", TWO_LEVEL_DAY)
    assert not units.is_within("04222", "126", THREE_LEVEL_DAY)
    assert not units.is_within("127", "04222", THREE_LEVEL_DAY)
    assert not units.is_within("14", "04198", TWO_LEVEL_DAY)


def test_a_unit_is_within_itself(units):
    assert units.is_within("04222", "04222", THREE_LEVEL_DAY)
    assert units.is_within("14", "14", TWO_LEVEL_DAY)


@given(st.dates(min_value=date(2004, 7, 8), max_value=date(2035, 12, 31)))
def test_every_unit_of_any_day_has_a_consistent_path(on):
    units = load_units()
    for unit in units.units_on(on):
        codes = units.path(unit.code, on).split(".")
        assert codes[0] == "14" and codes[-1] == unit.code
        assert all(units.is_within(ancestor, unit.code, on) for ancestor in codes)
        assert units.level_of(unit.code, on) is unit.level
        parent = units.parent(unit.code, on)
        assert (parent is None) == (unit.level is Level.PROVINCE)


# -- lookups that must fail ------------------------------------------------------------------------


def test_unknown_codes_and_days_raise_unknown_unit(units):
    with pytest.raises(UnknownUnit, match="not in the reference data"):
        units.get("99999", THREE_LEVEL_DAY)
    with pytest.raises(UnknownUnit):
        units.get("04222", date(2000, 1, 1))
    with pytest.raises(UnknownUnit):
        units.path("126", TWO_LEVEL_DAY)
    with pytest.raises(UnknownUnit):
        units.children("126", TWO_LEVEL_DAY)
    assert issubclass(UnknownUnit, LookupError)


def test_a_datetime_is_refused_because_its_day_depends_on_the_time_zone(units):
    with pytest.raises(TypeError):
        units.get("04222", datetime(2025, 6, 30, 23, 30))


# -- the shipped data itself -----------------------------------------------------------------------


def test_the_file_is_nfc_normalised(raw_rows):
    resource = files("motcua_shared.reference") / "data" / "units.csv"
    text = resource.read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text)
    assert all(row["name"] == unicodedata.normalize("NFC", row["name"]) for row in raw_rows)


def test_no_code_names_two_units_on_the_same_day(raw_rows):
    by_code: dict[str, list[tuple[date, date | None]]] = {}
    for row in raw_rows:
        by_code.setdefault(row["code"], []).append((_day(row["valid_from"]), _day(row["valid_to"])))
    for code, spans in by_code.items():
        spans.sort()
        for (_, first_to), (second_from, _) in zip(spans, spans[1:]):
            assert first_to is not None and first_to < second_from, code


def test_every_parent_exists_and_is_valid_over_the_whole_child_validity(raw_rows):
    spans: dict[str, list[tuple[date, date | None]]] = {}
    for row in raw_rows:
        spans.setdefault(row["code"], []).append((_day(row["valid_from"]), _day(row["valid_to"])))

    def valid(code: str, on: date) -> bool:
        return any(start <= on and (end is None or on <= end) for start, end in spans.get(code, ()))

    for row in raw_rows:
        if row["level"] == "province":
            assert row["parent"] == ""
            continue
        start, end = _day(row["valid_from"]), _day(row["valid_to"]) or date(2035, 12, 31)
        # Validity changes only on version boundaries, so checking those days and their
        # neighbours covers every day of the interval.
        boundaries = {start, end} | {
            day + offset
            for bounds in spans[row["parent"]]
            for day in bounds
            if day is not None
            for offset in (timedelta(days=-1), timedelta(0), timedelta(days=1))
        }
        for day in sorted(day for day in boundaries if start <= day <= end):
            assert valid(row["parent"], day), (row["code"], row["parent"], day)


def test_successor_codes_are_in_force_the_day_after_the_closure(units, raw_rows):
    for row in raw_rows:
        for successor in row["successors"].split():
            units.get(successor, date.fromisoformat(row["valid_to"]) + timedelta(days=1))


# -- the loader refuses contradictory data ---------------------------------------------------------


def _unit(code, level, parent, start, end, successors=(), kind=None, name="Đơn vị"):
    default_kind = {Level.PROVINCE: "tỉnh", Level.DISTRICT: "huyện", Level.COMMUNE: "xã"}[level]
    return Unit(code, name, level, kind or default_kind, parent, start, end, tuple(successors))


PROVINCE = _unit("01", Level.PROVINCE, None, date(2000, 1, 1), None)
DISTRICT = _unit("001", Level.DISTRICT, "01", date(2000, 1, 1), date(2025, 6, 30))


@pytest.mark.parametrize(
    ("bad_units", "message"),
    [
        (
            [_unit("00001", Level.COMMUNE, "001", date(2000, 1, 1), date(2010, 1, 1)),
             _unit("00001", Level.COMMUNE, "001", date(2010, 1, 1), date(2020, 1, 1))],
            "both in force",
        ),
        ([_unit("00001", Level.COMMUNE, "009", date(2000, 1, 1), date(2020, 1, 1))], "parent 009"),
        (
            [_unit("00001", Level.COMMUNE, "001", date(1999, 1, 1), date(2020, 1, 1))],
            "whole validity",
        ),
        (
            [_unit("00001", Level.COMMUNE, "01", date(2020, 1, 1), None)],
            "directly under its province",
        ),
        ([_unit("002", Level.DISTRICT, "01", date(2020, 1, 1), None)], "districts end"),
        (
            [_unit("0001", Level.COMMUNE, "001", date(2000, 1, 1), date(2020, 1, 1))],
            "code does not fit",
        ),
        (
            [_unit("00001", Level.COMMUNE, "001", date(2000, 1, 1), None, kind="huyện")],
            "kind",
        ),
        (
            [_unit("00001", Level.COMMUNE, "001", date(2000, 1, 1), date(2020, 1, 1), ("00002",))],
            "successor 00002",
        ),
    ],
)
def test_contradictory_unit_data_is_refused(bad_units, message):
    with pytest.raises(ReferenceDataError, match=message):
        UnitDirectory([PROVINCE, DISTRICT, *bad_units])
