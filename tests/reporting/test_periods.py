"""The official reporting periods (Decree 09/2019/NĐ-CP Art. 12: figures cut from the 15th of the month
before to the 14th of the period's last month) as presets every report takes instead of from/to.

Every first and last day below is written out by hand from that rule; the March 2019 figures are worked
out by hand from the stories of history.py (comments say where each dossier lands)."""
from __future__ import annotations

import pytest

from reporting import history


@pytest.fixture
def fed(reporting):
    reporting.feed(history.events())
    return reporting


def test_the_periods_of_a_year_with_their_days(reporting):
    answer = reporting.get("/api/v1/reports/periods", year=2019)
    assert answer.status_code == 200, answer.text
    found = {period["code"]: (period["name"], period["from"], period["to"]) for period in answer.get_json()["periods"]}
    assert len(found) == 12 + 4 + 4
    assert found["2019-M01"] == ("Tháng 1 năm 2019", "2018-12-15", "2019-01-14")
    assert found["2019-M03"] == ("Tháng 3 năm 2019", "2019-02-15", "2019-03-14")
    assert found["2019-M12"] == ("Tháng 12 năm 2019", "2019-11-15", "2019-12-14")
    assert found["2019-Q1"] == ("Quý I năm 2019", "2018-12-15", "2019-03-14")
    assert found["2019-Q2"] == ("Quý II năm 2019", "2019-03-15", "2019-06-14")
    assert found["2019-Q3"] == ("Quý III năm 2019", "2019-06-15", "2019-09-14")
    assert found["2019-Q4"] == ("Quý IV năm 2019", "2019-09-15", "2019-12-14")
    assert found["2019-6T"] == ("6 tháng đầu năm 2019", "2018-12-15", "2019-06-14")
    assert found["2019-6C"] == ("6 tháng cuối năm 2019", "2019-06-15", "2019-12-14")
    assert found["2019-9T"] == ("9 tháng 2019", "2018-12-15", "2019-09-14")
    assert found["2019-N"] == ("Năm 2019", "2018-12-15", "2019-12-14")
    # February of a leap year still ends on the 14th; its period starts on 15 January.
    leap = {period["code"]: (period["from"], period["to"])
            for period in reporting.get("/api/v1/reports/periods", year=2020).get_json()["periods"]}
    assert leap["2020-M02"] == ("2020-01-15", "2020-02-14")
    assert leap["2020-M03"] == ("2020-02-15", "2020-03-14")


def test_a_month_preset_reports_from_the_15th_to_the_14th(fed):
    # 15/02–14/03/2019 for district 126: received by the end of 14 March, not ended before 15 February.
    # In: 1 (early), 2 (online, on time), 3 (on time), 4 (late), 7 (waiting for its supplement since
    # 12 March, appointment 14 March: within), 9 (liên thông, on time), 10 (online, liên thông, received
    # 14 March, due 21: within), 11 (received 25 Feb: in the period, not carried over; on time),
    # 12 (received 27 Feb, due 10 April: within), 13 (received 20 Feb, processed 22 Feb before its day
    # of 25 Feb: early), 18 (late), 20 (on the appointment's day: on time). Out: 5, 6, 8, 14, 17
    # (received after 14 March), 15, 16 (never received), 19 (another district).
    expected = {
        "received": {"total": 12, "online": 2, "counter_postal": 10, "carried_over": 0},
        "resolved": {"total": 9, "early": 2, "on_time": 5, "late": 2},
        "in_progress": {"total": 3, "within_deadline": 3, "overdue": 0},
        "one_stop": {
            "received": {"total": 10, "online": 1, "counter_postal": 9, "carried_over": 0},
            "resolved": {"total": 8, "early": 2, "on_time": 4, "late": 2},
            "in_progress": {"total": 2, "within_deadline": 2, "overdue": 0},
        },
        "inter_agency": {
            "received": {"total": 2, "online": 1, "counter_postal": 1, "carried_over": 0},
            "resolved": {"total": 1, "early": 0, "on_time": 1, "late": 0},
            "in_progress": {"total": 1, "within_deadline": 1, "overdue": 0},
        },
    }
    by_period = fed.get("/api/v1/reports/summary", unit="126", period="2019-M03")
    assert by_period.status_code == 200, by_period.text
    assert by_period.get_json() == expected
    assert fed.summary(first="2019-02-15", last="2019-03-14") == expected
    early = fed.get("/api/v1/reports/dossiers", unit="126", period="2019-M03", figure="resolved.early").get_json()
    assert [item["code"] for item in early["items"]] == [history.code(13), history.code(1)]


def test_the_preset_names_the_file_by_its_days_and_works_for_every_report(fed):
    answer = fed.get("/api/v1/reports/summary", unit="126", period="2019-Q1", format="csv")
    assert answer.status_code == 200
    assert "bieu-06_126_2018-12-15_2019-03-14.csv" in answer.headers["Content-Disposition"]
    for path, extra in (("breakdown", {"by": "unit"}), ("trend", {}), ("indicators", {})):
        assert fed.get(f"/api/v1/reports/{path}", unit="126", period="2019-Q1", **extra).status_code == 200, path


@pytest.mark.parametrize("params,name,code", [
    ({"period": "2019-M03", "from": "2019-03-01", "to": "2019-03-31"}, "period", "period_with_dates"),
    ({"period": "2019-M03", "from": "2019-03-01"}, "period", "period_with_dates"),
    ({"period": "2019-Q5"}, "period", "unknown_period"),
    ({"period": "2019-M13"}, "period", "unknown_period"),
    ({"period": "Q1-2019"}, "period", "unknown_period"),
    ({}, "from", "required"),
])
def test_a_bad_period_is_refused_with_what_is_wrong(fed, params, name, code):
    answer = fed.get("/api/v1/reports/summary", unit="126", **params)
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    problem = answer.get_json()
    assert problem["code"] == "validation_failed"
    assert {"name": name, "code": code} in [{"name": p["name"], "code": p["code"]} for p in problem["invalid_params"]]


@pytest.mark.parametrize("year", ["1999", "2101", "abc"])
def test_the_list_of_periods_refuses_a_year_out_of_range(reporting, year):
    answer = reporting.get("/api/v1/reports/periods", year=year)
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
