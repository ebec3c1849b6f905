"""Whole routes on the real broker and database, under both hierarchies: a commune procedure, a
district procedure and a province procedure, each received at a commune desk of Sông Mã, and a
commune procedure received at the desk of another commune than the competent one.

The district deployment handles its own units (ROUTING_LOCAL_UNITS=14.126,14.126.* and its
communes' two-level paths); its officers work the local steps through the HTTP API; the province's
steps go to the reference province handler, a separate process logged in as `province_routing`.
"""
from __future__ import annotations

import pytest

from motcua_shared.events.catalogue.route import ROUTE_COMPLETED, ROUTE_STARTED, STEP_ASSIGNED, STEP_COMPLETED
from motcua_shared.reference import load_catalogue
from motcua_shared.workcal import WorkingCalendar

from routing.support import (SONG_MA, local, published, receive, received, start_province, start_routing, steps,
                             stop_process, wait_route, work_through)

pytestmark = pytest.mark.timeout(120)
LOCAL_UNITS = tuple(SONG_MA.split(","))

# (hierarchy, day of receipt, expected (level, unit path, agency, action) per step for each procedure)
WORLDS = {
    "three_level": (local("2019-03-15T08:30"), {
        "1.004873": [("commune", "14.126.04222", "14.126.04222.UBND", "process"),
                     ("commune", "14.126.04222", "14.126.04222.UBND", "sign")],
        "1.001776": [("commune", "14.126.04222", "14.126.04222.UBND", "process"),
                     ("district", "14.126", "14.126.PLDTBXH", "appraise"),
                     ("district", "14.126", "14.126.PLDTBXH", "sign")],
        "2.001583": [("province", "14", "14.SKHDT", "process"), ("province", "14", "14.SKHDT", "approve")],
        # Received at Chiềng Khương (04222) for Chiềng Khoong (04204): the competent commune works it.
        "1.004873@04204": [("commune", "14.126.04204", "14.126.04204.UBND", "process"),
                           ("commune", "14.126.04204", "14.126.04204.UBND", "sign")],
    }),
    "two_level": (local("2025-08-04T09:15"), {
        "1.004873": [("commune", "14.04222", "14.04222.UBND", "process"),
                     ("commune", "14.04222", "14.04222.UBND", "sign")],
        # A district procedure until 30/06/2025; the commune's from 01/07/2025.
        "1.001776": [("commune", "14.04222", "14.04222.PVHXH", "process"),
                     ("commune", "14.04222", "14.04222.PVHXH", "sign")],
        "2.001583": [("province", "14", "14.STC", "process"), ("province", "14", "14.STC", "approve")],
        # Reception is not bound by commune boundaries from 01/07/2025 (Decree 118/2025).
        "1.004873@04204": [("commune", "14.04204", "14.04204.UBND", "process"),
                           ("commune", "14.04204", "14.04204.UBND", "sign")],
    }),
}


@pytest.mark.parametrize("hierarchy", WORLDS)
def test_commune_district_and_province_dossiers_travel_their_whole_route(system, hierarchy):
    received_at, expected = WORLDS[hierarchy]
    province = start_province(system)
    start_routing(system, ROUTING_LOCAL_UNITS=SONG_MA)
    codes = {case: f"H52.04222-{hierarchy[:3].upper()}-{n:04d}" for n, case in enumerate(expected, 1)}
    receive(system, *(received(code, case.split("@")[0], received_at, competent_unit=case.partition("@")[2] or None)
                      for case, code in codes.items()))

    for case, code in codes.items():
        procedure = case.split("@")[0]
        # The province's steps may be answered before the officers look; the local ones never are.
        ends = ("done", "external") if procedure == "2.001583" else ("done",)
        assert work_through(system, code, LOCAL_UNITS) in ends
        completed = wait_route(system, code, "completed")
        assert completed["outcome"] == "approved"
        taken = steps(system, code)
        assert [(s["level"], s["unit_path"], s["agency_id"], s["action"]) for s in taken] == expected[case]
        assert all(s["status"] == "completed" and s["outcome"] == "approved" for s in taken)
        # Each step went out on routing.steps with routing key step.<unit path> ...
        assigned = published(system, STEP_ASSIGNED, code)
        assert [(e["exchange"], e["routing_key"]) for e in assigned] == [
            ("routing.steps", f"step.{path}") for _, path, _, _ in expected[case]]
        assert all(e["data"]["reply_to"] == "result.motcua" for e in assigned)
        # ... and the province's were answered by the province's own handler, not here.
        province_steps = [s for s in taken if s["level"] == "province"]
        assert all(s["local_at"] is None and s["handled_by"] == s["agency_name"] for s in province_steps)
        assert all(s["local_at"] is not None and s["claimed_by"] for s in taken if s["level"] != "province")
        # Local answers were published exactly as a province's are.
        local_answers = published(system, STEP_COMPLETED, code)
        assert [(e["exchange"], e["routing_key"]) for e in local_answers] == [
            ("routing.step-results", "result.motcua")] * (len(taken) - len(province_steps))

        started = published(system, ROUTE_STARTED, code)[0]["data"]
        procedure_time = load_catalogue().get(procedure).processing_time
        assert sum(s["budget_hours"] for s in started["steps"]) * 60 == WorkingCalendar().working_minutes_between(
            WorkingCalendar().start_of_count(received_at),
            WorkingCalendar().add(received_at, procedure_time.value, procedure_time.unit))
        [done] = published(system, ROUTE_COMPLETED, code)
        assert done["exchange"] == "routing.events" and done["data"]["outcome"] == "approved"

    # The control log of the inter-level dossier, as an officer of the receiving commune reads it.
    client = system.client("routing")
    view = client.get(f"/api/v1/routes/{codes['1.001776']}", headers=system.auth("receptionist", unit="04222"))
    assert view.status_code == 200, view.get_json()
    log = view.get_json()["handovers"]
    kinds = [row["kind"] for row in log]
    assert kinds[0] == "transferred" and kinds[-1] == "returned"
    assert kinds.count("claimed") == len(expected["1.001776"])
    assert log[0]["from_party"].startswith("Bộ phận tiếp nhận và trả kết quả Xã Chiềng Khương")
    assert log[-1]["to_party"] == log[0]["from_party"] and log[-1]["result"] == "approved"
    assert stop_process(province) == 0

    # The receiving desk sees the route it sent to another commune; its officers cannot act on its steps.
    away = codes["1.004873@04204"]
    assert client.get(f"/api/v1/routes/{away}", headers=system.auth("receptionist", unit="04222")).status_code == 200
    mine = client.get("/api/v1/steps?status=all", headers=system.auth("specialist", unit="04222")).get_json()
    assert away not in {step["dossier_code"] for step in mine["items"]}
    assert mine["total"] == sum(path.endswith("04222") for case in expected for _, path, _, _ in expected[case])

