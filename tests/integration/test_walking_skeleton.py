"""The walking skeleton: a dossier received over HTTP reaches every service, and reporting counts it.
Bad HTTP input answers problem+json, stores nothing and publishes nothing."""
from __future__ import annotations

import json

import pytest

from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

from motcua_testing.waiting import wait_for


def dossier(**overrides) -> dict:
    body = {
        "procedure_code": "1.004873",  # Cấp Giấy xác nhận tình trạng hôn nhân (commune, 3 working days)
        "channel": "counter",
        "receiving_unit": "04222",
        "applicant": {"full_name": "Lò Văn Hùng", "id_number": "014090001234", "phone": "0912345678",
                      "email": "hung@example.vn", "address": "Bản Hưng Mai, xã Chiềng Khương"},
        "return_method": "counter",
        "documents": [{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "copy_type": "original", "count": 1}],
    }
    body.update(overrides)
    return body


def test_a_received_dossier_reaches_every_service_and_is_counted(system):
    system.start_workers()
    intake = system.client("intake")
    answer = intake.post("/api/v1/dossiers", json=dossier(), headers=system.auth("receptionist", unit="04222"))
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "received" and body["dvcqg_status"] == 2
    assert body["code"].startswith("H52.04222-")
    assert body["receipt_url"].endswith(f"/api/v1/dossiers/{body['code']}/receipt")

    reporting = system.client("reporting")

    def counted():
        counts = reporting.get("/api/v1/reports/event-counts", headers=system.auth("leader", unit="126")).get_json()
        return counts if counts["by_type"].get(DOSSIER_RECEIVED) == 1 else None

    assert wait_for(counted, what="reporting to count the dossier")["by_type"][DOSSIER_RECEIVED] == 1
    wait_for(lambda: all(system.count(s, t) == 1 for s, t in
                         (("routing", "dossier_routes"), ("notification", "recipients"), ("postal", "dossier_returns"))),
             what="routing, notification and postal to record it")
    assert system.rows("routing", "dossier_routes")[0]["dossier_code"] == body["code"]


BAD_INPUT = [
    # (name, raw body, content type, expected status, expected code)
    ("malformed json", b'{"procedure_code": "1.004873",', "application/json", 400, "malformed_json"),
    ("invalid utf-8", b'{"procedure_code": "\xff\xfe"}', "application/json", 400, "malformed_json"),
    ("not an object", b'[1, 2, 3]', "application/json", 422, "validation_failed"),
    ("unknown field", json.dumps(dossier(priority="high")).encode(), "application/json", 422, "validation_failed"),
    ("wrong type", json.dumps(dossier(channel=7)).encode(), "application/json", 422, "validation_failed"),
    ("nested wrong type", json.dumps(dossier(documents=[{"name": "x", "copy_type": "original", "count": "two"}])).encode(),
     "application/json", 422, "validation_failed"),
    ("oversized body", b'{"x": "' + b"a" * (2 * 1024 * 1024) + b'"}', "application/json", 413, "payload_too_large"),
    # A body that is not JSON is refused for its type, not read as an empty object (web/blueprint.py).
    ("form instead of json", b"procedure_code=1.004873", "application/x-www-form-urlencoded", 415,
     "unsupported_media_type"),
]


@pytest.mark.parametrize("name,raw,content_type,status,code", BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_answers_problem_json_and_stores_nothing(system, name, raw, content_type, status, code):
    intake = system.client("intake")
    answer = intake.post("/api/v1/dossiers", data=raw, content_type=content_type,
                         headers=system.auth("receptionist", unit="04222"))
    assert answer.status_code == status, answer.get_data(as_text=True)[:500]
    assert answer.content_type == "application/problem+json"
    problem = answer.get_json()
    assert problem["code"] == code
    assert problem["status"] == status and problem["title"] and problem["type"]
    assert "Traceback" not in answer.get_data(as_text=True)
    assert system.count("intake", "dossiers") == 0
    assert system.count("intake", "outbox") == 0


def test_validation_problem_names_each_invalid_field(system):
    intake = system.client("intake")
    body = dossier(priority="high", channel="fax")
    del body["applicant"]["id_number"]
    answer = intake.post("/api/v1/dossiers", json=body, headers=system.auth("receptionist", unit="04222"))
    assert answer.status_code == 422
    params = {(p["name"], p["code"]) for p in answer.get_json()["invalid_params"]}
    assert params == {("priority", "unknown_field"), ("channel", "invalid_choice"),
                      ("applicant.id_number", "required")}


def test_requests_without_a_valid_token_are_refused(system):
    intake = system.client("intake")
    assert intake.post("/api/v1/dossiers", json=dossier()).get_json()["code"] == "unauthenticated"
    forged = system.token("receptionist", unit="04222").rsplit(".", 1)[0] + ".c2lnbmF0dXJl"
    answer = intake.post("/api/v1/dossiers", json=dossier(), headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401 and answer.get_json()["code"] == "invalid_token"
    answer = intake.post("/api/v1/dossiers", json=dossier(), headers=system.auth("auditor", unit="04222"))
    assert answer.status_code == 403 and answer.get_json()["code"] == "forbidden_role"
    assert system.count("intake", "dossiers") == 0


def test_the_correlation_id_travels_from_the_request_into_the_event_and_the_consumers_logs(system):
    system.start_workers("intake", "routing", extra_env={"LOG_LEVEL": "DEBUG"})
    answer = system.client("intake").post("/api/v1/dossiers", json=dossier(),
                                          headers={**system.auth("receptionist", unit="04222"),
                                                   "X-Correlation-ID": "desk-7-request-0042"})
    assert answer.status_code == 201
    assert answer.headers["X-Correlation-ID"] == "desk-7-request-0042"
    assert system.rows("intake", "outbox")[0]["correlation_id"] == "desk-7-request-0042"
    wait_for(lambda: system.count("routing", "dossier_routes") == 1, what="routing to record it")
    handled = [line for line in system.processes.log("routing-worker").splitlines() if '"event_handled"' in line]
    assert handled and all('"correlation_id": "desk-7-request-0042"' in line for line in handled)
    # Personal data never reaches the logs, even at DEBUG.
    for name in ("intake-worker", "routing-worker"):
        log = system.processes.log(name)
        assert "014090001234" not in log and "0912345678" not in log and "hung@example.vn" not in log


@pytest.mark.parametrize("service,path,role", [
    ("intake", "/api/v1/dossiers?stauts=received", "receptionist"),
    ("routing", "/api/v1/steps?stauts=open", "specialist"),
    ("postal", "/api/v1/shipments?stauts=failed", "receptionist"),
    ("reporting", "/api/v1/reports/summary?from=2019-01-01&to=2019-05-31&unit=04222&fromat=csv", "leader"),
])
def test_a_mistyped_query_parameter_is_refused_not_ignored(system, service, path, role):
    answer = system.client(service).get(path, headers=system.auth(role, unit="04222"))
    assert answer.status_code == 422, answer.get_data(as_text=True)[:300]
    assert any(p["code"] == "unknown_field" for p in answer.get_json()["invalid_params"])
