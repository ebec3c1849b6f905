"""The generated Sông Mã history (tests/motcua_testing/district_history.py) is the seed's table: its
totals are the article's figures (scaled), the same seed gives the same file, every moment is in
office hours on a working day, every appointment is the procedure's time on the working calendar,
and the expected Biểu 06 summary follows from the records by reporting's rules."""
from __future__ import annotations

import json
import random
import re
import unicodedata
from collections import Counter
from datetime import date, datetime, time, timedelta
from fractions import Fraction

import pytest

from motcua_shared.reference import load_catalogue, load_units

from motcua_testing.district_history import (CALENDAR, MINUTES, PERIOD_END, SEED_TABLE, VN, district_year,
                                             end_class, office_moment, scaled, write_jsonl)

CODE = re.compile(r"[A-Za-z0-9._/-]{8,60}")
MORNING, AFTERNOON = (time(7, 0), time(11, 30)), (time(13, 30), time(17, 0))


@pytest.fixture(scope="module")
def fiftieth():
    return district_year(50)


@pytest.fixture(scope="module")
def year():
    return district_year(1)


def moments(record: dict) -> list[tuple[str, datetime]]:
    found = [(name, record[name]) for name in ("received_at", "due_at", "processed_at", "returned_at",
                                                 "withdrawn_at")]
    for n, step in enumerate(record["steps"], start=1):
        found += [(f"steps.{n}.{name}", step[name]) for name in ("assigned_at", "due_at", "completed_at")]
    for n, pause in enumerate(record["supplements"], start=1):
        found += [(f"supplements.{n}.{name}", pause[name]) for name in ("requested_at", "received_at")]
    return [(name, datetime.fromisoformat(value)) for name, value in found if value is not None]


def tally(records: list[dict]) -> dict:
    """The Biểu 06 summary of the records, by reporting's rules (statistics/definitions.py), without the
    generator's plan: end = processed or withdrawn, appointment moved by each supplement's pause."""
    counts = {name: Counter() for name in ("total", "one_stop", "inter_agency")}
    catalogue = load_catalogue()
    for record in records:
        due = datetime.fromisoformat(record["due_at"])
        for pause in record["supplements"]:
            due = CALENDAR.extend(due, datetime.fromisoformat(pause["requested_at"]),
                                  datetime.fromisoformat(pause["received_at"]))
        ended = record["processed_at"] or record["withdrawn_at"]
        if ended is None or datetime.fromisoformat(ended) >= PERIOD_END:
            outcome = "overdue" if due < PERIOD_END else "within_deadline"
        else:
            outcome = end_class(datetime.fromisoformat(ended), due, has_result=record["processed_at"] is not None)
        mechanism = "inter_agency" if catalogue.get(record["procedure_code"]).inter_agency else "one_stop"
        for name in ("total", mechanism):
            counts[name]["online" if record["channel"] == "online" else "counter_postal"] += 1
            counts[name][outcome] += 1

    def groups(c: Counter) -> dict:
        resolved, in_progress = c["early"] + c["on_time"] + c["late"], c["within_deadline"] + c["overdue"]
        return {"received": {"total": resolved + in_progress, "online": c["online"],
                             "counter_postal": c["counter_postal"], "carried_over": 0},
                "resolved": {"total": resolved, "early": c["early"], "on_time": c["on_time"], "late": c["late"]},
                "in_progress": {"total": in_progress, "within_deadline": c["within_deadline"],
                                "overdue": c["overdue"]}}

    return {**groups(counts["total"]), "one_stop": groups(counts["one_stop"]),
            "inter_agency": groups(counts["inter_agency"])}


def test_the_scale_rounds_each_figure_and_keeps_at_least_one():
    assert {key: scaled(figure, 50) for key, figure in SEED_TABLE.items()} == {
        ("one_stop", "resolved"): 1327, ("one_stop", "in_progress"): 1,
        ("inter_agency", "resolved"): 3, ("inter_agency", "in_progress"): 1}
    assert scaled(59, 1) == 59 and scaled(11, 1000) == 1


def test_at_1_50_the_table_is_the_articles_figures_scaled(fiftieth):
    expected = fiftieth.expected
    assert len(fiftieth.records) == expected["received"]["total"] == 1332
    assert expected["one_stop"]["resolved"]["total"] == 1327 and expected["one_stop"]["in_progress"]["total"] == 1
    assert expected["inter_agency"]["resolved"]["total"] == 3 and expected["inter_agency"]["in_progress"]["total"] == 1
    assert expected["resolved"]["late"] == expected["in_progress"]["overdue"] == expected["received"]["carried_over"] == 0
    assert expected == tally(fiftieth.records)


