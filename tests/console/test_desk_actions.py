"""The desk's actions on one dossier: a page stating what will happen, then intake's change of status."""
from __future__ import annotations

from console.desk_support import UNIT, act, detail, processed, receive, submitted_online
from console.support import page, post_form


def _done(client, answer, code: str) -> str:
    """The action went through: back to the dossier, with a banner on the next page."""
    assert answer.status_code == 303, answer.text[:2000]
    assert answer.headers["Location"] == f"/ho-so/{code}"
    banner = page(client.get("/quay")).select_one(".banner")
    return str(banner)


def test_an_online_submission_is_accepted_after_the_page_says_what_follows(console):
    code = submitted_online(console)
    client = console.signed_in("receptionist", unit=UNIT)
    soup = page(client.get(f"/ho-so/{code}/tiep-nhan"))
    assert "Công dân sẽ nhận tin nhắn SMS và thư điện tử" in soup.get_text()
    assert code in soup.get_text()
    banner = _done(client, post_form(client, f"/ho-so/{code}/tiep-nhan", {}), code)
    assert f"Đã tiếp nhận hồ sơ {code}" in banner and f"/ho-so/{code}/in/giay-tiep-nhan" in banner
    assert detail(console, code)["status"] == "received"


def test_accepting_twice_answers_409_on_the_same_page(console):
    code = submitted_online(console)
    client = console.signed_in("receptionist", unit=UNIT)
    assert post_form(client, f"/ho-so/{code}/tiep-nhan", {}).status_code == 303
    soup = page(post_form(client, f"/ho-so/{code}/tiep-nhan", {}), 409)
    assert "không còn ở trạng thái cho phép" in soup.select_one(".error-summary").get_text()


def test_a_supplement_is_asked_with_the_missing_papers(console):
    code = receive(console, status="submitted")
    client = console.signed_in("receptionist", unit=UNIT)
    url = f"/ho-so/{code}/yeu-cau-bo-sung"
    refused = page(post_form(client, url, {"items": "Bản sao CCCD", "note": ""}), 400)
    assert refused.select_one("#f-note-loi") and refused.find("textarea", attrs={"name": "items"}).get_text() == \
        "Bản sao CCCD"
    assert detail(console, code)["status"] == "submitted"
    banner = _done(client, post_form(client, url, {"items": "Bản sao CCCD\nGiấy chứng sinh",
                                                   "note": "Thiếu giấy tờ tùy thân."}), code)
    assert f"/ho-so/{code}/in/yeu-cau-bo-sung" in banner
    assert detail(console, code)["status"] == "supplement_required"


def test_a_refusal_with_its_reason(console):
    code = receive(console, status="submitted")
    client = console.signed_in("receptionist", unit=UNIT)
    assert "Mẫu 03" in page(client.get(f"/ho-so/{code}/tu-choi")).get_text()
    banner = _done(client, post_form(client, f"/ho-so/{code}/tu-choi", {"reason": "Không thuộc trường hợp."}), code)
    assert f"/ho-so/{code}/in/tu-choi" in banner
    assert detail(console, code)["status"] == "refused"


def test_a_redirection_to_the_competent_unit(console):
    code = receive(console, status="submitted")
    client = console.signed_in("receptionist", unit=UNIT)
    url = f"/ho-so/{code}/huong-dan"
    assert page(client.get(url)).find("select", attrs={"name": "competent_unit"})
    _done(client, post_form(client, url, {"competent_unit": "04168", "reason": "Nơi cư trú thuộc xã Sông Mã."}),
          code)
    assert detail(console, code)["redirected_to"] == "04168"


def test_a_supplement_during_processing_is_received(console):
    from datetime import datetime, timezone

    from motcua_shared.events.catalogue import route

    from intake.support import IntakeDesk, deliver

    code = receive(console)
    deliver(IntakeDesk(console.services["intake"]), route.ROUTE_SUPPLEMENT_REQUIRED, {
        "dossier_code": code, "step_id": "S-1", "requested_at": datetime.now(timezone.utc).isoformat(),
        "note": "Thiếu bản sao Giấy khai sinh."})
    client = console.signed_in("receptionist", unit=UNIT)
    page(client.get(f"/ho-so/{code}/nhan-bo-sung"))
    _done(client, post_form(client, f"/ho-so/{code}/nhan-bo-sung", {"note": "Đã nhận bản sao."}), code)
    assert detail(console, code)["status"] == "in_progress"


def test_the_result_is_returned_at_the_counter(console):
    code = receive(console)
    processed(console, code)
    client = console.signed_in("receptionist", unit=UNIT)
    soup = page(client.get(f"/ho-so/{code}/tra-ket-qua"))
    assert soup.find("input", attrs={"name": "method", "value": "counter"}).has_attr("checked")
    _done(client, post_form(client, f"/ho-so/{code}/tra-ket-qua", {"method": "counter", "note": ""}), code)
    assert detail(console, code)["status"] == "returned"


def test_a_withdrawal_asked_by_the_citizen_is_confirmed(console):
    from console.desk_support import headers

    code = submitted_online(console)
    act(console, code, "acceptance")
    act(console, code, "withdrawal-request", {"reason": "Không còn nhu cầu."},
        headers=headers("citizen", unit=None, sub="014090001234"))
    client = console.signed_in("receptionist", unit=UNIT)
    page(client.get(f"/ho-so/{code}/rut-ho-so"))
    _done(client, post_form(client, f"/ho-so/{code}/rut-ho-so", {"note": ""}), code)
    assert detail(console, code)["status"] == "stopped"


def test_an_action_without_its_csrf_token_changes_nothing(console):
    code = receive(console, status="submitted")
    client = console.signed_in("receptionist", unit=UNIT)
    client.get(f"/ho-so/{code}/tu-choi")
    assert client.post(f"/ho-so/{code}/tu-choi", data={"reason": "x"}).status_code in (400, 403)
    assert detail(console, code)["status"] == "submitted"


def test_a_dossier_of_another_unit_is_not_found(console):
    code = receive(console, unit="04168", status="submitted")
    client = console.signed_in("receptionist", unit=UNIT)
    assert client.get(f"/ho-so/{code}/tiep-nhan").status_code == 404
