"""Hostile input at every service (issue #9): bodies over the limit, JSON nested 10,000 deep, bytes that
are not UTF-8, the wrong content type, numbers and characters PostgreSQL or Python choke on; SQL and
script injection in every text field, stored inertly and escaped on every HTML page that shows it.

Each service runs in this process on its own fresh PostgreSQL database (the `world` fixture of this
package, security/world.py). Every refusal is a 4xx problem+json with a machine code, and changes no
table of the service it was sent to.
"""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from security.world import A, ADMIN, PROVINCE, bearer, token

SQL = ("'; DROP TABLE dossiers; --", "' OR '1'='1")
SCRIPT = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
# What Jinja's autoescape (markupsafe) writes for each, and the raw fragment that must never appear.
ESCAPED = {SCRIPT[0]: "&lt;script&gt;alert(1)&lt;/script&gt;", SCRIPT[1]: "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"}
RAW = {SCRIPT[0]: "<script>alert(1)", SCRIPT[1]: "<img src=x"}
HOSTILE = SQL + SCRIPT
LEADER = bearer("leader", unit=PROVINCE)
MIB = 1_048_576  # MAX_CONTENT_LENGTH's default


# -- the JSON-accepting endpoints, each with a body it would accept ------------------------------------
def _template_key(world) -> str:
    answer = world["notification"].client.get("/api/v1/templates", headers=ADMIN)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["templates"][0]["key"]


ENDPOINTS = {
    # id: (service, method, path from the world, headers, a valid body)
    "intake submission": ("intake", "POST", lambda w: "/api/v1/dossiers", ADMIN,
                          {"procedure_code": "1.004884", "channel": "counter", "receiving_unit": A,
                           "applicant": {"full_name": "Lò Văn Hùng", "id_number": "014090001234"},
                           "return_method": "counter", "documents": []}),
    "intake refusal": ("intake", "POST", lambda w: f"/api/v1/dossiers/{w['intake'].dossier('2L')}/refusal", ADMIN,
                       {"reason": "Không thuộc thẩm quyền."}),
    "intake supplement request": ("intake", "POST",
                                  lambda w: f"/api/v1/dossiers/{w['intake'].dossier('2L')}/supplement-request",
                                  ADMIN, {"note": "Thiếu bản sao.", "items": ["Bản sao"]}),
    "intake withdrawal request": ("intake", "POST",
                                  lambda w: f"/api/v1/dossiers/{w['intake'].dossier('2L')}/withdrawal-request",
                                  ADMIN, {"reason": "Không còn nhu cầu."}),
    "intake calendar override": ("intake", "PUT", lambda w: "/api/v1/calendar/overrides/2026-12-24", ADMIN,
                                 {"kind": "day_off", "note": "Nghỉ bù."}),
    "routing completion": ("routing", "POST", lambda w: f"/api/v1/steps/{w['routing'].route('2L')[1]}/complete",
                           LEADER, {"outcome": "approved", "note": "Đủ điều kiện."}),
    "routing send-back": ("routing", "POST", lambda w: f"/api/v1/steps/{w['routing'].route('2L')[1]}/send-back",
                          LEADER, {"note": "Xem lại."}),
    "routing apology": ("routing", "POST", lambda w: f"/api/v1/routes/{w['routing'].route('2L')[0]}/apology",
                        LEADER, {"reason": "Cần xác minh.", "new_due_at": "2030-01-02T09:00:00+07:00"}),
    "notification opt-out": ("notification", "POST", lambda w: "/api/v1/opt-outs", ADMIN,
                             {"channel": "sms", "address": "0912345678"}),
    "notification channels": ("notification", "PUT",
                              lambda w: f"/api/v1/dossiers/{w['notification'].dossier('2L')}/channels", ADMIN,
                              {"sms": True, "email": False}),
    "notification preview": ("notification", "POST", lambda w: f"/api/v1/templates/{_template_key(w)}/preview",
                             ADMIN, {"channel": "email"}),
    "postal manual report": ("postal", "POST", lambda w: f"/api/v1/shipments/{w['postal'].shipment('2L')}/reports",
                             ADMIN, {"status": "accepted", "note": "Đã nhận.",
                                     "occurred_at": "2026-01-02T09:00:00+07:00"}),
}

