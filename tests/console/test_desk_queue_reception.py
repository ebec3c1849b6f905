"""The desk's queue (/quay) and the reception form (/tiep-nhan), against intake's real app."""
from __future__ import annotations

import time

from console.desk_support import UNIT, act, headers, intake, processed, receive, total
from console.support import csrf_of, page, post_form


def _codes(soup) -> list[str]:
    return [a.get_text() for a in soup.select("table a[href^='/ho-so/']")]


def test_the_queue_counts_and_lists_only_the_officers_unit(console):
    waiting = receive(console, status="submitted")
    asked = receive(console, status="submitted")
    act(console, asked, "supplement-request", {"note": "Thiếu bản sao giấy tờ tùy thân."})
    done = receive(console)
    processed(console, done)
    elsewhere = receive(console, unit="04168", status="submitted")  # another commune's desk
    client = console.signed_in("receptionist", unit=UNIT)

    soup = page(client.get("/quay"))
    assert soup.find("a", string="Tiếp nhận hồ sơ mới")["href"] == "/tiep-nhan"
    tabs = {a.get_text(" ", strip=True) for a in soup.select(".tabs a")}
    assert {"Chờ tiếp nhận 1", "Quá hạn tiếp nhận 0", "Chờ bổ sung 1", "Chờ nộp phí, lệ phí, thuế 0",
            "Có kết quả, chờ trả 1", "Yêu cầu rút 0", "Bưu chính có vấn đề 0"} == tabs
    assert _codes(soup) == [waiting] and elsewhere not in soup.get_text()
    row = soup.find("a", string=waiting).find_parent("tr").get_text(" ", strip=True)
    assert "Lò Văn Hùng" in row
    link = soup.find("a", string=waiting)
    assert link["href"] == f"/ho-so/{waiting}"

    assert _codes(page(client.get("/quay?tab=cho-bo-sung"))) == [asked]
    assert _codes(page(client.get("/quay?tab=cho-tra"))) == [done]
    empty = page(client.get("/quay?tab=yeu-cau-rut"))
    assert not _codes(empty) and "Không có yêu cầu rút hồ sơ nào." in empty.get_text()


def test_the_queue_is_for_receptionists(console):
    assert console.signed_in("specialist", unit=UNIT).get("/quay").status_code == 403


def _reception(**overrides) -> dict:
    data = {"procedure": "1.004884", "applicant_full_name": "Lò Văn Hùng", "applicant_id_number": "014090001234",
            "applicant_phone": "0912345678", "applicant_email": "", "applicant_address": "Bản Hưng Mai",
            "channel": "counter", "return_method": "counter", "delivery_address": "",
            "doc.0.name": "Tờ khai đăng ký lại khai sinh", "doc.0.copy_type": "original", "doc.0.count": "1",
            "doc.1.name": "Bản sao giấy tờ tùy thân", "doc.1.copy_type": "copy", "doc.1.count": "1",
            "action": "submit"}
    data.update(overrides)
    return data


def test_the_reception_form_groups_procedures_by_sector_and_searches_without_accents(console):
    client = console.signed_in("receptionist", unit=UNIT)
    soup = page(client.get("/tiep-nhan"))
    groups = soup.select("select[name=procedure] optgroup")
    assert len(groups) > 1 and all(g["label"] for g in groups)
    assert soup.find("input", attrs={"name": "idempotency_key", "type": "hidden"})["value"]
    assert soup.find("input", attrs={"name": "applicant_id_number"})["inputmode"] == "numeric"
    assert "Xã Chiềng Khương" in soup.get_text()

    found = page(client.get("/tiep-nhan", query_string={"thu-tuc": "dang ky lai khai sinh"}))
    codes = [o["value"] for o in found.select("select[name=procedure] option") if o["value"]]
    assert "1.004884" in codes and len(codes) < len(soup.select("select[name=procedure] option")) - 1


def test_updating_the_paper_list_shows_the_procedures_papers_and_sends_nothing(console):
    client = console.signed_in("receptionist", unit=UNIT)
    first = page(client.get("/tiep-nhan"))
    key = first.find("input", attrs={"name": "idempotency_key"})["value"]
    answer = client.post("/tiep-nhan", data={"csrf_token": csrf_of(client.get("/tiep-nhan").text),
                                             "idempotency_key": key, "procedure": "1.004884",
                                             "applicant_full_name": "Lò Văn Hùng", "action": "refresh"})
    soup = page(answer)
    assert soup.find("input", attrs={"name": "idempotency_key"})["value"] == key  # carried over
    assert soup.find("input", attrs={"name": "applicant_full_name"})["value"] == "Lò Văn Hùng"
    names = [i["value"] for i in soup.select("input[name$='.name']")]
    assert names and all(names)
    assert soup.select("select[name='doc.0.copy_type'] option[selected]")
    assert total(console) == 0


