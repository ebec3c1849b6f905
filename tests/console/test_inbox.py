"""The processing inbox and the step actions: the fast checks on the in-process services, and one
whole step worked through the console's pages on the real running system (events flow)."""
from __future__ import annotations

from motcua_testing.waiting import wait_for

from console.support import page, post_form
from console.test_dossiers import receive


def test_the_inbox_has_a_tab_per_routing_status_and_says_when_it_is_empty(console):
    client = console.signed_in("specialist", unit="04222")
    soup = page(client.get("/cong-viec"))
    tabs = [a["href"] for a in soup.select("ul.tabs a")]
    assert tabs == ["/cong-viec?tab=unclaimed", "/cong-viec?tab=mine", "/cong-viec?tab=open", "/cong-viec?tab=closed"]
    assert soup.select_one('ul.tabs a[aria-current="page"]')["href"] == "/cong-viec?tab=open"
    assert "Không có bước xử lý nào" in page(client.get("/cong-viec?tab=la")).get_text()


def test_the_inbox_is_for_specialists_and_leaders_only(console):
    page(console.signed_in("receptionist", unit="04222").get("/cong-viec"), 403)
    page(console.signed_in("leader", unit="04222").get("/cong-viec?tab=mine"))


def test_a_step_of_a_dossier_without_a_route_is_not_found(console):
    code = receive(console)
    client = console.signed_in("specialist", unit="04222")
    page(client.get(f"/ho-so/{code}/buoc/khong-co/nhan"), 404)
    page(console.signed_in("leader", unit="04222").get(f"/ho-so/{code}/xin-loi"), 404)
    page(client.get(f"/ho-so/{code}/xin-loi"), 403)  # the apology is a leader's


def test_a_specialist_claims_and_completes_a_step_through_the_pages(console_system):
    console = console_system
    code = receive(console)
    client = console.signed_in("specialist", unit="04222")

    def unclaimed_row():
        soup = page(client.get("/cong-viec?tab=unclaimed"))
        return next((row for row in soup.select("tbody tr[data-step]") if row.find("a", string=code)), None)

    row = wait_for(unclaimed_row, timeout=30, interval=0.5, what="routing to open the dossier's first step")
    step_id = row["data-step"]
    assert row.find("a", string=code)["href"] == f"/ho-so/{code}"

    dossier_page = page(client.get(f"/ho-so/{code}"))
    claim_url = f"/ho-so/{code}/buoc/{step_id}/nhan"
    assert claim_url in [a["href"] for a in dossier_page.select("ul.tasks a")]
    page(client.get(claim_url))
    claimed = post_form(client, claim_url, {})
    assert claimed.status_code == 303 and claimed.headers["Location"].endswith(f"/ho-so/{code}")

    complete_url = f"/ho-so/{code}/buoc/{step_id}/hoan-thanh"
    soup = page(client.get(f"/ho-so/{code}"))
    assert "Đã nhận xử lý" in soup.select_one(".banner").get_text()
    assert complete_url in [a["href"] for a in soup.select("ul.tasks a")]

    refused = page(post_form(client, complete_url, {"outcome": "rejected", "note": ""}), 400)
    assert refused.select_one(".error-summary")
    assert refused.find("input", attrs={"name": "outcome", "value": "rejected"}).has_attr("checked")

    done = post_form(client, complete_url, {"outcome": "approved", "note": "Hồ sơ hợp lệ."})
    assert done.status_code == 303, done.text[:2000]
    soup = page(client.get(f"/ho-so/{code}"))
    step_row = soup.select_one(f"#buoc-{step_id}")
    assert step_row["data-step-status"] == "completed" and "Đã xong" in step_row.get_text()
    assert "Đồng ý" in step_row.get_text()

    again = page(post_form(client, complete_url, {"outcome": "approved"}), 409)
    assert again.select_one(".error-summary")