NESTED = b'{"note": ' + b'{"a": ' * 10_000 + b"1" + b"}" * 10_001
BODIES = {
    # case: (raw body, content type, status, problem code)
    "over the size limit": (b'{"note": "' + b"x" * (MIB + 1) + b'"}', "application/json", 413, "payload_too_large"),
    "nested 10,000 deep": (NESTED, "application/json", 400, "json_too_deep"),
    "array nested 10,000 deep": (b"[" * 10_000 + b"]" * 10_000, "application/json", 400, "json_too_deep"),
    "invalid UTF-8": (b'{"note": "\xc3\x28\xff"}', "application/json", 400, "malformed_json"),
    "Latin-1 declared as JSON": ('{"note": "Lò Hùng"}'.encode("latin-1"), "application/json", 400, "malformed_json"),
    "not JSON at all": (b"note=x", "application/json", 400, "malformed_json"),
    "a 5,000-digit number": (b'{"note": ' + b"9" * 5000 + b"}", "application/json", 400, "malformed_json"),
    "NaN": (b'{"note": NaN}', "application/json", 400, "malformed_json"),
    "lone surrogate": (b'{"note": "a\\ud800b"}', "application/json", 400, "invalid_character"),
    "NUL character": (b'{"note": "a\\u0000b"}', "application/json", 400, "invalid_character"),
    "JSON sent as text/plain": (b'{"note": "x"}', "text/plain", 415, "unsupported_media_type"),
    "JSON sent as a form": (b'{"note": "x"}', "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    "XML": (b"<note>x</note>", "application/xml", 415, "unsupported_media_type"),
}


def counts(service) -> dict[str, int]:
    runtime = service.runtime
    with runtime.engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in runtime.spec.metadata.tables.items()}


def send(service, method: str, path: str, headers: dict, body, content_type: str = "application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return service.client.open(path, method=method, data=data, content_type=content_type, headers=headers)


def assert_problem(answer, status: int, code: str) -> None:
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True)[:300])
    assert answer.content_type == "application/problem+json"
    problem = answer.get_json()
    assert problem["status"] == status and problem["code"] == code and problem["title"], problem


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_endpoint_accepts_its_valid_body(world, endpoint):
    """The control: the hostile cases below are refused for what they are, not for a wrong path or role."""
    service, method, path, headers, body = ENDPOINTS[endpoint]
    path = path(world)
    probe = send(world[service], method, path, headers, {**body, "unknown_field_probe": 1})
    # An unknown field is refused after parsing: the request reached the endpoint's own schema.
    assert_problem(probe, 422, "validation_failed")


