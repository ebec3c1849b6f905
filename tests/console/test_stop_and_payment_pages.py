"""The dossier page's lifecycle actions (issue 14): the agency's stop with its ground and reason and its
printable notice; a financial obligation asked for and its payment recorded; a second supplement request
only with its legal ground; the desk's queue of submissions past their time limit."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from motcua_shared.events.catalogue import route

from motcua_intake.models import dossiers

from console.desk_support import UNIT, act, detail, receive, submitted_online
from console.support import page, post_form
from intake.support import IntakeDesk, deliver

TASKS = "section[aria-labelledby=viec-can-lam]"  # the dossier page's "Việc cần làm"
REASON = "Thửa đất đang có tranh chấp, Tòa án nhân dân khu vực đã thụ lý vụ án."


def in_progress(console) -> str:
    code = receive(console)  # 1.004884: fee 10.000 đồng
    deliver(IntakeDesk(console.services["intake"]), route.ROUTE_STARTED, {
        "dossier_code": code, "started_at": datetime.now(timezone.utc).isoformat(),
        "due_at": (datetime.now(timezone.utc) + timedelta(days=7)).isoformat(),
        "steps": [{"step_id": "S-1", "sequence": 1, "unit": UNIT, "unit_path": "14.04222", "level": "commune",
                   "action": "process", "budget_hours": 40.0}]})
    return code


def test_the_agency_stops_a_dossier_with_its_ground_and_reason(console):
    code = in_progress(console)
    client = console.signed_in("leader", unit=UNIT)
    tasks = page(client.get(f"/ho-so/{code}")).select_one(TASKS).get_text()
    assert "Dừng giải quyết hồ sơ" in tasks
    form = page(client.get(f"/ho-so/{code}/dung-xu-ly"))
    assert form.find("select", attrs={"name": "ground"}) and "thông báo dừng giải quyết" in form.get_text()
    refused = page(post_form(client, f"/ho-so/{code}/dung-xu-ly", {"ground": "court_proceedings", "reason": ""}), 400)
    assert refused.select_one("#f-reason-loi") and detail(console, code)["status"] == "in_progress"
    answer = post_form(client, f"/ho-so/{code}/dung-xu-ly", {"ground": "court_proceedings", "reason": REASON})
    assert answer.status_code == 303, answer.text[:2000]
    assert detail(console, code)["status"] == "stopped"
    soup = page(client.get(f"/ho-so/{code}"))
    stopped = soup.select_one("#dung-giai-quyet").get_text()
    assert REASON in stopped and "Vụ việc đang được Tòa án" in stopped
    assert soup.find("a", href=f"/ho-so/{code}/in/thong-bao-dung")
    notice = client.get(f"/ho-so/{code}/in/thong-bao-dung")
    assert notice.status_code == 200 and "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in notice.text


def test_a_payment_is_asked_then_recorded_at_the_desk(console):
    code = in_progress(console)
    agency = console.signed_in("specialist", unit=UNIT)
    url = f"/ho-so/{code}/yeu-cau-nop-tien"
    bad = page(post_form(agency, url, {"obligation": "charge", "amount_vnd": "mười nghìn", "purpose": "Lệ phí"}), 400)
    assert bad.select_one("#f-amount-vnd-loi") and detail(console, code)["status"] == "in_progress"
    asked = post_form(agency, url, {"obligation": "charge", "amount_vnd": "10.000", "purpose": "Lệ phí đăng ký"})
    assert asked.status_code == 303, asked.text[:2000]
    assert detail(console, code)["status"] == "awaiting_payment"
    desk = console.signed_in("receptionist", unit=UNIT)
    soup = page(desk.get(f"/ho-so/{code}"))
    assert "10.000 đồng" in soup.select_one("#nghia-vu-tai-chinh").get_text()
    assert "Ghi nhận đã thực hiện nghĩa vụ tài chính" in soup.select_one(TASKS).get_text()
    record = f"/ho-so/{code}/ghi-nhan-nop-tien"
    assert "Lệ phí đăng ký" in page(desk.get(record)).get_text()
    assert post_form(desk, record, {"payment_method": "cash", "receipt_number": "BL-77"}).status_code == 303
    body = detail(console, code)
    assert body["status"] == "in_progress" and body["payment"]["receipt_number"] == "BL-77"
    assert "biên lai BL-77" in page(desk.get(f"/ho-so/{code}")).select_one("#nghia-vu-tai-chinh").get_text()


def test_a_second_supplement_request_needs_its_legal_ground(console):
    code = receive(console, status="submitted")
    act(console, code, "supplement-request", {"note": "Thiếu giấy tờ tùy thân.", "items": ["Bản sao CCCD"]})
    client = console.signed_in("receptionist", unit=UNIT)
    assert "phải ghi căn cứ pháp lý" in page(client.get(f"/ho-so/{code}")).select_one(TASKS).get_text()
    url = f"/ho-so/{code}/yeu-cau-bo-sung"
    refused = page(post_form(client, url, {"items": "Giấy xác nhận cư trú", "note": "Còn thiếu."}), 409)
    assert "căn cứ pháp lý" in refused.select_one(".error-summary").get_text()
    assert detail(console, code)["supplement_requests"] == 1
    done = post_form(client, url, {"items": "Giấy xác nhận cư trú", "note": "Còn thiếu.",
                                   "legal_ground": "Giấy tờ đã nộp hết hiệu lực sau lần yêu cầu thứ nhất."})
    assert done.status_code == 303
    assert detail(console, code)["supplement_requests"] == 2
    assert "Quá một lần" in page(client.get(f"/ho-so/{code}")).select_one("#so-lan-bo-sung").get_text()


def test_the_queue_lists_submissions_past_their_time_limit(console):
    waiting, late = submitted_online(console), submitted_online(console)
    runtime = console.services["intake"].extensions["motcua"]
    with runtime.sessions.begin() as session:
        session.execute(update(dossiers).where(dossiers.c.code == late).values(
            acceptance_due_at=datetime.now(timezone.utc) - timedelta(days=2)))
    client = console.signed_in("receptionist", unit=UNIT)
    soup = page(client.get("/quay", query_string={"tab": "qua-han-tiep-nhan"}))
    listed = soup.select_one("table").get_text()
    assert late in listed and waiting not in listed and "quá hạn" in listed
    waiting_row = page(client.get("/quay")).find("a", string=waiting).find_parent("tr").get_text()
    assert "Hạn tiếp nhận" in waiting_row and "còn" in waiting_row


def test_a_second_supplement_request_from_a_step_says_why_and_sends_the_legal_ground(console, monkeypatch):
    from motcua_console.clients import Conflict, Problem
    from motcua_console.clients.routing import RoutingClient

    from console.test_inbox import fake_route

    code = receive(console)
    monkeypatch.setattr(RoutingClient, "route", lambda self, c: fake_route(c))
    sent = []

    def complete(self, step_id, body):
        sent.append(body)
        if "legal_ground" not in body:
            raise Conflict("routing", Problem(409, "supplement_already_requested", detail=(
                "Hồ sơ đã được yêu cầu bổ sung một lần; chỉ được yêu cầu bổ sung lần nữa khi ghi rõ căn cứ pháp lý "
                "(legal_ground).")))
        return {}

    monkeypatch.setattr(RoutingClient, "complete", complete)
    leader = console.signed_in("leader", unit=UNIT)
    url = f"/ho-so/{code}/buoc/s-2/hoan-thanh"
    assert page(leader.get(url)).find("textarea", attrs={"name": "legal_ground"})
    typed = {"outcome": "supplement_required", "note": "Thiếu bản sao Giấy khai sinh."}
    soup = page(post_form(leader, url, typed), 409)
    assert "căn cứ pháp lý" in soup.select_one(".error-summary").get_text()
    assert soup.find("textarea", attrs={"name": "note"}).get_text() == "Thiếu bản sao Giấy khai sinh."
    assert post_form(leader, url, {**typed, "legal_ground": "Giấy tờ đã hết hiệu lực."}).status_code == 303
    assert sent[0] == {**typed} and sent[1] == {**typed, "legal_ground": "Giấy tờ đã hết hiệu lực."}
