"""The desk's postal pages: the shipments by tab, one shipment with its history, and a status the post
gave by phone recorded through postal. Shipments are made the way postal makes them, from intake's
events, by running postal's own handlers on the console's postal database (no broker)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua_shared.workcal import VIETNAM_TZ

from console.support import page, post_form
from postal.harness import VN, Postal, at

CHIENG_KHUONG = {"receiving_unit": "04222", "receiving_unit_path": "14.126.04222"}
SONG_MA_TOWN = {"receiving_unit": "04168", "receiving_unit_path": "14.126.04168"}


def postal_of(console) -> Postal:
    """The postal test harness on the console's postal database (closed with the console, not here)."""
    app = console.services["postal"]
    return Postal(app.extensions["motcua"], env={})


@pytest.fixture
def desk(console):
    """At Chiềng Khương: a result long overdue, one the post could not deliver, one ready today and a
    dossier to pick up from a citizen; at Thị trấn Sông Mã: one result, overdue, not ours to see."""
    postal = postal_of(console)
    codes = {"late": "H52.04222-190319-0001", "failed": "H52.04222-190319-0002",
             "fresh": "H52.04222-190319-0003", "pickup": "H52.04222-190319-0004", "other": "H52.04168-190319-0001"}
    now = datetime.now(VN)
    for key in ("late", "failed", "other"):
        unit = SONG_MA_TOWN if key == "other" else CHIENG_KHUONG
        postal.deliver(postal.received(codes[key], **unit),
                       postal.processed(codes[key], occurred_at=at("2019-03-19 10:00")))
    postal.deliver(postal.received(codes["fresh"], **CHIENG_KHUONG),
                   postal.processed(codes["fresh"], occurred_at=now))
    postal.deliver(postal.submitted(codes["pickup"], submitted_at=now, **CHIENG_KHUONG))
    ids = {key: postal.shipments(code)[0]["id"] for key, code in codes.items()}
    postal.deliver(postal.report(ids["failed"], "failed", at("2019-03-20 10:00"), note="Không có người nhận."))
    return {"postal": postal, "codes": codes, "ids": ids}


def listed(soup) -> set[str]:
    return {row["data-shipment"] for row in soup.select("tbody tr[data-shipment]")}


def test_the_tabs_show_only_the_desks_own_shipments(console, desk):
    ids = desk["ids"]
    client = console.signed_in("receptionist", unit="04222")

    soup = page(client.get("/buu-chinh"))  # "Cần xử lý" by default
    assert listed(soup) == {ids["failed"]}
    assert soup.select_one('.tabs a[aria-current="page"]').get_text(strip=True) == "Cần xử lý"
    row = soup.select_one(f'tr[data-shipment="{ids["failed"]}"]').get_text(" ", strip=True)
    assert "cần liên hệ công dân" in row and "Trả kết quả cho công dân" in row and "Quá hạn" in row
    link = soup.select_one(f'tr[data-shipment="{ids["failed"]}"] a[href="/ho-so/{desk["codes"]["failed"]}"]')
    assert link is not None
    assert soup.select_one(f'a[href="/buu-chinh/{ids["failed"]}"]') is not None

    soup = page(client.get("/buu-chinh?tab=qua-han"))
    assert listed(soup) == {ids["late"], ids["failed"]}
    assert all("Quá hạn" in row.get_text() for row in soup.select("tbody tr"))

    soup = page(client.get("/buu-chinh?tab=tat-ca"))
    assert listed(soup) == {ids["late"], ids["failed"], ids["fresh"], ids["pickup"]}
    assert "(4)" in soup.h2.get_text()

    soup = page(client.get("/buu-chinh?tab=dang-gui"))
    assert listed(soup) == {ids["late"], ids["fresh"], ids["pickup"]}

    soup = page(client.get("/buu-chinh?tab=tat-ca&direction=dossier_to_office"))
    assert listed(soup) == {ids["pickup"]}
    assert "Nhận hồ sơ từ công dân" in soup.select_one("tbody tr").get_text()
    soup = page(client.get("/buu-chinh?tab=qua-han&direction=result_to_citizen"))
    assert listed(soup) == {ids["late"], ids["failed"]}
    soup = page(client.get("/buu-chinh?tab=qua-han&direction=dossier_to_office"))
    assert listed(soup) == set() and "Không có bưu gửi nào quá hạn phát." in soup.get_text()

    # The other commune's desk sees its own only.
    other = console.signed_in("leader", unit="04168")
    assert listed(page(other.get("/buu-chinh?tab=tat-ca"))) == {ids["other"]}


