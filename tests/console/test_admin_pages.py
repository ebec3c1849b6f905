"""Administration beyond accounts: the audit log, open sessions, the province's calendar (intake),
the procedure catalogue (intake) and the services' reachability."""
from __future__ import annotations

import re

from motcua_testing.system import System

from console.support import page, post_form


def _admin(console):
    return console.signed_in("admin", unit="14", username="quan-tri")


def _intake_overrides(console, year: int) -> dict:
    answer = console.services["intake"].test_client().get(
        "/api/v1/calendar/overrides", query_string={"year": year},
        headers={"Authorization": f"Bearer {System.token('admin', unit='14')}"})
    assert answer.status_code == 200, answer.text
    return {item["day"]: item for item in answer.get_json()["items"]}


def test_the_audit_log_lists_sign_ins_newest_first(console):
    client = _admin(console)
    console.signed_in("receptionist", unit="04222", username="mai")
    soup = page(client.get("/quan-tri/nhat-ky"))
    actions = [td["data-action"] for td in soup.select("td[data-action]")]
    assert actions[:4] == ["signed_in", "account_created", "signed_in", "account_created"]
    assert "mai" in soup.select("tbody tr")[0].get_text()
    assert "Đăng nhập" in soup.select("tbody tr")[0].get_text()


def test_open_sessions_are_listed(console):
    client = _admin(console)
    console.signed_in("receptionist", unit="04222", username="mai")
    text = page(client.get("/quan-tri/phien")).get_text()
    assert "mai" in text and "quan-tri" in text


def test_a_day_off_added_and_removed_shows_in_intakes_calendar(console):
    client = _admin(console)
    data = {"day": "2031-09-03", "kind": "day_off", "note": "Nghỉ bù Quốc khánh theo Quyết định 01/QĐ-UBND"}
    answer = post_form(client, "/quan-tri/lich?nam=2031", data)
    assert answer.status_code == 303
    saved = _intake_overrides(console, 2031)["2031-09-03"]
    assert saved["kind"] == "day_off" and saved["note"] == data["note"]
    soup = page(client.get(answer.headers["Location"]))
    row = soup.find("tr", attrs={"data-day": "2031-09-03"})
    assert "03/09/2031" in row.get_text() and "Ngày nghỉ" in row.get_text()

    removed = post_form(client, "/quan-tri/lich/2031-09-03/xoa", {}, form_page="/quan-tri/lich?nam=2031")
    assert removed.status_code == 303
    assert "2031-09-03" not in _intake_overrides(console, 2031)
    assert page(client.get("/quan-tri/lich?nam=2031")).find("tr", attrs={"data-day": "2031-09-03"}) is None


def test_a_make_up_working_day_refused_keeps_what_was_typed(console):
    client = _admin(console)
    soup = page(post_form(client, "/quan-tri/lich?nam=2031", {"day": "2031-09-06", "kind": "working_day",
                                                              "note": ""}), 400)
    assert soup.select_one("#f-note-loi")
    assert soup.find("input", attrs={"name": "day"})["value"] == "2031-09-06"
    assert soup.find("input", attrs={"name": "kind", "value": "working_day"}).has_attr("checked")
    assert "2031-09-06" not in _intake_overrides(console, 2031)


def test_a_communes_administrator_is_told_that_the_calendar_is_the_provinces(console):
    client = console.signed_in("admin", unit="04222", username="quan-tri-xa")
    soup = page(post_form(client, "/quan-tri/lich?nam=2031", {"day": "2031-09-03", "kind": "day_off",
                                                              "note": "Nghỉ bù"}), 403)
    assert "quản trị viên cấp tỉnh" in soup.select_one(".error-summary").get_text()


