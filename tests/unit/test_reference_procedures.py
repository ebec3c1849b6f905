"""Procedure catalogue, agencies and accent-insensitive search."""

from __future__ import annotations

import csv
import re
import unicodedata
from datetime import date
from importlib.resources import files

import pytest

from motcua_shared.reference import (
    Catalogue,
    Level,
    OnlineLevel,
    ProcessingTimeUnit,
    ReferenceDataError,
    RouteNotApplicable,
    UnknownProcedure,
    fold,
    load_agencies,
    load_catalogue,
    load_units,
    online_level_from_published,
    resolve_route,
)
from motcua_shared.reference.procedures import DOCUMENT_COLUMNS, PROCEDURE_COLUMNS

THREE_LEVEL_DAY = date(2019, 3, 15)
INTERIM_DAY = date(2025, 4, 1)  # after the March 2025 department merges, before two levels
TWO_LEVEL_DAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def _raw(name: str) -> list[dict[str, str]]:
    resource = files("motcua_shared.reference") / "data" / name
    with resource.open("r", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def raw_procedures() -> list[dict[str, str]]:
    """The shipped file read without the loader, checked against the public contract."""
    return _raw("procedures.csv")


# -- size and shape --------------------------------------------------------------------------------


def test_the_catalogue_covers_three_levels_and_several_inter_agency_procedures(catalogue):
    procedures = catalogue.all()
    assert len(procedures) >= 30
    assert {procedure.level for procedure in procedures} == set(Level)
    assert sum(procedure.inter_agency for procedure in procedures) >= 5
    assert all(catalogue.by_level(level) for level in Level)


def test_every_field_fits_the_contract_enums(raw_procedures):
    for row in raw_procedures:
        assert row["level"] in {"commune", "district", "province"}, row["code"]
        assert row["level_two_level"] in {"commune", "province"}, row["code"]
        assert row["processing_time_unit"] in {"working_hours", "working_days", "calendar_days", "same_day"}
        assert row["processing_time_value"].isdigit()
        # same_day has no amount (docs/contracts.md §5: value 0); every other limit is positive.
        assert (int(row["processing_time_value"]) == 0) == (row["processing_time_unit"] == "same_day"), row["code"]
        assert row["online"] in {"full", "partial", "none"}
        assert row["postal_allowed"] in {"true", "false"}
        assert row["inter_agency"] in {"true", "false"}
        assert row["fee_basis"] in {"published", "free", "derived", "unpublished"}
        assert row["fee_source"], row["code"]
        assert row["online_2019"] in {"level_4", "level_3", "none"}
        assert set(row["route"].split()) <= {"commune", "district", "province"}
        assert set(row["route_two_level"].split()) <= {"commune", "province"}
        assert row["source"], row["code"]


def test_codes_are_unique_and_shaped_like_national_codes_where_known(catalogue, raw_procedures):
    codes = [row["code"] for row in raw_procedures]
    assert len(codes) == len(set(codes))
    national = [code for code in codes if re.fullmatch(r"\d\.\d{6}", code)]
    local = [code for code in codes if re.fullmatch(r"MC\.\d{3}", code)]
    assert len(national) + len(local) == len(codes)
    assert len(national) >= 20
    assert catalogue.get("1.001193").has_national_code
    assert not catalogue.get("MC.001").has_national_code


def test_fees_are_non_negative_integers_and_free_means_zero(raw_procedures):
    for row in raw_procedures:
        assert row["fee_vnd"].isdigit(), row["code"]
        if row["fee_basis"] in ("free", "unpublished"):
            # unpublished: no amount was found; 0 then means "not known", never "free"
            assert row["fee_vnd"] == "0", row["code"]


def test_every_value_not_read_from_the_source_is_explained(raw_procedures):
    for row in raw_procedures:
        if row["fee_basis"] in ("derived", "unpublished") or not row["processing_time_as_published"]:
            assert row["notes"], row["code"]


def test_the_data_files_are_nfc_normalised():
    for name in ("procedures.csv", "procedure_documents.csv", "agencies.csv"):
        text = (files("motcua_shared.reference") / "data" / name).read_text(encoding="utf-8")
        assert text == unicodedata.normalize("NFC", text), name


def test_headers_match_the_loaders():
    assert tuple(_raw("procedures.csv")[0]) == PROCEDURE_COLUMNS
    assert tuple(_raw("procedure_documents.csv")[0]) == DOCUMENT_COLUMNS


# -- mapping decisions -----------------------------------------------------------------------------


def test_same_day_procedures_are_same_day_with_value_0(catalogue):
    # "Trong ngày" was 8 working hours (a 10:00 receipt due 10:00 the next day); the contract now has
    # its own unit (docs/contracts.md §5), and nothing in the catalogue is timed in working hours any more.
    birth = catalogue.get("1.001193")
    assert birth.processing_time.value == 0
    assert birth.processing_time.unit is ProcessingTimeUnit.SAME_DAY
    for procedure in catalogue.all():
        assert procedure.processing_time.unit is not ProcessingTimeUnit.WORKING_HOURS, procedure.code
        if procedure.processing_time.unit is ProcessingTimeUnit.SAME_DAY:
            assert procedure.processing_time.value == 0, procedure.code
            assert "unit same_day" in procedure.notes, procedure.code


def test_stated_online_levels_map_as_documented(catalogue):
    assert online_level_from_published("Toàn trình") is OnlineLevel.FULL
    assert online_level_from_published("Mức trực tuyến 4 (Đà Nẵng)") is OnlineLevel.FULL
    assert online_level_from_published("Dịch vụ công trực tuyến một phần") is OnlineLevel.PARTIAL
    assert online_level_from_published("Cổng DVC trực tuyến tỉnh") is None
    assert online_level_from_published("") is None
    for procedure in catalogue.all():
        stated = online_level_from_published(procedure.online_as_published)
        if stated is not None:
            assert procedure.online is stated, procedure.code


def test_every_procedure_lists_documents_with_a_valid_copy_type(catalogue):
    for procedure in catalogue.all():
        assert procedure.documents, procedure.code
        for document in procedure.documents:
            assert document.name and document.count >= 1
    electronic = catalogue.get("MC.011").documents[0]
    assert electronic.copy_type == "electronic"


# -- routes ----------------------------------------------------------------------------------------


def test_a_district_procedure_moves_to_the_commune_under_two_levels(catalogue):
    assert catalogue.route_on("2.000806", THREE_LEVEL_DAY) == (Level.DISTRICT,)
    assert catalogue.route_on("2.000806", TWO_LEVEL_DAY) == (Level.COMMUNE,)
    assert catalogue.route_on("2.000806", date(2025, 6, 30)) == (Level.DISTRICT,)
    assert catalogue.route_on("2.000806", date(2025, 7, 1)) == (Level.COMMUNE,)
    assert catalogue.get("2.000806").level_on(TWO_LEVEL_DAY) is Level.COMMUNE


def test_an_inter_level_procedure_loses_its_district_step(catalogue):
    assert catalogue.route_on("1.001731", THREE_LEVEL_DAY) == (Level.COMMUNE, Level.DISTRICT)
    assert catalogue.route_on("1.001731", TWO_LEVEL_DAY) == (Level.COMMUNE,)


def test_no_route_passes_a_district_after_the_reform(catalogue):
    for procedure in catalogue.all():
        assert Level.DISTRICT not in procedure.route_on(TWO_LEVEL_DAY), procedure.code
        assert procedure.level in procedure.route
    assert catalogue.by_level(Level.DISTRICT, on=TWO_LEVEL_DAY) == ()


def test_unknown_procedure_codes_raise_a_specific_error(catalogue):
    with pytest.raises(UnknownProcedure) as raised:
        catalogue.get("9.999999")
    assert raised.value.code == "9.999999"
    with pytest.raises(LookupError):
        catalogue.route_on("9.999999", THREE_LEVEL_DAY)


# -- agencies and resolved routes ------------------------------------------------------------------


@pytest.mark.parametrize("on", [THREE_LEVEL_DAY, INTERIM_DAY, TWO_LEVEL_DAY])
def test_every_procedure_resolves_to_agencies_for_every_commune(catalogue, on):
    units, agencies = load_units(), load_agencies()
    communes = [unit for unit in units.units_on(on) if unit.level is Level.COMMUNE]
    assert communes
    for procedure in catalogue.all():
        for commune in communes:
            steps = resolve_route(procedure, commune.code, on, units=units, agencies=agencies)
            assert [step.level for step in steps] == list(procedure.route_on(on))
            assert all(step.agencies for step in steps)


def test_resolved_steps_carry_the_unit_path_of_their_level(catalogue):
    units, agencies = load_units(), load_agencies()
    burial = catalogue.get("1.001731")
    steps = resolve_route(burial, "04222", THREE_LEVEL_DAY, units=units, agencies=agencies)
    assert [(step.unit_path, step.agencies[0].name) for step in steps] == [
        ("14.126.04222", "Ủy ban nhân dân xã Chiềng Khương"),
        ("14.126", "Phòng Lao động - Thương binh và Xã hội huyện Sông Mã"),
    ]
    steps = resolve_route(burial, "04222", TWO_LEVEL_DAY, units=units, agencies=agencies)
    assert [(step.unit_path, step.agencies[0].id) for step in steps] == [
        ("14.04222", "14.04222.PVHXH")
    ]


def test_agencies_follow_the_2025_transfers(catalogue):
    units, agencies = load_units(), load_agencies()

    def agency(code: str, on: date) -> str:
        (step,) = resolve_route(catalogue.get(code), "04168", on, units=units, agencies=agencies)
        assert step.unit_path == "14"
        return step.agencies[0].name

    assert agency("2.000488", THREE_LEVEL_DAY) == "Sở Tư pháp tỉnh Sơn La"
    assert agency("2.000488", TWO_LEVEL_DAY) == "Công an tỉnh Sơn La"
    assert agency("MC.008", THREE_LEVEL_DAY) == "Sở Giao thông vận tải tỉnh Sơn La"
    assert agency("MC.008", INTERIM_DAY) == "Công an tỉnh Sơn La"
    assert agency("2.001583", INTERIM_DAY) == "Sở Tài chính tỉnh Sơn La"


def test_a_commune_step_cannot_be_resolved_from_a_district(catalogue):
    with pytest.raises(RouteNotApplicable):
        resolve_route(
            catalogue.get("1.001193"),
            "126",
            THREE_LEVEL_DAY,
            units=load_units(),
            agencies=load_agencies(),
        )


def test_every_agency_sits_on_a_unit_valid_over_its_validity_and_is_named_by_its_path():
    units = load_units()
    for agency in load_agencies().all():
        last_day = agency.valid_to or TWO_LEVEL_DAY
        for day in (agency.valid_from, last_day):
            assert units.find(agency.unit_code, day) is not None, agency.id
        assert agency.id.rsplit(".", 1)[0] == units.path(agency.unit_code, agency.valid_from)


# -- search ----------------------------------------------------------------------------------------


def test_fold_strips_vietnamese_diacritics_and_case():
    assert fold("Thủ tục đăng ký KẾT HÔN") == "thu tuc dang ky ket hon"
    assert fold(unicodedata.normalize("NFD", "Chiềng Khương")) == "chieng khuong"
    assert fold("ĐỨA MÒN") == fold("đứa mòn") == "dua mon"
    assert fold("  Nậm\tTy \n") == "nam ty"
    assert fold("Ư Ơ ư ơ Ă Â Ê Ô") == "u o u o a a e o"


def _codes(procedures) -> list[str]:
    return [procedure.code for procedure in procedures]


def test_search_ignores_accents_case_and_normal_form(catalogue):
    assert "1.001193" in _codes(catalogue.search("khai sinh"))
    assert "1.001193" in _codes(catalogue.search("KHAI SINH"))
    assert "1.001193" in _codes(catalogue.search(unicodedata.normalize("NFD", "khai sinh")))
    found = _codes(catalogue.search("dang ky ket hon"))
    assert "1.000894" in found and "1.001193" not in found
    assert _codes(catalogue.search("đăng ký kết hôn")) == found


def test_search_needs_every_word_and_ranks_the_phrase_first(catalogue):
    assert _codes(catalogue.search("ket hon nuoc ngoai")) == ["2.000806"]
    assert _codes(catalogue.search("dang ky khai tu"))[0] == "1.000656"
    assert catalogue.search("khai sinh xe may") == ()
    assert catalogue.search("   ") == ()


def test_search_finds_codes_and_sectors(catalogue):
    assert _codes(catalogue.search("1.001193")) == ["1.001193"]
    assert "2.001583" in _codes(catalogue.search("doanh nghiep"))


# -- the loader refuses contradictory data ---------------------------------------------------------


def _row(**changes: str) -> dict[str, str]:
    row = dict(_raw("procedures.csv")[0])
    row.update(changes)
    return row


DOCUMENT = {
    "procedure_code": "1.001193",
    "position": "1",
    "name": "Tờ khai",
    "copy_type": "original",
    "count": "1",
    "condition": "",
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"route": "commune district", "handlers": "commune:justice"}, "handlers"),
        (
            {
                "route_two_level": "district",
                "handlers_two_level": "district:justice",
                "level_two_level": "district",
            },
            "no district",
        ),
        ({"handlers": "commune:astrology"}, "roles"),
        ({"fee_vnd": "5000", "fee_basis": "free"}, "fee"),
        ({"fee_vnd": "5000", "fee_basis": "unpublished"}, "fee"),
        ({"fee_source": ""}, "fee_source"),
        ({"online_2019": "full"}, "full"),
        ({"online": "level4"}, "level4"),
        ({"postal_allowed": "yes"}, "true/false"),
        ({"code": "1001193"}, "neither national"),
        (
            {
                "route": "district commune",
                "handlers": "district:justice commune:justice",
                "inter_agency": "true",
            },
            "climb",
        ),
    ],
)
def test_contradictory_procedure_data_is_refused(changes, message):
    row = _row(**changes)
    document = dict(DOCUMENT, procedure_code=row["code"])
    with pytest.raises(ReferenceDataError, match=message):
        Catalogue.from_rows([row], [document])


def test_documents_for_unknown_procedures_are_refused():
    with pytest.raises(ReferenceDataError, match="unknown procedures"):
        Catalogue.from_rows([_row()], [DOCUMENT, dict(DOCUMENT, procedure_code="1.999999")])