def fake_route(code: str, **step) -> dict:
    """A route as routing answers it (docs/openapi/routing.json Route), for the forms' own behaviour."""
    due = "2026-05-12T17:00:00+07:00"
    return {"dossier_code": code, "procedure_code": "1.004884", "procedure_name": "Đăng ký lại khai sinh",
            "status": "in_progress", "due_at": due, "original_due_at": due,
            "received_at": "2026-05-05T09:00:00+07:00", "overdue": False, "apology_issued_at": None, "handovers": [],
            "channel": "counter", "competent_unit": "04222", "receiving_unit": "04222", "hierarchy": "commune",
            "variant": "standard",
            "steps": [{"step_id": "s-2", "sequence": 2, "action": "process", "agency_id": "a",
                       "agency_name": "Công chức tư pháp – hộ tịch", "status": "claimed", "claimed_by": None,
                       "due_at": "2026-05-08T17:00:00+07:00", "overdue": True,
                       "local": True, "budget_hours": 16, "unit": "04222", "unit_path": "14.116.04222", "attempt": 1,
                       "level": "commune", "dossier_code": code, "procedure_code": "1.004884",
                       "procedure_name": "Đăng ký lại khai sinh", **step}]}


def test_step_forms_keep_what_was_typed_and_say_refusals_in_vietnamese(console, monkeypatch):
    from motcua_console.clients import Conflict, Invalid, Problem
    from motcua_console.clients.routing import RoutingClient

    code = receive(console)
    monkeypatch.setattr(RoutingClient, "route", lambda self, c: fake_route(c))

    def taken(self, *args):
        raise Conflict("routing", Problem(409, "step_claimed_by_other",
                                          detail="Bước xử lý đang do cán bộ khác thực hiện."))

    def refused(self, *args):
        raise Invalid("routing", Problem(422, "validation_failed", invalid_params=(
            {"name": "note", "code": "required", "reason": "Trường này là bắt buộc."},)))

    def too_early(self, *args):
        raise Invalid("routing", Problem(422, "new_due_not_later", invalid_params=(
            {"name": "new_due_at", "code": "new_due_not_later", "reason": "Phải sau ngày hẹn hiện tại."},)))

    monkeypatch.setattr(RoutingClient, "claim", taken)
    monkeypatch.setattr(RoutingClient, "send_back", refused)
    monkeypatch.setattr(RoutingClient, "forward", taken)
    monkeypatch.setattr(RoutingClient, "apology", too_early)
    leader = console.signed_in("leader", unit="04222")
    base = f"/ho-so/{code}/buoc/s-2"

    soup = page(post_form(leader, f"{base}/nhan", {}), 409)
    assert "cán bộ khác" in soup.select_one(".error-summary").get_text()

    soup = page(post_form(leader, f"{base}/tra-lai", {"note": "  "}), 400)
    assert "ý do trả lại" in soup.select_one("#f-note-loi").get_text()

    soup = page(post_form(leader, f"{base}/chuyen", {"to_officer": "", "to_agency": "", "note": "Nhờ xử lý giúp"}),
                400)
    assert soup.select_one(".field__error")
    assert soup.find("textarea", attrs={"name": "note"}).get_text() == "Nhờ xử lý giúp"
    page(post_form(leader, f"{base}/chuyen", {"to_officer": "can-bo-2"}), 409)

    soup = page(post_form(leader, f"/ho-so/{code}/xin-loi", {"new_due_date": "2026-05-11", "new_due_time": "17:00",
                                                           "reason": "Chờ xác minh của xã khác."}), 400)
    assert "Ngày hẹn trả mới phải sau ngày hẹn hiện tại." in soup.select_one(".error-summary").get_text()
    assert soup.find("input", attrs={"name": "new_due_date"})["value"] == "2026-05-11"
    assert soup.find("textarea", attrs={"name": "reason"}).get_text() == "Chờ xác minh của xã khác."
    assert page(post_form(leader, f"/ho-so/{code}/xin-loi", {"new_due_date": "", "reason": "x"}), 400)


def test_deadlines_in_words_follow_the_services_overdue_answer():
    from datetime import date

    from motcua_console.web.dossiers.deadlines import due_in_words

    today = date(2026, 5, 8)
    assert due_in_words("2026-05-05T17:00:00+07:00", True, now=today).words == "Quá hạn 3 ngày"
    assert due_in_words("2026-05-08T17:00:00+07:00", False, now=today).words == "Đến hạn hôm nay"
    assert due_in_words("2026-05-08T08:00:00+07:00", True, now=today).words == "Quá hạn hôm nay"
    assert due_in_words("2026-05-10T17:00:00+07:00", False, now=today).words == "Còn 2 ngày"
    assert due_in_words(None, False) is None