def test_the_list_is_paged(console, desk, monkeypatch):
    from motcua_console.web.postal import shipments

    monkeypatch.setattr(shipments, "PAGE_SIZE", 3)
    client = console.signed_in("receptionist", unit="04222")
    first = page(client.get("/buu-chinh?tab=tat-ca"))
    assert len(listed(first)) == 3
    following = first.select_one('.pagination a[rel="next"]')["href"]
    assert "tab=tat-ca" in following and "page=2" in following
    second = page(client.get(following))
    assert len(listed(second)) == 1 and not listed(first) & listed(second)
    # A gathered tab pages the same way.
    on_the_way = [page(client.get(f"/buu-chinh?tab=dang-gui&page={p}")) for p in (1, 2)]
    assert [len(listed(s)) for s in on_the_way] == [3, 0]


def test_the_shipment_page_shows_its_facts_and_whole_history(console, desk):
    shipment_id, code = desk["ids"]["failed"], desk["codes"]["failed"]
    client = console.signed_in("receptionist", unit="04222")
    soup = page(client.get(f"/buu-chinh/{shipment_id}"))
    assert soup.h1.get_text(strip=True) == f"Bưu gửi của hồ sơ {code}"
    facts = soup.select_one("dl.summary").get_text(" ", strip=True)
    assert "Bộ phận một cửa UBND xã Chiềng Khương" in facts  # where the post picks the result up
    assert "Số 12, bản Hưng Mai" in facts                       # where it delivers it
    assert "EB123456789VN" in facts and "Quá hạn" in facts
    assert "50.000 đồng" in facts  # the fee, collected on delivery
    entries = soup.select("ol.timeline li")
    assert len(entries) == 2
    assert "Chờ bưu điện nhận yêu cầu" in entries[0].get_text()
    assert "Bưu điện báo qua hệ thống" in entries[1].get_text() and "Không có người nhận." in entries[1].get_text()
    assert "/partners/" not in entries[1].get_text()  # the partner's address is no name for an officer
    assert soup.select_one(f'form[action="/buu-chinh/{shipment_id}/bao-cao"]') is not None
    assert soup.select_one(f'a[href="/ho-so/{code}"]') is not None


def _yesterday() -> str:
    return (datetime.now(VIETNAM_TZ).date() - timedelta(days=1)).isoformat()


def _api_shipment(console, shipment_id: str) -> dict:
    from motcua_testing.system import System

    answer = console.services["postal"].test_client().get(
        f"/api/v1/shipments/{shipment_id}",
        headers={"Authorization": f"Bearer {System.token('receptionist', unit='04222')}"})
    assert answer.status_code == 200
    return answer.get_json()


def test_a_status_given_by_phone_is_recorded_through_postal(console, desk):
    shipment_id = desk["ids"]["late"]
    client = console.signed_in("receptionist", unit="04222", name="Lò Thị Lan")
    url = f"/buu-chinh/{shipment_id}"
    note = "Bưu tá Lò Văn Ánh gọi điện báo đã nhận kết quả tại bộ phận một cửa."
    answer = post_form(client, f"{url}/bao-cao", {"status": "picked_up", "date": _yesterday(), "time": "09:15",
                                                   "tracking_number": "EB987654321VN", "note": note},
                       form_page=url)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(url)

    shipment = _api_shipment(console, shipment_id)
    assert shipment["status"] == "picked_up" and shipment["tracking_number"] == "EB987654321VN"
    last = shipment["history"][-1]
    assert (last["status"], last["source"], last["note"], last["effective"]) == ("picked_up", "manual", note, True)
    moment = datetime.fromisoformat(last["occurred_at"]).astimezone(VIETNAM_TZ)
    assert (moment.date().isoformat(), moment.strftime("%H:%M")) == (_yesterday(), "09:15")  # Vietnam's time

    soup = page(client.get(url))
    assert "Đã ghi nhận" in soup.get_text()
    entry = soup.select("ol.timeline li")[-1].get_text(" ", strip=True)
    assert "Bộ phận một cửa ghi nhận qua điện thoại" in entry and "Lò Thị Lan" in entry and note in entry


