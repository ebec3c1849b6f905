"""The officers' view: what was sent for a dossier (masked addresses, template and version, status,
attempts, times), confined to their unit; and the templates, previewable with sample data."""
from __future__ import annotations

import pytest

from notification.support import PUBLIC, Events


def test_an_officer_sees_what_was_sent_for_a_dossier_without_the_addresses(local, gateway):
    service = local()
    ev = Events()
    gateway.status = 503
    service.handle(ev.received(), ev.apology())
    service.deliver()
    answer = service.client().get(f"/api/v1/dossiers/{ev.code}/messages", headers=service.auth("specialist",
                                                                                                unit="04222"))
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["dossier_code"] == ev.code
    assert [(n["template"], n["status"]) for n in body["notices"]] == [("dossier_received", "addressed"),
                                                                        ("apology_issued", "addressed")]
    by_key = {(m["template"], m["channel"]): m for m in body["messages"]}
    sms = by_key[("dossier_received", "sms")]
    assert sms["recipient"] == "0912***678" and sms["template_version"] == 1 and sms["urgent"] is True
    assert sms["status"] == "temporary-failure" and sms["attempts"] == 1 and sms["segments"] == 1
    assert sms["status_reason"] == "sms-gateway: http 503"
    assert [(a["provider"], a["outcome"], a["detail"]) for a in sms["attempt_log"]] == [
        ("sms-gateway", "temporary", "http 503")]
    assert sms["content"]["text"].startswith(f"Ho so {ev.code} da duoc tiep nhan")
    email = by_key[("apology_issued", "email")]
    assert email["recipient"] == "h***@example.vn" and email["status"] == "delivered" and email["urgent"] is False
    assert email["content"]["attachment_name"] == f"phieu-xin-loi-{ev.code}.html"
    assert email["event_type"] == "vn.motcua.apology.issued" and email["sent_at"] and email["completed_at"]
    text = answer.get_data(as_text=True)
    assert "0912345678" not in text and "+84912345678" not in text and "hung.lo@example.vn" not in text


@pytest.mark.parametrize("roles,unit,status", [
    (("receptionist",), "04222", 200),  # the receiving commune
    (("leader",), "126", 200),  # its district (the dossier's path is 14.126.04222)
    (("auditor",), "14", 200),  # the province
    (("admin",), "14", 200),  # the province's administrator
    (("specialist",), "04168", 404),  # another commune: as if it did not exist
    (("admin",), "04168", 404),  # another commune's administrator, likewise
    (("specialist",), None, 401),  # an officer's token without a unit is refused
    (("admin",), None, 401),  # an administrator's too: no unit is not "the whole province"
    (("citizen",), None, 403),
    (("postal_partner",), None, 403),
])
def test_officers_see_the_dossiers_of_their_unit_and_below(local, roles, unit, status):
    service = local()
    ev = Events()
    service.handle(ev.received())
    answer = service.client().get(f"/api/v1/dossiers/{ev.code}/messages", headers=service.auth(*roles, unit=unit))
    assert answer.status_code == status
    assert answer.content_type == ("application/json" if status == 200 else "application/problem+json")


def test_unknown_dossiers_and_missing_tokens(local):
    service = local()
    client = service.client()
    unknown = client.get("/api/v1/dossiers/H52.04222-190315-9999/messages", headers=service.auth("admin", unit="14"))
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "dossier_not_found"
    assert client.get("/api/v1/dossiers/H52.04222-190315-9999/messages").get_json()["code"] == "unauthenticated"
    assert client.get("/api/v1/templates").status_code == 401


def test_templates_are_listed_with_their_versions(local):
    service = local()
    client, auth = service.client(), service.auth("receptionist", unit="04222")
    listed = client.get("/api/v1/templates", headers=auth).get_json()["templates"]
    assert {t["key"] for t in listed} >= {"dossier_received", "supplement_requested", "dossier_refused",
                                          "apology_issued", "result_ready", "result_returned", "shipment_progressed"}
    received = next(t for t in listed if t["key"] == "dossier_received")
    assert received["urgent"] is True and received["has_attachment"] is True and received["current_version"] == 1
    detail = client.get("/api/v1/templates/apology_issued", headers=auth).get_json()
    assert detail["versions"][0]["attachment"] == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert "{{ new_due_at }}" in detail["versions"][0]["sms"] and detail["sample"]["code"]
    missing = client.get("/api/v1/templates/no_such_template", headers=auth)
    assert missing.status_code == 404 and missing.get_json()["code"] == "template_not_found"