def test_the_whole_year_is_the_articles_table(year):
    expected = year.expected
    assert len(year.records) == expected["received"]["total"] == 66_572
    assert expected["one_stop"]["received"]["total"] == 66_428
    assert (expected["one_stop"]["resolved"]["total"], expected["one_stop"]["in_progress"]["total"]) == (66_369, 59)
    assert expected["inter_agency"]["received"]["total"] == 144
    assert (expected["inter_agency"]["resolved"]["total"], expected["inter_agency"]["in_progress"]["total"]) == (133, 11)
    assert expected["resolved"]["late"] == expected["in_progress"]["overdue"] == 0
    assert expected["resolved"]["early"] + expected["resolved"]["on_time"] == 66_502
    assert expected == tally(year.records)
    assert len({r["code"] for r in year.records}) == 66_572


def test_the_summary_has_the_shape_of_the_reporting_api(fiftieth):
    groups = {"received": {"total", "online", "counter_postal", "carried_over"},
              "resolved": {"total", "early", "on_time", "late"},
              "in_progress": {"total", "within_deadline", "overdue"}}
    expected = fiftieth.expected
    assert set(expected) == {*groups, "one_stop", "inter_agency"}
    for part in (expected, expected["one_stop"], expected["inter_agency"]):
        assert {name: set(part[name]) for name in groups} == groups
        received = part["received"]
        assert received["total"] == received["online"] + received["counter_postal"] + received["carried_over"]
        assert received["total"] == part["resolved"]["total"] + part["in_progress"]["total"]


def test_the_same_seed_gives_the_same_file_and_another_seed_another_file_with_the_same_table(fiftieth, tmp_path):
    again = district_year(50)
    assert again.records == fiftieth.records and again.expected == fiftieth.expected
    first = write_jsonl(fiftieth.records, tmp_path / "a.jsonl").read_bytes()
    assert write_jsonl(again.records, tmp_path / "b.jsonl").read_bytes() == first
    other = district_year(50, seed=7)
    assert other.records != fiftieth.records
    assert {key: other.expected[key]["resolved"]["total"] for key in ("one_stop", "inter_agency")} == \
        {key: fiftieth.expected[key]["resolved"]["total"] for key in ("one_stop", "inter_agency")}


def test_every_moment_is_in_office_hours_on_a_working_day(fiftieth):
    for record in fiftieth.records:
        for name, instant in moments(record):
            local = instant.astimezone(VN)
            assert instant.utcoffset() is not None and local.second == 0, (record["code"], name)
            assert CALENDAR.is_working_day(local.date()), (record["code"], name, local)
            clock = local.time()
            assert any(start <= clock <= end for start, end in (MORNING, AFTERNOON)), (record["code"], name, local)
        # A reception is at a minute the desk is open (half-open periods: not at closing).
        received = datetime.fromisoformat(record["received_at"]).astimezone(VN).time()
        assert received < time(11, 30) or time(13, 30) <= received < time(17, 0)


def test_appointments_are_the_procedures_time_on_the_working_calendar(fiftieth):
    catalogue = load_catalogue()
    for record in fiftieth.records:
        procedure = catalogue.get(record["procedure_code"])
        received = datetime.fromisoformat(record["received_at"])
        due = CALENDAR.add(received, procedure.processing_time.value, procedure.processing_time.unit)
        assert datetime.fromisoformat(record["due_at"]) == due, record["code"]
        # The last step's share ends at the appointment (moved by a supplement's pause, if any).
        last_due = datetime.fromisoformat(record["steps"][-1]["due_at"])
        if record["withdrawn_at"] is None and record["result"] != "rejected":
            for pause in record["supplements"]:
                due = CALENDAR.extend(due, datetime.fromisoformat(pause["requested_at"]),
                                      datetime.fromisoformat(pause["received_at"]))
            assert last_due == due, record["code"]


def test_times_are_in_order_and_every_dossier_ends_as_the_design_says(fiftieth):
    for record in fiftieth.records:
        received = datetime.fromisoformat(record["received_at"])
        assert date(2019, 1, 1) <= received.date() <= date(2019, 5, 31)
        times = [received]
        for step in record["steps"]:
            times += [datetime.fromisoformat(step[k]) for k in ("assigned_at", "completed_at") if step[k]]
            assert (step["completed_at"] is None) == (step["outcome"] is None) == (step["handled_by"] is None)
        end = record["processed_at"] or record["withdrawn_at"]
        if end:
            times.append(datetime.fromisoformat(end))
            assert all(s["completed_at"] for s in record["steps"]), record["code"]
            assert not (record["processed_at"] and record["withdrawn_at"])
            assert datetime.fromisoformat(end) < PERIOD_END
        else:  # in progress: one open step, the last, assigned by 31 May; appointment in June
            assert [s["completed_at"] is None for s in record["steps"]][-1] is True
            assert sum(s["completed_at"] is None for s in record["steps"]) == 1
            assert datetime.fromisoformat(record["due_at"]) >= PERIOD_END
            assert datetime.fromisoformat(record["steps"][-1]["assigned_at"]) < PERIOD_END
        if record["returned_at"]:
            assert record["processed_at"] and record["returned_by"] == record["return_method"]
            times.append(datetime.fromisoformat(record["returned_at"]))
        assert times == sorted(times), record["code"]
        for pause in record["supplements"]:
            asked, brought = (datetime.fromisoformat(pause[k]) for k in ("requested_at", "received_at"))
            assert received <= asked <= brought <= datetime.fromisoformat(record["processed_at"])
            assert record["steps"][0]["outcome"] == "supplement_required"
        if record["return_method"] == "postal":
            assert record["delivery_address"]