def test_a_status_that_changes_nothing_is_refused_with_what_was_typed_kept(console, desk):
    shipment_id = desk["ids"]["failed"]
    before = desk["postal"].history(shipment_id)
    client = console.signed_in("leader", unit="04222")
    url = f"/buu-chinh/{shipment_id}"
    note = "Bưu điện gọi lại báo đã nhận yêu cầu."
    soup = page(post_form(client, f"{url}/bao-cao", {"status": "accepted", "date": _yesterday(), "time": "08:00",
                                                      "note": note}, form_page=url), 409)
    summary = soup.select_one(".error-summary").get_text(" ", strip=True)
    assert "không làm thay đổi" in summary
    assert soup.select_one('input[name="status"][value="accepted"]').has_attr("checked")
    assert soup.select_one("textarea[name=note]").get_text() == note
    assert soup.select_one("input[name=time]")["value"] == "08:00"
    assert desk["postal"].history(shipment_id) == before


@pytest.mark.parametrize("change,field", [
    ({"note": ""}, "note"),
    ({"status": ""}, "status"),
    ({"time": "25:99"}, "time"),
    ({"date": (datetime.now(VIETNAM_TZ).date() + timedelta(days=2)).isoformat()}, "date"),  # postal: not yet
    ({"date": "2019-03-01"}, "date"),  # postal: before the post was asked
])
def test_invalid_input_gives_field_errors_and_stores_nothing(console, desk, change, field):
    shipment_id = desk["ids"]["late"]
    before = desk["postal"].history(shipment_id)
    client = console.signed_in("receptionist", unit="04222")
    url = f"/buu-chinh/{shipment_id}"
    data = {"status": "delivered", "date": _yesterday(), "time": "10:00", "note": "Bưu điện báo qua điện thoại.",
            **change}
    soup = page(post_form(client, f"{url}/bao-cao", data, form_page=url), 400)
    assert soup.select_one(f"#f-{field}-loi") is not None, field
    assert soup.select_one(".error-summary") is not None
    assert desk["postal"].history(shipment_id) == before
    assert _api_shipment(console, shipment_id)["status"] == "requested"


def test_an_auditor_sees_the_shipment_but_no_form_and_may_not_post(console, desk):
    shipment_id = desk["ids"]["late"]
    client = console.signed_in("auditor", unit="04222")
    assert listed(page(client.get("/buu-chinh?tab=tat-ca")))
    soup = page(client.get(f"/buu-chinh/{shipment_id}"))
    assert soup.select_one("form[action$='/bao-cao']") is None and soup.select("ol.timeline li")
    answer = post_form(client, f"/buu-chinh/{shipment_id}/bao-cao",
                       {"status": "delivered", "date": _yesterday(), "time": "10:00", "note": "Thử."},
                       form_page=f"/buu-chinh/{shipment_id}")
    page(answer, 403)
    assert _api_shipment(console, shipment_id)["status"] == "requested"


def test_a_specialist_may_not_open_the_postal_pages(console, desk):
    client = console.signed_in("specialist", unit="04222")
    page(client.get("/buu-chinh"), 403)
    page(client.get(f"/buu-chinh/{desk['ids']['late']}"), 403)


def test_another_communes_shipment_and_an_unknown_one_are_not_found(console, desk):
    client = console.signed_in("receptionist", unit="04222")
    soup = page(client.get(f"/buu-chinh/{desk['ids']['other']}"), 404)
    assert soup.h1.get_text(strip=True) == "Không tìm thấy"
    page(client.get("/buu-chinh/SH-khongco"), 404)
    answer = post_form(client, f"/buu-chinh/{desk['ids']['other']}/bao-cao",
                       {"status": "delivered", "date": _yesterday(), "time": "10:00", "note": "Thử."},
                       form_page="/buu-chinh")
    page(answer, 404)
    assert desk["postal"].shipments(desk["codes"]["other"])[0]["status"] == "requested"


def test_the_dossier_page_links_each_shipment_to_its_page(console):
    from console.desk_support import receive

    code = receive(console)
    postal = postal_of(console)
    postal.deliver(postal.received(code, **CHIENG_KHUONG), postal.processed(code, occurred_at=datetime.now(VN)))
    shipment_id = postal.shipments(code)[0]["id"]

    soup = page(console.signed_in("receptionist", unit="04222").get(f"/ho-so/{code}"))
    link = soup.select_one(f'#buu-chinh ~ table a[href="/buu-chinh/{shipment_id}"]')
    assert link is not None and "Chuyển kết quả" in link.get_text()
    # A specialist sees the shipment but not a link to a page they may not open.
    soup = page(console.signed_in("specialist", unit="04222").get(f"/ho-so/{code}"))
    assert soup.select_one(f'a[href="/buu-chinh/{shipment_id}"]') is None
    assert "Chuyển kết quả" in soup.select_one("#buu-chinh ~ table").get_text()
