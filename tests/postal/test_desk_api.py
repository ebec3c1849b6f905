"""The desk's API: the shipments of an officer's unit and the units below it, the overdue list, and
a status the partner gave by phone, applied like the partner's own reports."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua_shared.events.catalogue.shipment import SHIPMENT_PROGRESSED

from postal.harness import VN, at

CHIENG_KHUONG = {"receiving_unit": "04222", "receiving_unit_path": "14.126.04222"}
SONG_MA_TOWN = {"receiving_unit": "04168", "receiving_unit_path": "14.126.04168"}


@pytest.fixture
def desks(postal):
    """Two results out for delivery at Chiềng Khương and one at Thị trấn Sông Mã (district 126)."""
    codes = {"ck1": "H52.04222-190319-0001", "ck2": "H52.04222-190319-0002", "sm1": "H52.04168-190319-0001"}
    for key, code in codes.items():
        unit = SONG_MA_TOWN if key.startswith("sm") else CHIENG_KHUONG
        postal.deliver(postal.received(code, **unit), postal.processed(code, occurred_at=at("2019-03-19 10:00")))
    return {key: postal.shipment(code, "result_to_citizen")["id"] for key, code in codes.items()}


def ids(answer) -> set[str]:
    assert answer.status_code == 200, answer.get_json()
    return {item["shipment_id"] for item in answer.get_json()["items"]}


def test_officers_see_the_shipments_of_their_unit_and_below(postal, desks):
    api = postal.client()
    assert ids(api.get("/api/v1/shipments", headers=postal.auth("receptionist", unit="04222"))) == \
        {desks["ck1"], desks["ck2"]}
    assert ids(api.get("/api/v1/shipments", headers=postal.auth("receptionist", unit="04168"))) == {desks["sm1"]}
    assert ids(api.get("/api/v1/shipments", headers=postal.auth("leader", unit="126"))) == set(desks.values())
    assert ids(api.get("/api/v1/shipments", headers=postal.auth("auditor", unit="14"))) == set(desks.values())
    assert ids(api.get("/api/v1/shipments", headers=postal.auth("admin", unit="14"))) == set(desks.values())
    assert ids(api.get("/api/v1/shipments", headers=postal.auth("leader", unit="127"))) == set()  # Sốp Cộp
    assert ids(api.get("/api/v1/shipments", headers=postal.auth("admin", unit="04168"))) == {desks["sm1"]}


def test_a_shipment_outside_the_officers_scope_does_not_exist_for_them(postal, desks):
    api = postal.client()
    answer = api.get(f"/api/v1/shipments/{desks['sm1']}", headers=postal.auth("receptionist", unit="04222"))
    assert answer.status_code == 404 and answer.get_json()["code"] == "shipment_not_found"
    assert answer.content_type == "application/problem+json"
    answer = api.get("/api/v1/shipments/SH-unknown", headers=postal.auth("receptionist", unit="04222"))
    assert answer.status_code == 404
    answer = api.get(f"/api/v1/shipments/{desks['sm1']}", headers=postal.auth("admin", unit="04222"))
    assert answer.status_code == 404 and answer.get_json()["code"] == "shipment_not_found"  # another commune's admin

    answer = api.get(f"/api/v1/shipments/{desks['sm1']}", headers=postal.auth("receptionist", unit="04168"))
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["pickup"]["name"] == "Bộ phận một cửa UBND thị trấn Sông Mã"
    assert body["status"] == "requested" and body["status_label"] == "Chờ bưu điện nhận yêu cầu"
    assert [(h["status"], h["source"]) for h in body["history"]] == [("requested", "system")]


@pytest.mark.parametrize("headers,status,problem", [
    ({}, 401, "unauthenticated"),
    ({"unit": "04222", "role": "citizen"}, 403, "forbidden_role"),
    # An officer's token names their unit; without one (or with no unit code) it is refused whole.
    ({"unit": None, "role": "receptionist"}, 401, "invalid_token"),
    ({"unit": None, "role": "admin"}, 401, "invalid_token"),
    ({"unit": "%", "role": "auditor"}, 401, "invalid_token"),
])
def test_only_officers_with_a_unit_may_look(postal, desks, headers, status, problem):
    auth = postal.auth(headers["role"], unit=headers["unit"]) if headers else {}
    answer = postal.client().get("/api/v1/shipments", headers=auth)
    assert (answer.status_code, answer.get_json()["code"]) == (status, problem)


def test_filters_and_paging(postal, desks):
    postal.deliver(postal.report(desks["ck1"], "failed", at("2019-03-20 10:00")))
    api, auth = postal.client(), postal.auth("leader", unit="126")
    assert ids(api.get("/api/v1/shipments?attention=true", headers=auth)) == {desks["ck1"]}
    assert ids(api.get("/api/v1/shipments?status=requested", headers=auth)) == {desks["ck2"], desks["sm1"]}
    assert ids(api.get("/api/v1/shipments?direction=dossier_to_office", headers=auth)) == set()
    assert ids(api.get("/api/v1/shipments?dossier_code=H52.04168-190319-0001", headers=auth)) == {desks["sm1"]}
    pages = [api.get(f"/api/v1/shipments?page={p}&page_size=2", headers=auth).get_json() for p in (1, 2)]
    assert [len(p["items"]) for p in pages] == [2, 1] and pages[0]["total"] == 3
    assert {i["shipment_id"] for p in pages for i in p["items"]} == set(desks.values())
    attention = api.get(f"/api/v1/shipments/{desks['ck1']}", headers=auth).get_json()["attention"]
    assert attention["reason"] == "failed" and attention["label"] == "Bưu điện báo không lấy hoặc không phát được, cần liên hệ công dân"

    for query in ("status=lost", "page=0", "page_size=500", "priority=high", "attention=maybe"):
        answer = api.get(f"/api/v1/shipments?{query}", headers=auth)
        assert answer.status_code == 422 and answer.get_json()["code"] == "validation_failed", query


def test_the_overdue_list_holds_the_shipments_still_out_after_deliver_by(postal, desks, code):
    postal.deliver(postal.report(desks["ck1"], "delivered", at("2019-03-21 10:00")),
                   postal.report(desks["ck2"], "failed", at("2019-03-21 10:00")))
    # A result ready today is not late yet...
    postal.deliver(postal.received(code), postal.processed(code, occurred_at=datetime.now(VN)))
    fresh = postal.shipment(code, "result_to_citizen")["id"]
    auth = postal.auth("receptionist", unit="04222")

    answer = postal.client().get("/api/v1/shipments/overdue", headers=auth)
    assert [i["shipment_id"] for i in answer.get_json()["items"]] == [desks["ck2"]]  # failed: still out
    assert answer.get_json()["items"][0]["overdue"] is True

    # ...but it is, on the service's clock, a fortnight later.
    later = postal.client(MOTCUA_CLOCK_OFFSET_SECONDS=str(14 * 86400))
    items = later.get("/api/v1/shipments/overdue", headers=auth).get_json()["items"]
    assert [i["shipment_id"] for i in items] == [desks["ck2"], fresh]  # most overdue first


def test_a_status_given_by_phone_goes_through_the_same_machine(postal, desks):
    api, auth = postal.client(), postal.auth("receptionist", unit="04222", sub="le-thi-lan")
    url = f"/api/v1/shipments/{desks['ck1']}/reports"
    body = {"status": "picked_up", "occurred_at": "2019-03-20T09:15:00+07:00",
            "note": "Bưu tá Lò Văn Ánh gọi điện báo đã nhận kết quả tại bộ phận một cửa."}

    answer = api.post(url, json=body, headers=auth)
    assert answer.status_code == 201, answer.get_json()
    shipment = answer.get_json()
    assert shipment["status"] == "picked_up"
    assert shipment["history"][-1] == {
        "status": "picked_up", "label": "Bưu điện đã nhận bưu gửi", "occurred_at": "2019-03-20T02:15:00+00:00",
        "recorded_at": shipment["history"][-1]["recorded_at"], "source": "manual", "actor": "le-thi-lan",
        "tracking_number": None, "note": body["note"], "effective": True}
    (progressed,) = postal.published(SHIPMENT_PROGRESSED)
    assert progressed["data"]["source"] == "manual" and progressed["data"]["recorded_by"] == "le-thi-lan"

    before = (postal.history(desks["ck1"]), postal.published())
    for late in ("picked_up", "accepted"):  # already there, or behind: nothing to record
        answer = api.post(url, json={**body, "status": late}, headers=auth)
        assert (answer.status_code, answer.get_json()["code"]) == (409, "status_not_applicable")
    assert (postal.history(desks["ck1"]), postal.published()) == before


@pytest.mark.parametrize("change,status,problem", [
    ({"occurred_at": (datetime.now(VN) + timedelta(days=1)).isoformat()}, 422, "implausible_time"),
    ({"occurred_at": "2019-03-18T09:00:00+07:00"}, 422, "implausible_time"),
    ({"occurred_at": "2019-03-20T09:15:00"}, 422, "validation_failed"),  # no offset
    ({"status": "lost"}, 422, "validation_failed"),
    ({"note": ""}, 422, "validation_failed"),
    ({"priority": "high"}, 422, "validation_failed"),
])
def test_a_bad_manual_entry_stores_nothing(postal, desks, change, status, problem):
    body = {"status": "delivered", "occurred_at": "2019-03-21T10:00:00+07:00", "note": "Bưu điện báo qua điện thoại.",
            **change}
    before = (postal.history(desks["ck1"]), postal.published())
    answer = postal.client().post(f"/api/v1/shipments/{desks['ck1']}/reports", json=body,
                                  headers=postal.auth("receptionist", unit="04222"))
    assert (answer.status_code, answer.get_json()["code"]) == (status, problem)
    assert answer.content_type == "application/problem+json"
    assert (postal.history(desks["ck1"]), postal.published()) == before


@pytest.mark.parametrize("role,unit,status", [("auditor", "04222", 403), ("specialist", "04222", 403),
                                              ("receptionist", "04168", 404)])
def test_only_the_desk_in_scope_may_enter_a_status(postal, desks, role, unit, status):
    answer = postal.client().post(f"/api/v1/shipments/{desks['ck1']}/reports", headers=postal.auth(role, unit=unit),
                                  json={"status": "delivered", "occurred_at": "2019-03-21T10:00:00+07:00",
                                        "note": "Bưu điện báo qua điện thoại."})
    assert answer.status_code == status
    assert postal.shipments()[0]["status"] == "requested"
