"""The officer's side of local steps over HTTP: work inboxes confined to the officer's scope; claim,
complete, forward, send back; the control log of every hand-over; the leader's apology. Bad input
answers problem+json with a machine code and changes nothing."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from motcua_shared.events.catalogue.route import APOLOGY_ISSUED

from routing.support import (local, officer, open_step, published, receive, received, route, start_routing, steps,
                             wait_local, wait_route)
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(120)
CODE = "H52.04222-190315-0101"  # 1.001776: commune proposes, district appraises, district chairman signs


def post(client, path: str, headers: dict, body: dict | None = None):
    answer = client.post(path, headers=headers, json=body) if body is not None else client.post(path, headers=headers)
    return answer.status_code, answer.get_json()


def new_attempt(system, sequence: int, attempt: int) -> dict:
    return wait_for(lambda: (lambda s: s if s and s["sequence"] == sequence and s["attempt"] == attempt
                             and s["local_at"] else None)(open_step(system, CODE)),
                    what=f"step {sequence} attempt {attempt} in its inbox")


def test_officers_work_an_inter_level_route_through_their_inboxes(system):
    start_routing(system)
    receive(system, received(CODE, "1.001776", local("2019-03-15T08:30")))
    client = system.client("routing")
    first = wait_local(system, CODE)["step_id"]
    a, b = officer(system, "04222", sub="cv-a"), officer(system, "04222", sub="cv-b")

    # Scope: the commune, its district and the province see the step; a neighbouring commune does not.
    inbox = client.get("/api/v1/steps", headers=a).get_json()
    assert inbox["total"] == 1 and inbox["items"][0]["step_id"] == first
    assert inbox["items"][0]["agency_name"] == "Ủy ban nhân dân xã Chiềng Khương" and inbox["items"][0]["local"]
    for unit, role, seen in (("04204", "specialist", 0), ("126", "leader", 1), ("14", "auditor", 1)):
        assert client.get("/api/v1/steps", headers=officer(system, unit, role)).get_json()["total"] == seen, unit
    assert client.get("/api/v1/steps?q=tro cap xa hoi", headers=a).get_json()["total"] == 1  # accents ignored
    assert client.get("/api/v1/steps?q=khai sinh", headers=a).get_json()["total"] == 0
    assert client.get("/api/v1/steps?q=h52.04222-190315-01", headers=a).get_json()["total"] == 1  # a code's start
    assert client.get("/api/v1/steps?q=%25", headers=a).get_json()["total"] == 0  # no wildcard
    refused = client.get("/api/v1/steps?unit=04204", headers=a)
    assert refused.status_code == 403 and refused.get_json()["code"] == "unit_out_of_scope"
    unknown = client.get("/api/v1/steps?sort=due", headers=a)
    assert unknown.status_code == 422 and unknown.get_json()["invalid_params"][0]["code"] == "unknown_field"
    assert client.get(f"/api/v1/routes/{CODE}", headers=officer(system, "04204")).status_code == 404
    assert post(client, f"/api/v1/steps/{first}/claim", officer(system, "04204"))[1]["code"] == "step_not_found"

    # Claiming and completing: one holder at a time; the outcome validated before anything changes.
    assert post(client, f"/api/v1/steps/{first}/complete", a, {"outcome": "approved"})[1]["code"] == "step_not_claimed"
    assert post(client, f"/api/v1/steps/{first}/claim", a)[1]["status"] == "claimed"
    assert post(client, f"/api/v1/steps/{first}/claim", a)[0] == 200  # idempotent for its holder
    assert post(client, f"/api/v1/steps/{first}/claim", b)[1]["code"] == "step_claimed_by_other"
    before = (steps(system, CODE), system.count("routing", "outbox"))
    for body, field, code in (({"outcome": "rejected"}, "note", "required"),
                              ({"outcome": "approved", "urgent": True}, "urgent", "unknown_field"),
                              ({"outcome": "maybe"}, "outcome", "invalid_choice")):
        status, problem = post(client, f"/api/v1/steps/{first}/complete", a, body)
        assert status == 422 and problem["code"] == "validation_failed"
        assert {(p["name"], p["code"]) for p in problem["invalid_params"]} == {(field, code)}
    assert post(client, f"/api/v1/steps/{first}/send-back", a, {"note": "x"})[1]["code"] == "no_previous_step"
    assert (steps(system, CODE), system.count("routing", "outbox")) == before
    assert post(client, f"/api/v1/steps/{first}/complete", a, {"outcome": "approved"})[1]["status"] == "completed"

    # The district sends the dossier back; the commune completes it again; the district goes on.
    district = officer(system, "126", sub="cv-huyen")
    appraise = new_attempt(system, 2, 1)["step_id"]
    assert post(client, f"/api/v1/steps/{appraise}/claim", district)[0] == 200
    status, back = post(client, f"/api/v1/steps/{appraise}/send-back", district, {"note": "Thiếu biên bản họp xét."})
    assert status == 200 and back["status"] == "sent_back"
    again = new_attempt(system, 1, 2)["step_id"]
    assert post(client, f"/api/v1/steps/{again}/claim", a)[0] == 200
    assert post(client, f"/api/v1/steps/{again}/complete", a, {"outcome": "approved"})[0] == 200

    # A district leader hands the step to a colleague; a wrong target is refused.
    leader = officer(system, "126", "leader", sub="lanh-dao-huyen")
    appraise = new_attempt(system, 2, 2)["step_id"]
    status, problem = post(client, f"/api/v1/steps/{appraise}/forward", leader, {"to_agency": "14.04222.UBND"})
    assert status == 422 and problem["code"] == "invalid_agency"
    status, problem = post(client, f"/api/v1/steps/{appraise}/forward", leader, {"to_officer": "x", "to_agency": "y"})
    assert status == 422 and problem["invalid_params"][0]["name"] == "to_officer"
    status, forwarded = post(client, f"/api/v1/steps/{appraise}/forward", leader, {"to_officer": "cv-huyen-2"})
    assert status == 200 and forwarded["claimed_by"] == "cv-huyen-2"
    assert post(client, f"/api/v1/steps/{appraise}/complete", officer(system, "126", sub="cv-huyen-2"),
                {"outcome": "approved"})[0] == 200

    # Signing is the chairman's: a specialist may not take it.
    sign = new_attempt(system, 3, 1)["step_id"]
    assert post(client, f"/api/v1/steps/{sign}/claim", district)[1]["code"] == "leader_required"
    assert post(client, f"/api/v1/steps/{sign}/claim", leader)[0] == 200
    assert post(client, f"/api/v1/steps/{sign}/complete", leader, {"outcome": "approved"})[0] == 200
    wait_route(system, CODE, "completed")
    assert post(client, f"/api/v1/steps/{sign}/claim", leader)[1]["code"] == "step_closed"

    # The control log (Mẫu 05) as the receiving commune's desk reads it.
    view = client.get(f"/api/v1/routes/{CODE}", headers=system.auth("receptionist", unit="04222")).get_json()
    assert [(s["sequence"], s["attempt"], s["status"]) for s in view["steps"]] == [
        (1, 1, "completed"), (1, 2, "completed"), (2, 1, "sent_back"), (2, 2, "completed"), (3, 1, "completed")]
    assert [h["kind"] for h in view["handovers"]] == [
        "transferred", "claimed", "transferred", "claimed", "sent_back", "claimed", "transferred", "forwarded",
        "transferred", "claimed", "returned"]
    sent_back = view["handovers"][4]
    assert (sent_back["from_party"], sent_back["to_party"], sent_back["note"]) == (
        "Phòng Lao động - Thương binh và Xã hội huyện Sông Mã", "Ủy ban nhân dân xã Chiềng Khương",
        "Thiếu biên bản họp xét.")
    assert view["handovers"][-1]["to_party"] == "Bộ phận tiếp nhận và trả kết quả Xã Chiềng Khương"


def test_a_leader_apologises_once_with_a_later_appointment(system):
    start_routing(system)
    code = "H52.04222-261127-0001"
    receive(system, received(code, "1.004873", datetime.now(timezone.utc) - timedelta(minutes=5)))
    wait_local(system, code)
    client = system.client("routing")
    due = route(system, code)["due_at"]
    leader = officer(system, "04222", "leader")
    body = {"reason": "Cần xác minh thêm thông tin tại nơi cư trú trước đây.",
            "new_due_at": (due + timedelta(days=3)).isoformat()}
    assert post(client, f"/api/v1/routes/{code}/apology", officer(system, "04222"), body)[1]["code"] == "forbidden_role"
    assert post(client, f"/api/v1/routes/{code}/apology", officer(system, "04204", "leader"), body)[0] == 404
    status, problem = post(client, f"/api/v1/routes/{code}/apology", leader, {**body, "new_due_at": due.isoformat()})
    assert status == 422 and problem["code"] == "new_due_not_later"
    status, view = post(client, f"/api/v1/routes/{code}/apology", leader, body)
    assert status == 201 and datetime.fromisoformat(view["due_at"]) == due + timedelta(days=3)
    assert post(client, f"/api/v1/routes/{code}/apology", leader, body)[1]["code"] == "apology_already_issued"
    [apology] = published(system, APOLOGY_ISSUED, code)
    assert apology["data"]["reason"] == body["reason"] and apology["data"]["unit"] == "04222"
    assert datetime.fromisoformat(apology["data"]["original_due_at"]) == due