def test_a_reception_creates_one_dossier_even_when_sent_twice(console):
    client = console.signed_in("receptionist", unit=UNIT)
    data = _reception(idempotency_key="quay-1-lan-nhan-enter")
    answer = post_form(client, "/tiep-nhan", data)
    assert answer.status_code == 303, answer.text[:2000]
    code = answer.headers["Location"].rsplit("/", 1)[1]
    assert answer.headers["Location"] == f"/ho-so/{code}"
    again = post_form(client, "/tiep-nhan", data)
    assert again.status_code == 303 and again.headers["Location"] == f"/ho-so/{code}"
    assert total(console) == 1
    soup = page(client.get("/quay"))  # the banner is shown on the next page
    banner = soup.select_one(".banner")
    assert f"Đã tiếp nhận hồ sơ {code}" in banner.get_text()
    assert banner.find("a")["href"] == f"/ho-so/{code}/in/giay-tiep-nhan"
    # The same form changed and sent again: refused with what was typed, then received on purpose.
    changed = post_form(client, "/tiep-nhan", {**data, "applicant_full_name": "Lò Thị Hoa"})
    soup = page(changed, 409)
    assert "đã được gửi" in soup.select_one(".error-summary").get_text() and total(console) == 1
    assert soup.find("input", attrs={"name": "applicant_full_name"})["value"] == "Lò Thị Hoa"
    new_key = soup.find("input", attrs={"name": "idempotency_key"})["value"]
    assert new_key != data["idempotency_key"]
    assert post_form(client, "/tiep-nhan", {**data, "applicant_full_name": "Lò Thị Hoa",
                                            "idempotency_key": new_key}).status_code == 303
    assert total(console) == 2
    stored = intake(console).get(f"/api/v1/dossiers/{code}", headers=headers("receptionist")).get_json()
    assert stored["status"] == "received" and stored["receiving_unit"]["code"] == UNIT


def test_a_refused_reception_keeps_what_was_typed_and_stores_nothing(console):
    client = console.signed_in("receptionist", unit=UNIT)
    answer = post_form(client, "/tiep-nhan", _reception(idempotency_key="k-2", applicant_id_number="12345",
                                                        applicant_phone="12", **{"doc.1.count": "0x"}))
    soup = page(answer, 400)
    errors = {p.get_text(" ", strip=True) for p in soup.select(".field__error")}
    text = " ".join(errors)
    assert "Số định danh cá nhân" in text and "Số điện thoại di động" in text, errors
    assert soup.select_one("#f-doc-1-count-loi")
    assert soup.find("input", attrs={"name": "applicant_id_number"})["value"] == "12345"
    assert soup.find("input", attrs={"name": "applicant_full_name"})["value"] == "Lò Văn Hùng"
    assert soup.title.get_text().startswith("Lỗi: ")
    assert total(console) == 0
    # Corrected, the same form (same Idempotency-Key) is received.
    fixed = post_form(client, "/tiep-nhan", _reception(idempotency_key="k-2"))
    assert fixed.status_code == 303 and total(console) == 1


def test_a_reception_without_its_csrf_token_changes_nothing(console):
    client = console.signed_in("receptionist", unit=UNIT)
    client.get("/tiep-nhan")
    answer = client.post("/tiep-nhan", data=_reception(idempotency_key="k-3"))
    assert answer.status_code in (400, 403)
    assert total(console) == 0


def test_a_reception_sent_after_the_session_ended_is_kept_through_a_new_sign_in(console_databases, console):
    """WCAG 2.2.1 and the typed data: the refused form changes nothing, the new sign-in gives it back
    filled, and one press sends it."""
    from bs4 import BeautifulSoup

    from console.support import PASSWORD, Console

    short = Console.build(console_databases["console"], console.services, CONSOLE_SESSION_IDLE_MINUTES="0.02")
    client = short.signed_in("receptionist", unit=UNIT, username="hoa")
    token = csrf_of(client.get("/tiep-nhan").text)
    time.sleep(1.5)
    expired = client.post("/tiep-nhan", data={**_reception(idempotency_key="het-phien-1"), "csrf_token": token})
    soup = page(expired, 403)
    assert total(console) == 0
    form = soup.find("form", attrs={"action": "/dang-nhap"})
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    assert fields["carried.applicant_full_name"] == "Lò Văn Hùng" and fields["next"] == "/tiep-nhan"
    resumed = client.post("/dang-nhap", data={**fields, "username": "hoa", "password": PASSWORD})
    again = BeautifulSoup(page(resumed).decode(), "html.parser").find("form", attrs={"action": "/tiep-nhan"})
    sent = client.post("/tiep-nhan", data={i["name"]: i.get("value", "") for i in again.find_all("input")
                                           if i.get("name")})
    assert sent.status_code == 303 and total(console) == 1
