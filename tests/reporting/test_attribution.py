"""Biểu 06 by the resolving agency (`attribution=competent`) beside the default by the receiving unit.

The rule: a dossier counts under the unit of the last step of its latest route plan (`route.started`)
at the level its procedure is decided at (the plan's last step when none is), moved to the successor's
unit when that step is handed over at the 2025 reform (`route.handed_over`); before routing has planned
it, under the competent unit intake recorded at reception. The stories of March 2019 below and where
each lands are worked out by hand."""
from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from motcua_shared.events import new_event
from motcua_shared.events.catalogue import handover, route
from motcua_testing.system import System

from reporting.history import Story, t

MARCH = {"from": "2019-03-01", "to": "2019-03-31"}
PATHS = {"04222": "14.126.04222", "04204": "14.126.04204", "126": "14.126", "14": "14", "125": "14.125"}
LEVELS = {5: "commune", 3: "district", 2: "province"}


def planned(code: str, when: str, due: str, *units: str):
    """routing's route.started: one step per unit, in order (the last one decides)."""
    steps = [{"step_id": f"S-{code[-4:]}-{number}", "sequence": number, "unit": unit, "unit_path": PATHS[unit],
              "level": LEVELS[len(unit)], "agency": None, "action": "approve" if number == len(units) else "process",
              "budget_hours": 8.0} for number, unit in enumerate(units, start=1)]
    return new_event(route.ROUTE_STARTED, source="/motcua/routing", subject=code,
                     data={"dossier_code": code, "started_at": when, "due_at": due, "steps": steps})


class CompetentStory(Story):
    """A story whose desk named another unit as competent at reception."""

    def __init__(self, code: str, unit: str, competent: str):
        super().__init__(code, unit=unit)
        self.competent = competent

    def _facts(self) -> dict:
        return {**super()._facts(), "competent_unit": self.competent, "competent_unit_path": PATHS[self.competent]}


def stories():
    a = Story("H52.04222-190304-0001").received(t("03-04"), t("03-07")).processed(t("03-05"), t("03-07"))
    a.events.append(planned(a.code, t("03-04", "08:05"), t("03-07"), "04222", "04222"))
    # B: three-level liên thông, commune → district → province: the province decides; late.
    b = Story("H52.04222-190305-0002", inter_agency=True, procedure_code="2.000815", level="province",
              sector="Lao động").received(t("03-05"), t("03-12")).processed(t("03-13", "10:00"), t("03-12"))
    b.events.append(planned(b.code, t("03-05", "08:05"), t("03-12"), "04222", "126", "14"))
    # C: received at Chiềng Khoong for Chiềng Khương's competence, not yet routed: in progress within.
    c = CompetentStory("H52.04204-190325-0003", "04204", "04222").received(t("03-25"), t("04-05"))
    # D: received at the desk of Mai Sơn district (125), resolved by the commune Chiềng Khương; on time.
    d = Story("H52.125-190306-0004", unit="125")
    d.received(t("03-06"), t("03-08")).processed(t("03-08", "07:30"), t("03-08"))
    d.events.append(planned(d.code, t("03-06", "08:05"), t("03-08"), "125", "04222"))
    return [a, b, c, d]


@pytest.fixture
def fed(reporting):
    reporting.feed(event for story in stories() for event in story.events)
    return reporting


def summary(fed, unit: str, officer: str, **params) -> dict:
    answer = fed.get("/api/v1/reports/summary", officer=officer, unit=unit, **MARCH, **params)
    assert answer.status_code == 200, answer.text
    return answer.get_json()


def test_receiving_stays_the_default(fed):
    assert summary(fed, "04222", "04222") == summary(fed, "04222", "04222", attribution="receiving")