def test_a_template_is_previewed_as_the_citizen_would_receive_it(local):
    service = local()
    client, auth = service.client(), service.auth("leader", unit="126")
    sms = client.post("/api/v1/templates/dossier_received/preview", headers=auth, json={
        "channel": "sms", "personalisation": {"code": "H52.04222-261201-0042", "due_at": "16:00 ngày 04/12/2026"}})
    assert sms.status_code == 200
    text = (f"Ho so H52.04222-261201-0042 da duoc tiep nhan. Hen tra ket qua: 16:00 ngay 04/12/2026. "
            f"Tra cuu: {PUBLIC}/tra-cuu?ma=H52.04222-261201-0042")
    assert sms.get_json()["sms"] == {"text": text, "encoding": "GSM-7", "characters": 160, "segments": 1}
    assert len(text) == 160  # one GSM-7 segment, exactly
    unicode = client.post("/api/v1/templates/dossier_received/preview", headers=auth,
                          json={"channel": "sms", "unicode": True}).get_json()["sms"]
    assert unicode["encoding"] == "UCS-2" and unicode["segments"] == 3 and "đã được tiếp nhận" in unicode["text"]

    email = client.post("/api/v1/templates/supplement_requested/preview", headers=auth, json={
        "channel": "email", "version": 1, "personalisation": {"items": ["Tờ khai", "Bản sao CCCD"]}}).get_json()
    assert email["version"] == 1 and email["email"]["subject"] == "Hồ sơ H52.04222-190315-0001 cần bổ sung, hoàn thiện"
    assert "- Tờ khai\n- Bản sao CCCD" in email["email"]["text"]
    attachment = email["email"]["attachment"]
    assert attachment["filename"] == "phieu-yeu-cau-bo-sung-H52.04222-190315-0001.html"
    assert attachment["content_type"] == "text/html" and "<li>Bản sao CCCD</li>" in attachment["content"]


@pytest.mark.parametrize("body,status,code,names", [
    ({"channel": "sms", "personalisation": {"full_name": "Lò Văn Hùng"}}, 422, "validation_failed",
     ["personalisation.full_name"]),
    ({"channel": "sms", "personalisation": {"due_at": 20}}, 422, "validation_failed", ["personalisation.due_at"]),
    ({"channel": "fax"}, 422, "validation_failed", ["channel"]),
    ({"channel": "sms", "colour": "red"}, 422, "validation_failed", ["colour"]),
    ({"channel": "sms", "version": 9}, 404, "template_version_not_found", None),
    ({"channel": "sms", "unicode": "yes"}, 422, "validation_failed", ["unicode"]),
])
def test_bad_previews_answer_problem_json(local, body, status, code, names):
    service = local()
    answer = service.client().post("/api/v1/templates/dossier_received/preview", json=body,
                                   headers=service.auth("receptionist", unit="04222"))
    assert answer.status_code == status and answer.content_type == "application/problem+json"
    problem = answer.get_json()
    assert problem["code"] == code
    if names:
        assert [p["name"] for p in problem["invalid_params"]] == names


def test_a_value_no_wording_exists_for_is_refused_not_rendered_blank(local):
    service = local()
    answer = service.client().post("/api/v1/templates/shipment_progressed/preview", headers=service.auth("admin", unit="14"),
                                   json={"channel": "sms", "personalisation": {"status": "teleported"}})
    assert answer.status_code == 422 and answer.get_json()["code"] == "unrenderable_personalisation"
    malformed = service.client().post("/api/v1/templates/dossier_received/preview", data=b'{"channel": ',
                                      content_type="application/json", headers=service.auth("admin", unit="14"))
    assert malformed.status_code == 400 and malformed.get_json()["code"] == "malformed_json"
