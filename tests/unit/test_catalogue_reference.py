"""The shipped catalogue against the reference file, field by field.

`tests/data/reference_procedures.csv` is a copy of the project handout (tests/data/README.md says
where it came from and when). Every reference row must be in the catalogue, and every field must
agree with it under the mapping rules below, except the differences listed in `DIFFERENCES`, each
with its reason: a corrected time limit, a fee the source gave only for another case, a value the
source left out and the catalogue had to supply. Any other difference fails, and so does a listed
difference that has gone away (the table must stay exact).

Mapping rules (how an unchanged reference value reads in the catalogue):
- an empty `code` pairs with a project-local code `MC.nnn`, the row found by its exact name;
- `same_day` with no value is ``(0, "same_day")`` (docs/contracts.md §5);
- an online level "Toàn trình"/"Mức 4" is `full`, "Một phần"/"Mức 3" is `partial`, any other
  published channel description is `partial` (online filing exists, level unstated), empty is `none`;
- `postal_allowed` `yes`/`no` is true/false and empty (the source does not name the postal channel)
  is false; `inter_agency` `yes`/`no` is true/false;
- `route_levels` `commune>district` is the route ``("commune", "district")``;
- the source's wording (`processing_time_as_published`, `fee_note`, the online level as published)
  and `source` are kept verbatim.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from motcua_shared.reference import (
    FeeBasis,
    Level,
    OnlineLevel,
    OnlineLevel2019,
    load_agencies,
    load_catalogue,
    load_units,
    resolve_route,
)

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference_procedures.csv"

_HAND_FILLED = "the reference states no amount; the catalogue must carry one (fee_basis says how it was reached)"
_UNPUBLISHED = "the reference states no amount and none was found: fee_basis unpublished, 0 means 'not known'"
_SOCIAL = "the reference states no amount; social-assistance procedures carry no fee (derived)"
_POSTAL = "the reference is silent on the postal channel; allowed under Decision 45/2016 (no presence needed)"
_CHANNEL = "the source shows an online channel without stating its level, so partial"

# (code, field): (the catalogue's value, why it differs from the reference)
DIFFERENCES: dict[tuple[str, str], tuple[object, str]] = {
    ("1.001193", "online"): ("partial", "the source cites a DVCQG discount for online filing: " + _CHANNEL),
    ("1.004873", "online"): ("partial", "the Cao Bằng page lists an online channel: " + _CHANNEL),
    ("1.003583", "fee_vnd"): (0, "the reference's 8,000 VND is the late-registration fee; on-time birth "
                                 "registration is free (Law on Civil Status 2014 Art. 11.1)"),
    ("2.000635", "processing_time"): ((0, "same_day"), "the reference leaves the unit empty; "
                                                       "docs/domain.md §2.3 quotes this procedure as "
                                                       "'trong ngày, sau 15 giờ thì hôm sau'"),
    ("2.000635", "postal_allowed"): (True, _POSTAL),
    ("1.001022", "processing_time"): ((3, "working_days"), "no limit in the reference; Law on Civil Status 2014 "
                                                           "Art. 25.2"),
    ("1.004859", "processing_time"): ((3, "working_days"), "no limit in the reference; Law on Civil Status 2014 "
                                                           "Art. 28.2"),
    ("1.004859", "postal_allowed"): (True, _POSTAL),
    ("1.004884", "processing_time"): ((5, "working_days"), "no limit in the reference; Decree 123/2015 Art. 26"),
    ("1.004884", "postal_allowed"): (True, _POSTAL),
    ("1.005461", "online"): ("partial", "the Yên Bái fee note waives the fee online: " + _CHANNEL),
    ("1.001699", "postal_allowed"): (True, "the application may be sent by post (Decision 45/2016)"),
    ("MC.001", "fee_vnd"): (0, _SOCIAL),
    ("1.004194", "fee_vnd"): (15000, "the reference states no amount; Circular 75/2022/TT-BTC's national "
                                     "temporary-residence fee (fee_basis derived)"),
    ("1.004194", "online"): ("partial", "the agencies cell names the national and police portals: " + _CHANNEL),
    ("1.001612", "fee_vnd"): (0, _UNPUBLISHED),
    ("1.000798", "processing_time"): ((30, "calendar_days"), "the source's 30 days for mountainous and "
                                                             "disadvantaged communes, which Sông Mã's all are"),
    ("1.000798", "fee_vnd"): (0, _UNPUBLISHED),
    ("MC.012", "fee_vnd"): (0, _UNPUBLISHED),
    ("MC.013", "fee_vnd"): (0, _UNPUBLISHED),
    ("MC.014", "fee_vnd"): (0, _UNPUBLISHED),
    ("2.000528", "fee_vnd"): (0, _UNPUBLISHED),
    ("2.000806", "processing_time"): ((15, "working_days"), "Law on Civil Status 2014 Art. 38 gives 15 working "
                                                            "days; the reference's 10 is only the Phòng Tư pháp "
                                                            "review inside it (Decree 123/2015 Art. 31.1)"),
    ("2.000806", "fee_vnd"): (1000000, _HAND_FILLED + ": 1,000,000 VND of Hà Nội, TP HCM, Bình Dương, Bắc "
                                                      "Giang, named in the reference's fee note"),
    ("1.001776", "processing_time"): ((13, "working_days"), "Decree 20/2021 Art. 8: commune 3 + Phòng LĐ-TB&XH 7 "
                                                            "+ district chair 3; the reference leaves out the "
                                                            "commune step"),
    ("1.001776", "fee_vnd"): (0, _SOCIAL),
    ("1.001776", "postal_allowed"): (True, _POSTAL),
    ("MC.005", "fee_vnd"): (0, _SOCIAL),
    ("MC.006", "postal_allowed"): (True, _POSTAL),
    ("2.000488", "inter_agency"): (False, "the reference is silent; one agency decides, the police and court "
                                          "checks are internal look-ups"),
    ("MC.008", "online"): ("partial", "the Đắk Lắk record offers online filing: " + _CHANNEL),
    ("MC.008", "postal_allowed"): (True, _POSTAL),
    ("2.001583", "online"): ("partial", "the fee waiver for online filing shows a channel: " + _CHANNEL),
    ("2.001583", "postal_allowed"): (True, _POSTAL),
    ("MC.009", "online"): ("partial", "online filing exists: " + _CHANNEL),
    ("MC.009", "postal_allowed"): (True, _POSTAL),
    ("MC.015", "fee_vnd"): (0, _UNPUBLISHED),
    ("MC.010", "fee_vnd"): (0, "composite (derived): on-time birth registration is free and the under-6 "
                               "health card is state-funded"),
    ("MC.011", "fee_vnd"): (0, "composite (derived), as MC.010"),
    ("MC.011", "postal_allowed"): (True, "the result may be returned by post (derived)"),
    ("1.010915", "processing_time"): ((10, "working_days"), "no limit is published for the group; derived from "
                                                            "its steps (commune 2, district 6, province 2)"),
    ("1.010915", "fee_vnd"): (0, "derived: on-time death registration is free and the benefits carry no fee"),
    ("1.011537", "processing_time"): ((10, "working_days"), "no limit is published for the group; derived from "
                                                            "its steps (commune 2, district 5, province 3)"),
    ("1.011537", "fee_vnd"): (0, "derived: on-time death registration is free and the benefits carry no fee"),
}


def _reference_rows() -> list[dict[str, str]]:
    with REFERENCE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _online(published: str) -> str:
    text = published.lower()
    if "toàn trình" in text or "mức 4" in text or "mức trực tuyến 4" in text:
        return "full"
    if "một phần" in text or "mức 3" in text:
        return "partial"
    return "partial" if text else "none"


def _expected(row: dict[str, str]) -> dict[str, object]:
    """The reference row as the catalogue would carry it under the mapping rules alone."""
    return {
        "name": row["name_vi"],
        "sector": row["sector"],
        "level": row["level"],
        "processing_time": (int(row["processing_time_value"] or 0), row["processing_time_unit"]),
        "processing_time_as_published": row["processing_time_as_published"],
        "fee_vnd": int(row["fee_vnd"]) if row["fee_vnd"] else None,
        "fee_note": row["fee_note"],
        "online": _online(row["online_level"]),
        "online_as_published": row["online_level"],
        "postal_allowed": {"yes": True, "no": False, "": False}[row["postal_allowed"]],
        "inter_agency": {"yes": True, "no": False, "": None}[row["inter_agency"]],
        "route": tuple(row["route_levels"].split(">")),
        "source": row["source"],
    }


def _actual(procedure) -> dict[str, object]:
    return {
        "name": procedure.name,
        "sector": procedure.sector,
        "level": str(procedure.level),
        "processing_time": (procedure.processing_time.value, str(procedure.processing_time.unit)),
        "processing_time_as_published": procedure.processing_time_as_published,
        "fee_vnd": procedure.fee_vnd,
        "fee_note": procedure.fee_note,
        "online": str(procedure.online),
        "online_as_published": procedure.online_as_published,
        "postal_allowed": procedure.postal_allowed,
        "inter_agency": procedure.inter_agency,
        "route": tuple(str(level) for level in procedure.route),
        "source": procedure.source,
    }


def _paired():
    catalogue = load_catalogue()
    by_name = {procedure.name: procedure for procedure in catalogue.all()}
    for row in _reference_rows():
        procedure = catalogue.get(row["code"]) if row["code"] else by_name[row["name_vi"]]
        yield row, procedure


def test_the_reference_copy_is_the_46_row_handout():
    rows = _reference_rows()
    assert len(rows) == 46
    assert sum(1 for row in rows if row["code"]) == 31  # the handout's notes: 31 of 46 rows have a code


def test_every_reference_procedure_is_in_the_catalogue_once():
    catalogue = load_catalogue()
    paired = list(_paired())
    assert len({procedure.code for _, procedure in paired}) == 46
    assert len(catalogue.all()) == 46
    for row, procedure in paired:
        if not row["code"]:
            assert not procedure.has_national_code, procedure.code  # a local MC.nnn, never a guessed code


def test_the_catalogue_differs_from_the_reference_only_where_listed():
    found = {}
    for row, procedure in _paired():
        expected, actual = _expected(row), _actual(procedure)
        for field, value in expected.items():
            if actual[field] != value:
                found[(procedure.code, field)] = actual[field]
    unexplained = {key: value for key, value in found.items() if key not in DIFFERENCES}
    assert unexplained == {}, "differences from the reference without a reason in DIFFERENCES"
    stale = sorted(set(DIFFERENCES) - set(found))
    assert stale == [], "listed differences that are no longer differences"
    # and each listed difference is the catalogue's actual value
    assert found == {key: value for key, (value, _) in DIFFERENCES.items()}
    assert all(reason for _, reason in DIFFERENCES.values())


def test_the_two_corrected_time_limits_are_the_law():
    catalogue = load_catalogue()
    # Decree 20/2021 Art. 8: 3 working days at the commune, 7 at Phòng LĐ-TB&XH, 3 for the district chair.
    assert (catalogue.get("1.001776").processing_time.value, str(catalogue.get("1.001776").processing_time.unit)) == (
        13, "working_days")
    # Law on Civil Status 2014 Art. 38: 15 working days for a marriage with a foreign element.
    assert (catalogue.get("2.000806").processing_time.value, str(catalogue.get("2.000806").processing_time.unit)) == (
        15, "working_days")


def test_every_fee_names_its_source_and_says_when_it_is_another_provinces():
    for procedure in load_catalogue().all():
        assert procedure.fee_source, procedure.code
        if procedure.fee_basis is FeeBasis.PUBLISHED and "toàn quốc" not in procedure.fee_source:
            # An amount set by a provincial HĐND that is not Sơn La's must say so.
            assert "không phải Sơn La" in procedure.fee_source, procedure.code
        if procedure.fee_basis is FeeBasis.UNPUBLISHED:
            assert procedure.fee_vnd == 0 and "Chưa công bố" in procedure.fee_source, procedure.code
    assert load_catalogue().get("1.004873").fee_source.startswith("Hà Tĩnh")


def test_the_online_level_over_time():
    catalogue = load_catalogue()
    disability = catalogue.get("1.001699")  # "Mức trực tuyến 4" (Đà Nẵng): level 4, full today
    assert disability.online_2019 is OnlineLevel2019.LEVEL_4 and disability.online is OnlineLevel.FULL
    assert disability.online_on(date(2019, 3, 15)) is OnlineLevel.FULL
    residence = catalogue.get("1.004222")  # online residence registration came with the 2020 law (01/07/2021)
    assert residence.online_2019 is OnlineLevel2019.NONE
    assert residence.online_on(date(2019, 3, 15)) is OnlineLevel.NONE
    # Decree 42/2022 in force 01/08/2022: from that day the current level applies.
    assert residence.online_on(date(2022, 7, 31)) is OnlineLevel.NONE
    assert residence.online_on(date(2022, 8, 1)) is OnlineLevel.PARTIAL
    certificate = catalogue.get("1.004873")  # partial today, level 3 then
    assert certificate.online_2019 is OnlineLevel2019.LEVEL_3
    assert certificate.online_on(date(2020, 1, 2)) is OnlineLevel.PARTIAL


@pytest.mark.parametrize("code", ["1.010915", "1.011537"])
def test_the_death_groups_climb_three_levels_then_two(code):
    catalogue, units, agencies = load_catalogue(), load_units(), load_agencies()
    procedure = catalogue.get(code)
    assert procedure.route_on(date(2019, 3, 15)) == (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE)
    assert procedure.route_on(date(2026, 1, 5)) == (Level.COMMUNE, Level.PROVINCE)
    steps = resolve_route(procedure, "04222", date(2019, 3, 15), units=units, agencies=agencies)
    assert [step.unit_path for step in steps] == ["14.126.04222", "14.126", "14"]
    assert steps[-1].agencies[0].name == "Sở Lao động - Thương binh và Xã hội tỉnh Sơn La"
    steps = resolve_route(procedure, "04222", date(2026, 1, 5), units=units, agencies=agencies)
    assert [step.unit_path for step in steps] == ["14.04222", "14"]
    assert steps[-1].agencies[0].name == "Sở Nội vụ tỉnh Sơn La"


def test_the_district_steps_of_the_death_group_go_to_social_insurance_and_labour():
    procedure = load_catalogue().get("1.010915")
    steps = resolve_route(procedure, "04222", date(2019, 3, 15), units=load_units(), agencies=load_agencies())
    assert [agency.id for agency in steps[1].agencies] == ["14.126.BHXH", "14.126.PLDTBXH"]


def test_groups_created_by_later_decisions_are_in_force_only_from_them():
    catalogue = load_catalogue()
    assert catalogue.get("1.010915").in_force_on(date(2019, 3, 15))  # QĐ 1380/QĐ-TTg, 18/10/2018
    assert not catalogue.get("1.010915").in_force_on(date(2018, 10, 17))
    assert not catalogue.get("1.011537").in_force_on(date(2023, 12, 28))
    assert catalogue.get("1.011537").in_force_on(date(2023, 12, 29))
    assert not catalogue.get("MC.011").in_force_on(date(2024, 6, 11))
    assert catalogue.get("MC.011").in_force_on(date(2024, 6, 12))
    assert catalogue.get("1.001193").in_force_from is None


def test_every_route_finds_its_agencies_on_each_day_the_agencies_change():
    # The days an agency version starts or ends (21/06/2018, 28/02 and 01/03/2025, 30/06 and 01/07/2025):
    # on each, every procedure's route from a Sông Mã commune resolves to agencies in force that day.
    units, agencies, catalogue = load_units(), load_agencies(), load_catalogue()
    days = sorted({a.valid_from for a in agencies.all() if a.valid_from.year >= 2018}
                  | {a.valid_to for a in agencies.all() if a.valid_to is not None})
    assert date(2025, 3, 1) in days and date(2025, 6, 30) in days and date(2025, 7, 1) in days
    for day in days:
        communes = [u.code for u in units.units_on(day) if u.level is Level.COMMUNE]
        for procedure in catalogue.all():
            for commune in communes:
                steps = resolve_route(procedure, commune, day, units=units, agencies=agencies)
                assert all(step.agencies for step in steps), (procedure.code, commune, day)