def test_each_dossier_counts_under_the_unit_that_resolves_it(fed):
    # By the receiving unit: Chiềng Khương received A and B; Chiềng Khoong C; Sông Mã's desks A, B, C.
    # By the resolving agency: Chiềng Khương resolves A, C and D; the province resolves B.
    received = {unit: summary(fed, unit, officer)["received"]["total"]
                for unit, officer in (("04222", "04222"), ("04204", "04204"), ("126", "126"), ("14", "14"))}
    competent = {unit: summary(fed, unit, officer, attribution="competent")["received"]["total"]
                 for unit, officer in (("04222", "04222"), ("04204", "04204"), ("126", "126"), ("14", "14"))}
    assert received == {"04222": 2, "04204": 1, "126": 3, "14": 4}
    assert competent == {"04222": 3, "04204": 0, "126": 3, "14": 4}
    # Chiềng Khương by the resolving agency: A early, D on time (received at Mai Sơn's desk, 6 March),
    # C in progress within its deadline of 5 April; all received in March at a counter.
    assert summary(fed, "04222", "04222", attribution="competent") == {
        "received": {"total": 3, "online": 0, "counter_postal": 3, "carried_over": 0},
        "resolved": {"total": 2, "early": 1, "on_time": 1, "late": 0},
        "in_progress": {"total": 1, "within_deadline": 1, "overdue": 0},
        "one_stop": {
            "received": {"total": 3, "online": 0, "counter_postal": 3, "carried_over": 0},
            "resolved": {"total": 2, "early": 1, "on_time": 1, "late": 0},
            "in_progress": {"total": 1, "within_deadline": 1, "overdue": 0},
        },
        "inter_agency": {
            "received": {"total": 0, "online": 0, "counter_postal": 0, "carried_over": 0},
            "resolved": {"total": 0, "early": 0, "on_time": 0, "late": 0},
            "in_progress": {"total": 0, "within_deadline": 0, "overdue": 0},
        },
    }
    # The province resolves B, late (processed on 13 March, due 12 March).
    breakdown = fed.get("/api/v1/reports/breakdown", officer="14", unit="14", by="competent_unit",
                        attribution="competent", **MARCH).get_json()
    assert {row["key"]: row["received"]["total"] for row in breakdown["rows"]} == {"04222": 3, "14": 1}
    late = fed.get("/api/v1/reports/dossiers", officer="14", unit="14", figure="resolved.late",
                   attribution="competent", competent_unit="14", **MARCH).get_json()
    assert [item["code"] for item in late["items"]] == ["H52.04222-190305-0002"]
    assert late["items"][0]["competent_unit"] == "14" and late["items"][0]["receiving_unit"] == "04222"


def test_a_liên_thông_group_registered_at_the_commune_stays_the_commune_s(reporting):
    # Birth registration with residence and health insurance (MC.010): decided at the commune, its later
    # step at the district's police. Received at Chiềng Khoong for a child of Chiềng Khương.
    story = CompetentStory("H52.04204-190311-0005", "04204", "04222")
    story.inter_agency, story.procedure_code = True, "MC.010"
    story.received(t("03-11"), t("03-18"))
    story.events.append(planned(story.code, t("03-11", "08:05"), t("03-18"), "04222", "126"))
    reporting.feed(story.events)
    found = reporting.get("/api/v1/reports/summary", officer="04222", unit="04222", attribution="competent",
                          **MARCH).get_json()
    assert found["inter_agency"]["received"]["total"] == 1
    by_district = reporting.get("/api/v1/reports/breakdown", officer="126", unit="126", by="competent_unit",
                                attribution="competent", **MARCH).get_json()
    assert [row["key"] for row in by_district["rows"]] == ["04222"]


def test_a_new_plan_replaces_the_old_and_a_rebuild_gives_the_same(fed):
    # C is routed after all, to the district: no longer Chiềng Khương's.
    fed.feed([planned("H52.04204-190325-0003", t("03-26"), t("04-05"), "04204", "126")])
    assert summary(fed, "04222", "04222", attribution="competent")["received"]["total"] == 2
    assert summary(fed, "126", "126", attribution="competent")["received"]["total"] == 3
    before = fed.snapshot()
    rebuilt = fed.app.test_client().post("/api/v1/admin/projections/rebuild",
                                         headers={"Authorization": f"Bearer {System.token('admin', unit='14')}"})
    assert rebuilt.status_code == 202, rebuilt.text
    fed.run_jobs()  # as the worker does
    assert fed.get(rebuilt.headers["Location"], role="admin", officer="14").get_json()["state"] == "done"
    assert fed.snapshot()["dossiers"] == before["dossiers"]