@pytest.mark.parametrize("case", BODIES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_hostile_body_is_refused_with_a_problem_and_stores_nothing(world, endpoint, case):
    service, method, path, headers, _body = ENDPOINTS[endpoint]
    raw, content_type, status, code = BODIES[case]
    path = path(world)
    before = counts(world[service])
    answer = send(world[service], method, path, headers, raw, content_type)
    assert_problem(answer, status, code)
    assert counts(world[service]) == before


@pytest.mark.parametrize("service,path", [
    ("intake", "/api/v1/public/dossiers/H52.04222-260101-0001%00?id_number=014090001234"),
    ("intake", "/api/v1/dossiers?q=a%00b"),
    ("intake", "/api/v1/dossiers/a%00b"),
    ("intake", "/api/v1/dossiers/a%00b/receipt"),
    ("routing", "/api/v1/routes/H52%00"),
    ("notification", "/api/v1/dossiers/a%00b/messages"),
    ("postal", "/api/v1/shipments?dossier_code=%00"),
    ("reporting", "/api/v1/reports/summary?from=2026-01-01&to=2026-01-31&unit=04222%00"),
])
def test_a_nul_in_an_address_or_query_is_refused_before_any_query_runs(world, service, path):
    # Before the check in web/app.py each of these reached PostgreSQL, which refuses NUL: a 500.
    answer = world[service].client.get(path, headers=ADMIN)
    assert_problem(answer, 400, "invalid_character")


def test_an_oversized_lookup_form_is_refused_and_counts_nothing(world):
    intake = world["intake"]
    before = counts(intake)
    answer = intake.client.post("/tra-cuu", data={"code": "x" * (MIB + 10), "id_number": "014090001234"})
    assert_problem(answer, 413, "payload_too_large")
    assert counts(intake) == before


def test_a_nul_in_the_lookup_form_is_refused(world):
    answer = world["intake"].client.post("/tra-cuu", data={"code": "H52\x00", "id_number": "014090001234"})
    assert_problem(answer, 400, "invalid_character")


# -- SQL injection: stored inertly, byte for byte; tables intact --------------------------------------
def _hostile_dossier(intake, value: str, name: str | None = None) -> tuple[str, dict]:
    body = {"procedure_code": "1.004884", "channel": "counter", "receiving_unit": A,
            "applicant": {"full_name": value, "id_number": "014090001234", "address": value},
            "return_method": "postal", "delivery_address": value,
            "documents": [{"name": value, "copy_type": "original", "count": 1}]}
    headers = {"Authorization": f"Bearer {token('receptionist', unit=A, name=name or 'Lường Thị Mai')}"}
    answer = send(intake, "POST", "/api/v1/dossiers", headers, body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["code"], body


@pytest.mark.parametrize("value", HOSTILE)
def test_injection_in_every_text_field_of_a_dossier_round_trips_byte_for_byte(world, value):
    intake = world["intake"]
    code, _ = _hostile_dossier(intake, value)
    detail = intake.client.get(f"/api/v1/dossiers/{code}", headers=ADMIN).get_json()
    applicant = detail["applicant"]
    assert applicant["full_name"] == applicant["address"] == detail["delivery_address"] == value
    assert [d["name"] for d in detail["documents"]] == [value]
    with intake.runtime.engine.connect() as conn:  # as stored, not only as answered
        row = conn.execute(text("select applicant_name, applicant_address, delivery_address from dossiers "
                                "where code = :code"), {"code": code}).one()
        assert tuple(row) == (value, value, value)
        assert conn.execute(text("select to_regclass('dossiers') is not null")).scalar_one()
    # Searching for it finds that text, not every row.
    found = intake.client.get("/api/v1/dossiers", query_string={"q": value, "page_size": 100}, headers=ADMIN)
    assert found.status_code == 200, found.get_json()
    assert found.get_json()["items"] and all(item["applicant_name"] == value for item in found.get_json()["items"])


@pytest.mark.parametrize("value", SQL)
def test_sql_in_paths_and_queries_matches_nothing(world, value):
    intake = world["intake"]
    intake.dossier("2L")  # at least one row a tautology would match
    total = counts(intake)["dossiers"]
    assert intake.client.get(f"/api/v1/dossiers/{value}", headers=ADMIN).status_code == 404
    listed = intake.client.get("/api/v1/dossiers", query_string={"procedure": value}, headers=ADMIN)
    assert listed.status_code == 200 and listed.get_json()["total"] == 0
    lookup = intake.client.get(f"/api/v1/public/dossiers/{value}", query_string={"id_number": "014090001234"},
                               environ_overrides={"REMOTE_ADDR": f"192.0.2.{uuid.uuid4().int % 200}"})
    assert_problem(lookup, 404, "dossier_not_found")
    assert world["postal"].client.get("/api/v1/shipments", query_string={"dossier_code": value},
                                      headers=ADMIN).get_json()["items"] == []
    summary = world["reporting"].client.get("/api/v1/reports/summary", headers=ADMIN, query_string={
        "from": "2026-01-01", "to": "2026-01-31", "unit": value})
    assert_problem(summary, 422, "validation_failed")
    assert counts(intake)["dossiers"] == total


@pytest.mark.parametrize("value", HOSTILE)
def test_injection_in_routing_and_postal_notes_is_stored_inertly(world, value):
    routing, postal = world["routing"], world["postal"]
    code, step = routing.route("2L", fresh=True)
    assert routing.client.post(f"/api/v1/steps/{step}/claim", headers=LEADER).status_code == 200
    done = send(routing, "POST", f"/api/v1/steps/{step}/complete", LEADER, {"outcome": "approved", "note": value})
    assert done.status_code == 200, done.get_json()
    assert routing.step(step)["note"] == value
    route = routing.client.get(f"/api/v1/routes/{code}", headers=LEADER).get_json()
    assert value in [h["note"] for h in route["handovers"]]
    shipment = postal.shipment("2L", fresh=True)
    report = send(postal, "POST", f"/api/v1/shipments/{shipment}/reports", ADMIN,
                  {"status": "accepted", "note": value, "tracking_number": value[:64],
                   "occurred_at": datetime.now(timezone.utc).isoformat()})
    assert report.status_code in (200, 201), report.get_json()
    shown = postal.client.get(f"/api/v1/shipments/{shipment}", headers=ADMIN)
    assert value in json.dumps(shown.get_json(), ensure_ascii=False)


@pytest.mark.parametrize("value", HOSTILE)
def test_injection_as_an_opt_out_address_is_refused_and_stores_nothing(world, value):
    notification = world["notification"]
    before = counts(notification)
    for channel in ("sms", "email"):  # neither a phone number nor an e-mail address
        answer = send(notification, "POST", "/api/v1/opt-outs", ADMIN, {"channel": channel, "address": value})
        assert_problem(answer, 422, "validation_failed")
    assert counts(notification) == before


@pytest.mark.parametrize("value", HOSTILE)
def test_injection_in_a_calendar_note_is_stored_inertly(world, value):
    day = (date(2031, 1, 1) + timedelta(days=HOSTILE.index(value) * 7 + 1)).isoformat()
    intake = world["intake"]
    put = send(intake, "PUT", f"/api/v1/calendar/overrides/{day}", ADMIN, {"kind": "day_off", "note": value})
    assert put.status_code in (200, 201), put.get_json()
    listed = intake.client.get("/api/v1/calendar/overrides", query_string={"year": 2031}, headers=ADMIN).get_json()
    assert value in json.dumps(listed, ensure_ascii=False)


# -- script injection: escaped on every page that shows it --------------------------------------------
def assert_escaped(html: str, value: str) -> None:
    assert RAW[value] not in html, html[:2000]
    assert ESCAPED[value] in html


@pytest.mark.parametrize("value", SCRIPT)
def test_script_in_a_dossier_is_escaped_on_every_printed_form(world, value):
    intake = world["intake"]
    code, _ = _hostile_dossier(intake, value, name=value)  # the officer's name comes from the SSO's token
    pages = {"Mẫu 01 receipt": f"/api/v1/dossiers/{code}/receipt",
             "Mẫu 05 control log": f"/api/v1/dossiers/{code}/control-log"}
    today = datetime.now(timezone(timedelta(hours=7))).date().isoformat()
    pages["Mẫu 06 logbook"] = f"/api/v1/logbook?unit={A}&from={today}&to={today}"
    for name, path in pages.items():
        answer = intake.client.get(path, headers=ADMIN)
        assert answer.status_code == 200 and answer.content_type.startswith("text/html"), (name, answer.status_code)
        assert_escaped(answer.get_data(as_text=True), value)

    submitted = intake.receive(A, "2L", submitted=True)
    asked = send(intake, "POST", f"/api/v1/dossiers/{submitted}/supplement-request", ADMIN,
                 {"note": value, "items": [value]})
    assert asked.status_code == 200, asked.get_json()
    form = intake.client.get(f"/api/v1/dossiers/{submitted}/supplement-request", headers=ADMIN)
    assert form.status_code == 200
    assert_escaped(form.get_data(as_text=True), value)  # Mẫu 02

    refused = intake.receive(A, "2L", submitted=True)
    answer = send(intake, "POST", f"/api/v1/dossiers/{refused}/refusal", ADMIN, {"reason": value})
    assert answer.status_code == 200, answer.get_json()
    form = intake.client.get(f"/api/v1/dossiers/{refused}/refusal", headers=ADMIN)
    assert form.status_code == 200
    assert_escaped(form.get_data(as_text=True), value)  # Mẫu 03


@pytest.mark.parametrize("value", SCRIPT)
def test_script_is_escaped_on_the_public_lookup_page(world, value):
    intake = world["intake"]
    addr = {"REMOTE_ADDR": f"198.51.100.{SCRIPT.index(value) + 10}"}
    # The code the visitor typed is written back into the form.
    echoed = intake.client.post("/tra-cuu", data={"code": value, "id_number": "014090001234"},
                                environ_overrides=addr)
    assert echoed.status_code == 404
    assert_escaped(echoed.get_data(as_text=True), value)
    invalid = intake.client.post("/tra-cuu", data={"code": value, "id_number": "x"}, environ_overrides=addr)
    assert invalid.status_code == 422
    assert_escaped(invalid.get_data(as_text=True), value)
    prefill = intake.client.get("/tra-cuu", query_string={"ma": value}, environ_overrides=addr)
    assert prefill.status_code == 200 and RAW[value] not in prefill.get_data(as_text=True)
    # A dossier whose history carries officer-typed text (a supplement note) shows it escaped if at all.
    code = intake.receive(A, "2L", submitted=True)
    send(intake, "POST", f"/api/v1/dossiers/{code}/supplement-request", ADMIN, {"note": value, "items": [value]})
    found = intake.client.post("/tra-cuu", data={"code": code, "id_number": "014090001234"}, environ_overrides=addr)
    assert found.status_code == 200
    assert RAW[value] not in found.get_data(as_text=True)


@pytest.mark.parametrize("value", SCRIPT)
def test_script_in_personalisation_is_escaped_in_the_email_a_citizen_receives(world, value):
    notification = world["notification"]
    key = _template_key(world)
    detail = notification.client.get(f"/api/v1/templates/{key}", headers=ADMIN).get_json()
    names = [name for name, sample in detail["sample"].items() if isinstance(sample, str)]
    assert "code" in names and len(names) > 2, detail["sample"]
    answer = send(notification, "POST", f"/api/v1/templates/{key}/preview", ADMIN,
                  {"channel": "email", "personalisation": {name: value for name in names}})
    assert answer.status_code == 200, answer.get_json()
    html = answer.get_json()["email"]["html"]
    # Text nodes of the e-mail escape < > & (a quote there opens nothing); the link is URL-encoded.
    assert RAW[value] not in html and ESCAPED[value].replace("&#34;", '"') in html


def test_the_dashboard_page_reflects_nothing_and_forbids_inline_script(world):
    reporting = world["reporting"]
    answer = reporting.client.get("/dashboard", query_string={"unit": SCRIPT[0], "from": SCRIPT[1]})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and answer.content_type.startswith("text/html")
    assert "alert(1)" not in html
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    script = reporting.client.get("/dashboard/static/dashboard.js")
    source = script.get_data(as_text=True)
    script.close()
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "document.write" not in source


@pytest.mark.parametrize("service", ["intake", "routing", "notification", "postal", "reporting"])
def test_json_answers_are_never_sniffed_as_html(world, service):
    answer = world[service].client.get("/api/v1/does-not-exist/<script>alert(1)</script>")
    assert answer.status_code == 404
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.content_type == "application/problem+json"