def test_procedures_are_found_with_or_without_diacritics(console):
    client = _admin(console)
    everything = page(client.get("/quan-tri/thu-tuc"))
    assert len(everything.select("tr[data-code]")) > 1
    for search in ("khai sinh", "dang ky khai sinh", "Đăng ký khai sinh"):
        soup = page(client.get("/quan-tri/thu-tuc", query_string={"tim": search}))
        names = [row.find_all("td")[1].get_text() for row in soup.select("tr[data-code]")]
        assert any("Đăng ký khai sinh" in name for name in names), (search, names)
        assert len(names) < len(everything.select("tr[data-code]"))
        assert soup.find("input", attrs={"name": "tim"})["value"] == search
    # A "trong ngày" procedure shows its limit in words, not as "0 …" (intake publishes value 0).
    birth = everything.find("tr", attrs={"data-code": "1.001193"}).find_all("td")[3].get_text()
    assert birth == "Trong ngày"
    marriage_status = everything.find("tr", attrs={"data-code": "1.004873"}).find_all("td")[3].get_text()
    assert marriage_status == "3 ngày làm việc"
    # A fee no source publishes is not shown as free; the cell names who sets a published one.
    permit = everything.find("tr", attrs={"data-code": "MC.014"}).find_all("td")[4]
    assert permit.get_text() == "Chưa công bố"
    fee = everything.find("tr", attrs={"data-code": "1.004873"}).find_all("td")[4]
    assert fee["title"] == "Hà Tĩnh: NQ 253/2020/NQ-HĐND (không phải Sơn La)"


def test_the_system_page_shows_each_service_reachable_and_rebuilds_reports(console):
    client = _admin(console)
    soup = page(client.get("/quan-tri/he-thong"))
    for service in ("intake", "routing", "notification", "postal", "reporting"):
        assert "Hoạt động" in soup.find("tr", attrs={"data-service": service}).get_text()
    answer = post_form(client, "/quan-tri/he-thong/tinh-lai-bao-cao", {}, form_page="/quan-tri/he-thong")
    assert answer.status_code == 303
    # Reporting queued the rebuild as a job: its page follows it (console.js polls the JSON beside it).
    status_page = answer.headers["Location"]
    assert re.fullmatch(r"/quan-tri/he-thong/tinh-lai-bao-cao/[0-9a-f-]{36}", status_page), status_page
    queued = page(client.get(status_page))
    assert "Đang chờ" in queued.find(attrs={"data-progress-status": True}).get_text()
    assert queued.find("meta", attrs={"http-equiv": "refresh"}) is not None or queued.find("noscript")
    # Asking again while it waits follows the same job instead of starting another.
    again = post_form(client, "/quan-tri/he-thong/tinh-lai-bao-cao", {}, form_page="/quan-tri/he-thong")
    assert again.headers["Location"] == status_page
    # Reporting's worker runs it between deliveries.
    reporting = console.services["reporting"].extensions["motcua"]
    [jobs] = [job for job in reporting.spec.periodic(reporting) if job.name == "jobs"]
    polled = client.get(status_page + "/tien-do").get_json()
    for _ in range(30):
        jobs.run(reporting.sessions)
        polled = client.get(status_page + "/tien-do").get_json()
        if polled["done"]:
            break
    assert polled["status"] == "done" and polled["applied"] == polled["goal"]
    assert polled["summary"].startswith("Hoàn tất: đã tính lại số liệu từ")
    assert "Hoàn tất" in page(client.get(status_page)).find(attrs={"data-progress-status": True}).get_text()
    assert client.get("/quan-tri/he-thong/tinh-lai-bao-cao/00000000-0000-4000-8000-000000000000").status_code == 404


def test_an_unreachable_service_is_shown_as_such(console):
    import httpx

    pools = console.app.extensions["console_pools"]
    pools["postal"] = httpx.Client(base_url="http://127.0.0.1:1", transport=httpx.HTTPTransport(retries=0))
    soup = page(_admin(console).get("/quan-tri/he-thong"))
    assert "Không kết nối được" in soup.find("tr", attrs={"data-service": "postal"}).get_text()
    assert "Hoạt động" in soup.find("tr", attrs={"data-service": "intake"}).get_text()


def test_a_communes_administrator_is_told_only_the_province_rebuilds_reports(console):
    client = console.signed_in("admin", unit="04222", username="quan-tri-xa")
    answer = post_form(client, "/quan-tri/he-thong/tinh-lai-bao-cao", {}, form_page="/quan-tri/he-thong")
    assert answer.status_code == 303
    shown = page(client.get("/quan-tri/he-thong")).get_text()
    assert "Chỉ quản trị viên cấp tỉnh được tính lại số liệu báo cáo." in shown
    assert "Đã tính lại số liệu báo cáo" not in shown


def test_the_consoles_pages_carry_every_services_strict_policy(console):
    answer = _admin(console).get("/quan-tri/he-thong")
    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert answer.headers["Referrer-Policy"] == "no-referrer" and answer.headers["X-Content-Type-Options"] == "nosniff"
    html = answer.get_data(as_text=True)
    assert " style=" not in html and "<style" not in html and "<script>" not in html