def test_a_step_handed_to_a_successor_in_2025_moves_the_dossier_there(reporting):
    # Received 25/06/2025 at Chiềng Khương, decided by the district (126); on 01/07/2025 the district's
    # step goes to the commune's office (two-level path 14.04222). July 2025 by the resolving agency.
    code = "H52.04222-250625-0001"
    story = Story(code, procedure_code="2.000806", level="district").received("2025-06-25T08:00:00+07:00", "2025-07-04T08:00:00+07:00")
    story.events.append(planned(code, "2025-06-25T08:05:00+07:00", "2025-07-04T08:00:00+07:00", "04222", "126"))
    reporting.feed(story.events)
    july = {"from": "2025-07-01", "to": "2025-07-31"}

    def competent_report():
        answer = reporting.get("/api/v1/reports/summary", officer="04222", unit="04222", attribution="competent",
                               **july)
        assert answer.status_code == 200, answer.text
        return answer.get_json()

    assert competent_report()["received"]["total"] == 0  # still the district's (abolished) agency
    reporting.feed([new_event(handover.ROUTE_HANDED_OVER, source="/motcua/routing", subject=code, data={
        "dossier_code": code, "handed_over_at": "2025-07-01T00:00:00+07:00", "reason": "Chính quyền hai cấp.",
        "steps": [{"sequence": 2, "state": "planned", "from_step_id": "S-0001-2", "to_step_id": "S-0001-2",
                   "from_unit": "126", "from_agency": "14.126.PTP", "from_agency_name": "Phòng Tư pháp huyện Sông Mã",
                   "to_unit": "04222", "to_unit_path": "14.04222", "to_level": "commune",
                   "to_agency": "14.04222.PVHXH", "to_agency_name": "Phòng Văn hóa - Xã hội xã Chiềng Khương",
                   "due_at": None}]})])
    found = competent_report()
    # Carried over from June, still open on 31 July, due 4 July: overdue.
    assert found["received"] == {"total": 1, "online": 0, "counter_postal": 0, "carried_over": 1}
    assert found["in_progress"] == {"total": 1, "within_deadline": 0, "overdue": 1}


def test_the_files_say_which_attribution_and_name_the_resolving_units(fed):
    answer = fed.get("/api/v1/reports/summary", officer="14", unit="14", attribution="competent", format="csv", **MARCH)
    assert answer.status_code == 200
    assert "bieu-06_co-quan-giai-quyet_14_2019-03-01_2019-03-31.csv" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    labels = [row[1] for row in rows]
    communes = rows[labels.index("Xã, phường, thị trấn") + 1:]
    assert [(row[1], row[2]) for row in communes] == [("Xã Chiềng Khương", "3")]
    workbook = fed.get("/api/v1/reports/summary", officer="14", unit="14", attribution="competent", format="xlsx",
                       **MARCH)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.get_data())).active
    assert sheet["A6"].value == "Số liệu theo cơ quan giải quyết"
    receiving = openpyxl.load_workbook(io.BytesIO(fed.get("/api/v1/reports/summary", officer="14", unit="14",
                                                          format="xlsx", **MARCH).get_data())).active
    assert receiving["A6"].value is None


@pytest.mark.parametrize("value", ["resolving", "COMPETENT", ""])
def test_an_unknown_attribution_is_refused(fed, value):
    answer = fed.get("/api/v1/reports/summary", officer="126", unit="126", attribution=value, **MARCH)
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    problem = answer.get_json()
    assert problem["code"] == "validation_failed"
    assert [(p["name"], p["code"]) for p in problem["invalid_params"]] == [("attribution", "invalid_choice")]
