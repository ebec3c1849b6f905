"""The report API on a real PostgreSQL projection fed by the consumer's handler: every column of the
summary against the known answers, the breakdowns, the trend, the indicators, the dossiers behind each
figure, the exports, and the officer's scope."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from reporting import history

MARCH = {"unit": "126", "from": "2019-03-01", "to": "2019-03-31"}
FIGURES = [f"{group}.{name}" for group, names in (
    ("received", ("total", "online", "counter_postal", "carried_over")),
    ("resolved", ("total", "early", "on_time", "late")),
    ("in_progress", ("total", "within_deadline", "overdue"))) for name in names]


def figure(groups: dict, name: str) -> int:
    group, column = name.split(".")
    return groups[group][column]


@pytest.fixture
def fed(reporting):
    reporting.feed(history.events())
    return reporting


def test_the_summary_has_every_column_of_the_known_answer(fed):
    assert fed.summary() == history.EXPECTED


def test_the_same_history_fed_twice_and_shuffled_gives_the_same_rows_and_numbers(fed, shuffled):
    before = fed.snapshot()
    fed.feed(shuffled(history.events(), seed=11))  # every event again, same ids, another order
    assert fed.snapshot() == before
    assert fed.summary() == history.EXPECTED


def test_a_shuffled_history_gives_the_same_numbers(reporting, shuffled):
    reporting.feed(shuffled(history.events(), seed=3))
    assert reporting.summary() == history.EXPECTED


def test_results_arriving_before_receptions_give_the_same_numbers(reporting):
    reporting.feed(list(reversed(history.events())))  # every dossier's result before its reception
    assert reporting.summary() == history.EXPECTED


def test_breakdowns_add_up_to_the_summary(fed):
    expected_rows = {
        "unit": {"04168": 4, "04204": 5, "04222": 6},
        "level": {"commune": 14, "district": 1},
        "channel": {"online": 3, "counter": 10, "postal": 2},
        "mechanism": {"one_stop": 13, "inter_agency": 2},
        "procedure": {"1.004873": 12, "2.000806": 1, "MC.010": 2},
        "sector": {"Hộ tịch": 13, "Hộ tịch - Cư trú - Bảo hiểm y tế (liên thông)": 2},
    }
    for by, received in expected_rows.items():
        answer = fed.get("/api/v1/reports/breakdown", by=by, **MARCH).get_json()
        assert {row["key"]: row["received"]["total"] for row in answer["rows"]} == received, by
        for name in FIGURES:
            assert sum(figure(row, name) for row in answer["rows"]) == figure(answer["total"], name), (by, name)
        assert {key: answer["total"][key] for key in ("received", "resolved", "in_progress")} == \
            {key: history.EXPECTED[key] for key in ("received", "resolved", "in_progress")}
    units = fed.get("/api/v1/reports/breakdown", by="unit", **MARCH).get_json()
    assert units["unit"] == {"code": "126", "name": "Huyện Sông Mã", "as_of": "2019-03-31"}
    assert [row["label"] for row in units["rows"]] == ["Thị trấn Sông Mã", "Xã Chiềng Khoong", "Xã Chiềng Khương"]
    chiềng_khoong = next(row for row in units["rows"] if row["key"] == "04204")
    assert chiềng_khoong["resolved"] == {"total": 3, "early": 0, "on_time": 1, "late": 2}
    assert chiềng_khoong["in_progress"] == {"total": 2, "within_deadline": 1, "overdue": 1}


def test_the_monthly_trend_carries_over_what_was_in_progress(fed):
    months = fed.get("/api/v1/reports/trend", unit="126", **{"from": "2019-02-01", "to": "2019-04-30"}).get_json()["months"]
    assert [(m["month"], m["from"], m["to"]) for m in months] == [
        ("2019-02", "2019-02-01", "2019-02-28"), ("2019-03", "2019-03-01", "2019-03-31"),
        ("2019-04", "2019-04-01", "2019-04-30")]
    assert {key: months[1][key] for key in ("received", "resolved", "in_progress")} == \
        {key: history.EXPECTED[key] for key in ("received", "resolved", "in_progress")}
    for before, after in zip(months, months[1:]):
        assert after["received"]["carried_over"] == before["in_progress"]["total"]


def test_the_indicators(fed):
    found = fed.get("/api/v1/reports/indicators", **MARCH).get_json()
    assert (found["on_time_rate"]["value"], found["on_time_rate"]["numerator"]) == (66.67, 10)
    assert (found["average_handling_time"]["value"], found["average_handling_time"]["dossiers"]) == (3.68, 9)
    assert found["channel_shares"]["channels"]["online"] == {"count": 3, "share": 23.08}
    assert found["satisfaction"]["value"] is None


def dossier_codes(fed, name: str, **filters) -> list[str]:
    answer = fed.get("/api/v1/reports/dossiers", figure=name, page_size=500, **MARCH, **filters).get_json()
    assert answer["total"] == len(answer["items"])
    return [item["code"] for item in answer["items"]]


def expected_codes(name: str) -> set[str]:
    """The dossiers of history.PLACEMENTS that a figure counts."""
    group, column = name.split(".")

    def counted(intake: str, outcome: str) -> bool:
        if group == "received":
            return column in ("total", intake)
        outcomes = ("early", "on_time", "late") if group == "resolved" else ("within_deadline", "overdue")
        return outcome in outcomes and column in ("total", outcome)

    return {code for code, placed in history.PLACEMENTS.items() if counted(*placed)}


def test_behind_every_figure_the_list_of_its_dossiers(fed):
    summary = fed.summary()
    for name in FIGURES:
        codes = dossier_codes(fed, name)
        assert len(codes) == figure(summary, name), name
        assert set(codes) == expected_codes(name), name
        for mechanism in ("one_stop", "inter_agency"):
            assert len(dossier_codes(fed, name, mechanism=mechanism)) == figure(summary[mechanism], name)
    assert dossier_codes(fed, "resolved.late", receiving_unit="04204") == [history.code(4, "04204"),
                                                                            history.code(18, "04204")]
    assert len(dossier_codes(fed, "indicator.2_1")) == 10
    assert history.code(20, "04168") not in dossier_codes(fed, "indicator.2_1")
    assert len(dossier_codes(fed, "indicator.2_2")) == 9


def test_the_list_is_paged_and_says_what_each_dossier_was_judged_against(fed):
    first = fed.get("/api/v1/reports/dossiers", figure="received.total", page=1, page_size=10, **MARCH).get_json()
    second = fed.get("/api/v1/reports/dossiers", figure="received.total", page=2, page_size=10, **MARCH).get_json()
    assert (first["total"], len(first["items"]), len(second["items"])) == (15, 10, 5)
    assert not {item["code"] for item in first["items"]} & {item["code"] for item in second["items"]}
    overdue = fed.get("/api/v1/reports/dossiers", figure="in_progress.overdue", **MARCH).get_json()["items"]
    apologised = next(item for item in overdue if item["apologised"])
    # Processed on 2 April, after the period: in progress at the end of March, due on 21 March.
    assert apologised["due_at"] == "2019-03-21T01:00:00+00:00"
    assert apologised["ended_at"] is None and apologised["outcome"] == "overdue"


def test_csv_and_xlsx_hold_the_same_table_laid_out_like_biểu_06(fed):
    text = fed.get("/api/v1/reports/summary", format="csv", **MARCH)
    assert text.status_code == 200 and text.mimetype == "text/csv"
    assert "bieu-06_126_2019-03-01_2019-03-31.csv" in text.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(text.get_data(as_text=True).lstrip("\ufeff"))))
    assert table[0][0] == "(1) STT" and table[0][12] == "(13) Quá hạn"
    total = table[1]
    assert total[1] == "Tổng cộng"
    assert [int(cell) for cell in total[2:]] == [figure(history.EXPECTED, name) for name in FIGURES]

    workbook = fed.get("/api/v1/reports/summary", format="xlsx", **MARCH)
    assert workbook.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.get_data())).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0][10] == "Biểu số 06/VPCP/KSTT"
    assert cells[3][0].startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    assert cells[4][0] == "Kỳ báo cáo: từ ngày 01/03/2019 đến ngày 31/03/2019"
    assert cells[6][:3] == ["STT", "Lĩnh vực, đơn vị", "Số hồ sơ nhận giải quyết"]
    assert cells[8][3:5] == ["Trực tuyến", "Trực tiếp, dịch vụ bưu chính"]
    assert cells[9] == [f"({number})" for number in range(1, 14)]
    body = cells[10:]
    # The file holds the CSV's rows, cell for cell.
    assert [["" if cell is None else str(cell) for cell in row] for row in body] == table[1:]
    labels = [row[1] for row in body]
    assert labels[:3] == ["Tổng cộng", "Trong đó: Một cửa", "Trong đó: Một cửa liên thông"]
    groups = {row[0]: row for row in body if row[0] in ("I", "II", "III")}
    assert [groups[number][1] for number in ("I", "II", "III")] == [
        "Sở, ban, ngành", "Huyện, thị xã, thành phố", "Xã, phường, thị trấn"]
    assert [groups[number][2] for number in ("I", "II", "III")] == [0, 1, 14]
    communes = body[labels.index("Xã, phường, thị trấn") + 1:]
    assert [(row[1], row[2]) for row in communes] == [("Thị trấn Sông Mã", 3), ("Xã Chiềng Khoong", 5),
                                                      ("Xã Chiềng Khương", 6)]


@pytest.mark.parametrize("path,extra", [("breakdown", {"by": "sector"}), ("trend", {}), ("indicators", {}),
                                        ("dossiers", {"figure": "resolved.late"})])
def test_every_table_exports_as_csv_and_xlsx(fed, path, extra):
    for file_format in ("csv", "xlsx"):
        answer = fed.get(f"/api/v1/reports/{path}", format=file_format, **MARCH, **extra)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        assert answer.headers["Content-Disposition"].startswith("attachment;")
    text = fed.get(f"/api/v1/reports/{path}", format="csv", **MARCH, **extra).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    sheet = openpyxl.load_workbook(io.BytesIO(fed.get(f"/api/v1/reports/{path}", format="xlsx", **MARCH, **extra)
                                              .get_data())).active
    cells = [["" if cell.value is None else str(cell.value) for cell in row] for row in sheet.iter_rows()]
    assert len(rows) > 1
    assert cells[-(len(rows) - 1):] == rows[1:]  # the file's table is the CSV's, cell for cell


def test_a_leader_of_one_commune_cannot_read_another(fed):
    march = {"from": "2019-03-01", "to": "2019-03-31"}
    own = fed.get("/api/v1/reports/summary", officer="04222", unit="04222", **march)
    assert own.status_code == 200 and own.get_json()["received"]["total"] == 6
    for path, extra in (("summary", {}), ("breakdown", {"by": "unit"}), ("trend", {}), ("indicators", {}),
                        ("dossiers", {"figure": "received.total"})):
        other = fed.get(f"/api/v1/reports/{path}", officer="04222", unit="04204", **march, **extra)
        assert other.status_code == 403, path
        assert other.content_type == "application/problem+json"
        assert other.get_json()["code"] == "unit_out_of_scope"
        # The district's leader sees both.
        assert fed.get(f"/api/v1/reports/{path}", officer="126", unit="04204", **march, **extra).status_code == 200
    # A commune cannot widen its view to the district either.
    assert fed.get("/api/v1/reports/summary", officer="04222", **MARCH).status_code == 403


@pytest.mark.parametrize("params,code", [
    ({"unit": "126", "from": "2019-03-31", "to": "2019-03-01"}, "validation_failed"),
    ({"unit": "126", "from": "2019-02-30", "to": "2019-03-01"}, "validation_failed"),
    ({"unit": "12", "from": "2019-03-01", "to": "2019-03-31"}, "unknown_unit"),
    ({"unit": "1a6", "from": "2019-03-01", "to": "2019-03-31"}, "validation_failed"),
    ({"unit": "126", "from": "2019-03-01"}, "validation_failed"),
    ({**MARCH, "format": "pdf"}, "validation_failed"),
    ({**MARCH, "colour": "red"}, "validation_failed"),
    ({"unit": "126", "from": "1990-01-01", "to": "2019-03-31"}, "validation_failed"),
])
def test_bad_queries_answer_problem_json(fed, params, code):
    answer = fed.get("/api/v1/reports/summary", **params)
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    assert answer.get_json()["code"] == code


def test_roles(fed):
    assert fed.get("/api/v1/reports/summary", role=None, **MARCH).status_code == 401
    assert fed.get("/api/v1/reports/summary", role="receptionist", **MARCH).get_json()["code"] == "forbidden_role"
    for role in ("leader", "auditor", "admin"):
        assert fed.get("/api/v1/reports/summary", role=role, **MARCH).status_code == 200
    # An officer's token without a unit is refused whole (issue 15): no unit is not "the whole province".
    for role in ("leader", "auditor", "admin"):
        unitless = fed.get("/api/v1/reports/summary", role=role, officer=None, **MARCH)
        assert (unitless.status_code, unitless.get_json()["code"]) == (401, "invalid_token")
    other = fed.get("/api/v1/reports/summary", role="admin", officer="04171", **MARCH)  # a commune's admin on 126
    assert (other.status_code, other.get_json()["code"]) == (403, "unit_out_of_scope")


def test_event_counts_still_count_each_event_once(fed):
    counts = fed.get("/api/v1/reports/event-counts").get_json()
    assert counts["stored"] == len(history.events())
    assert sum(counts["by_type"].values()) == counts["stored"]