def test_the_splits_cover_every_kind_of_past_dossier(fiftieth):
    records = fiftieth.records
    assert Counter(r["channel"] for r in records).keys() == {"counter", "online", "postal"}
    assert Counter(r["return_method"] for r in records).keys() == {"counter", "postal"}
    assert sum(bool(r["supplements"]) for r in records) >= 50
    assert sum(r["withdrawn_at"] is not None for r in records) == 1327 // 400
    assert sum(r["result"] == "rejected" for r in records) >= 5
    assert sum(r["processed_at"] is not None and r["returned_at"] is None for r in records) >= 10
    assert {r["receiving_unit"] for r in records} == {"126", *(u.code for u in load_units().children("126", date(2019, 1, 1)))}


def test_inter_agency_dossiers_go_from_the_commune_to_the_district(fiftieth):
    catalogue, units = load_catalogue(), load_units()
    inter_agency = [r for r in fiftieth.records if catalogue.get(r["procedure_code"]).inter_agency]
    assert len(inter_agency) == 4
    for record in inter_agency:
        assert units.level_of(record["receiving_unit"], date(2019, 1, 1)) == "commune"
        levels = [str(units.level_of(s["unit"], date(2019, 1, 1))) for s in record["steps"]]
        assert levels[0] == "commune" and levels[-1] == "district"
        assert levels == sorted(levels, key=["commune", "district"].index)
        assert {s["unit"] for s in record["steps"]} == {record["receiving_unit"], "126"}


def test_codes_and_text_are_as_an_import_file_wants_them(fiftieth, tmp_path):
    for record in fiftieth.records:
        assert CODE.fullmatch(record["code"])
        assert re.fullmatch(r"\d{12}", record["applicant"]["id_number"])
        phone = record["applicant"]["phone"]
        assert phone is None or re.fullmatch(r"0[35789]\d{8}", phone)
    path = write_jsonl(fiftieth.records, tmp_path / "history.jsonl")
    text = path.read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text) and "Sông Mã" in text
    assert [json.loads(line) for line in text.splitlines()] == fiftieth.records


def test_the_generators_fast_working_minutes_are_the_calendars():
    rng = random.Random(1)
    days = [date(2019, 1, 1) + timedelta(days=n) for n in range(200)]  # Tết, 30/4–1/5, weekends
    for _ in range(3000):
        day = rng.choice(days)
        start = (office_moment(rng, day) if rng.random() < 0.8
                 else datetime.combine(day, time(rng.randint(0, 23), rng.randint(0, 59)), VN))  # any minute
        minutes = rng.choice([0, 1, 30, 270, 479, 480, 481, 960, rng.randint(1, 20 * 480)])
        assert MINUTES.later(start, minutes) == CALENDAR.advance(start, Fraction(minutes, 60), "working_hours"), \
            (start, minutes)
        end = office_moment(rng, rng.choice(days))
        assert MINUTES.between(start, end) == CALENDAR.working_minutes_between(start, end), (start, end)


def test_the_csv_form_reads_back_as_the_same_dossiers(fiftieth, tmp_path):
    from motcua_intake.imports.reading import read_file

    from motcua_testing.district_history import write_csv

    path = write_csv(fiftieth.records, tmp_path / "history.csv")
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()) and "Mã hồ sơ;Mã thủ tục".encode() in data
    read = read_file(data, path.name)
    assert read.problems == [] and len(read.rows) == len(fiftieth.records)
    for raw, record in zip(read.rows, fiftieth.records):
        got = raw.data
        assert (got["code"], got["procedure_code"], got["channel"], got["receiving_unit"]) == \
            (record["code"], record["procedure_code"], record["channel"], record["receiving_unit"])
        assert got["applicant"]["full_name"] == record["applicant"]["full_name"]
        assert [s.get("outcome") for s in got["steps"]] == [s["outcome"] for s in record["steps"]]
        assert len(got["supplements"]) == len(record["supplements"]) and len(got["documents"]) == len(record["documents"])
        received = datetime.fromisoformat(record["received_at"]).astimezone(VN)
        assert got["received_at"] == received.strftime("%d/%m/%Y %H:%M")
