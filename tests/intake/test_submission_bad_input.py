"""POST /api/v1/dossiers with each field wrong in turn: a 4xx problem+json with the right `code` (and the
field named in `invalid_params`), and nothing stored: no dossier, no number taken, no event."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from intake.support import APPLICANT, dossier, token

RECEPTIONIST = token("receptionist", unit="04222")


def without(path: str) -> dict:
    body = dossier()
    parent, _, leaf = path.rpartition(".")
    (body[parent] if parent else body).pop(leaf)
    return body


def applicant(**changes) -> dict:
    return dossier(applicant={**APPLICANT, **changes})


def document(**changes) -> dict:
    return dossier(documents=[{"name": "Tờ khai", "copy_type": "original", "count": 1, **changes}])


def raw(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


TOMORROW = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
CASES = [
    # (case, raw body, headers, status, problem code, (invalid param name, its code) or None)
    *[(f"missing {field}", raw(without(field)), RECEPTIONIST, 422, "validation_failed", (field, "required"))
      for field in ("procedure_code", "channel", "receiving_unit", "applicant", "return_method",
                    "applicant.full_name", "applicant.id_number")],
    ("null applicant", raw(dossier(applicant=None)), RECEPTIONIST, 422, "validation_failed",
     ("applicant", "null_not_allowed")),
    ("procedure_code a number", raw(dossier(procedure_code=1004884)), RECEPTIONIST, 422, "validation_failed",
     ("procedure_code", "invalid_type")),
    ("channel a number", raw(dossier(channel=7)), RECEPTIONIST, 422, "validation_failed", ("channel", "invalid_type")),
    ("channel unknown", raw(dossier(channel="fax")), RECEPTIONIST, 422, "validation_failed",
     ("channel", "invalid_choice")),
    ("receiving_unit a number", raw(dossier(receiving_unit=4222)), RECEPTIONIST, 422, "validation_failed",
     ("receiving_unit", "invalid_type")),
    ("receiving_unit malformed", raw(dossier(receiving_unit="4222")), RECEPTIONIST, 422, "validation_failed",
     ("receiving_unit", "invalid_format")),
    ("applicant a string", raw(dossier(applicant="Lò Văn Hùng")), RECEPTIONIST, 422, "validation_failed",
     ("applicant._schema", "invalid_type")),
    ("full_name a number", raw(applicant(full_name=5)), RECEPTIONIST, 422, "validation_failed",
     ("applicant.full_name", "invalid_type")),
    ("full_name empty", raw(applicant(full_name="")), RECEPTIONIST, 422, "validation_failed",
     ("applicant.full_name", "invalid_length")),
    ("full_name with a control character", raw(applicant(full_name="Lò Văn\x07 Hùng")), RECEPTIONIST, 422,
     "validation_failed", ("applicant.full_name", "invalid")),
    ("id_number a number", raw(applicant(id_number=14090001234)), RECEPTIONIST, 422, "validation_failed",
     ("applicant.id_number", "invalid_type")),
    ("id_number 11 digits", raw(applicant(id_number="01409000123")), RECEPTIONIST, 422, "validation_failed",
     ("applicant.id_number", "invalid_format")),
    ("malformed phone", raw(applicant(phone="091234567")), RECEPTIONIST, 422, "validation_failed",
     ("applicant.phone", "invalid_format")),
    ("landline phone", raw(applicant(phone="02123852345")), RECEPTIONIST, 422, "validation_failed",
     ("applicant.phone", "invalid_format")),
    ("phone a number", raw(applicant(phone=912345678)), RECEPTIONIST, 422, "validation_failed",
     ("applicant.phone", "invalid_type")),
    ("malformed email", raw(applicant(email="hung@")), RECEPTIONIST, 422, "validation_failed",
     ("applicant.email", "invalid_type")),
    ("unknown applicant field", raw(applicant(nickname="Hùng")), RECEPTIONIST, 422, "validation_failed",
     ("applicant.nickname", "unknown_field")),
    ("unknown field", raw(dossier(priority="high")), RECEPTIONIST, 422, "validation_failed",
     ("priority", "unknown_field")),
    ("return_method unknown", raw(dossier(return_method="drone")), RECEPTIONIST, 422, "validation_failed",
     ("return_method", "invalid_choice")),
    ("documents not a list", raw(dossier(documents="Tờ khai")), RECEPTIONIST, 422, "validation_failed",
     ("documents", "invalid_type")),
    ("document count a string", raw(document(count="two")), RECEPTIONIST, 422, "validation_failed",
     ("documents.0.count", "invalid_type")),
    ("document copy type unknown", raw(document(copy_type="scan")), RECEPTIONIST, 422, "validation_failed",
     ("documents.0.copy_type", "invalid_choice")),
    ("too many documents", raw(dossier(documents=[{"name": "x", "copy_type": "copy"}] * 51)), RECEPTIONIST, 422,
     "validation_failed", ("documents", "invalid_length")),
    ("received_at not a time", raw(dossier(received_at="hôm qua")), token("admin", unit="14"), 422, "validation_failed",
     ("received_at", "invalid_type")),
    ("unknown procedure", raw(dossier(procedure_code="9.999999")), RECEPTIONIST, 422, "unknown_procedure",
     ("procedure_code", "unknown_procedure")),
    ("unknown unit", raw(dossier(receiving_unit="99999")), token("admin", unit="14"), 422, "unknown_unit",
     ("receiving_unit", "unknown_unit")),
    ("district gone in the two-level world", raw(dossier(receiving_unit="126")), token("admin", unit="14"), 422,
     "unknown_unit", ("receiving_unit", "unknown_unit")),
    ("unit outside the officer's scope", raw(dossier(receiving_unit="04171")), RECEPTIONIST, 403,
     "unit_out_of_scope", None),
    ("postal return without address", raw(dossier(return_method="postal")), RECEPTIONIST, 422,
     "validation_failed", ("delivery_address", "required")),
    ("postal return of a procedure without postal service", raw(dossier(
        procedure_code="1.000894", return_method="postal", delivery_address="Bản Hưng Mai")), RECEPTIONIST, 422,
     "postal_not_allowed", ("return_method", "postal_not_allowed")),
    ("reception time set by a receptionist", raw(dossier(received_at="2026-04-23T09:00:00+07:00")), RECEPTIONIST,
     403, "import_requires_admin", None),
    ("reception time in the future", raw(dossier(received_at=TOMORROW)), token("admin", unit="14"), 422,
     "received_at_in_future", ("received_at", "received_at_in_future")),
    ("citizen at the counter", raw(dossier()), token("citizen", sub="014090001234"), 403,
     "counter_requires_officer", None),
    ("citizen online without an online service", raw(dossier(channel="online")), token("citizen", sub="014090001234"),
     403, "online_not_available", None),
    ("citizen accepting their own dossier", raw(dossier(channel="online", procedure_code="1.005461",
                                                        status="received")),
     token("citizen", sub="014090001234"), 403, "acceptance_requires_officer", None),
    ("a role that does not receive", raw(dossier()), token("specialist", unit="04222"), 403, "forbidden_role", None),
    ("no token", raw(dossier()), {}, 401, "unauthenticated", None),
    ("10 MB body", b'{"procedure_code": "' + b"1" * (10 * 1024 * 1024) + b'"}', RECEPTIONIST, 413,
     "payload_too_large", None),
    ("invalid UTF-8", b'{"procedure_code": "1.004873", "channel": "\xc3\x28"}', RECEPTIONIST, 400,
     "malformed_json", None),
    ("truncated JSON", raw(dossier())[:-10], RECEPTIONIST, 400, "malformed_json", None),
    ("Idempotency-Key too long", raw(dossier()), {**RECEPTIONIST, "Idempotency-Key": "k" * 101}, 422,
     "invalid_idempotency_key", None),
    *[(f"Idempotency-Key {name}", raw(dossier()), {**RECEPTIONIST, "Idempotency-Key": key}, 422,
       "invalid_idempotency_key", None)
      for name, key in (("empty", ""), ("with NUL", "k\x00k"), ("with a control", "k\x1bk"),
                        ("with DEL", "k\x7f"), ("of latin-1 bytes", "kh\xf3a"))],
]


@pytest.mark.parametrize("case,body,headers,status,code,param", CASES, ids=[c[0] for c in CASES])
def test_a_bad_submission_is_refused_and_stores_nothing(desk, case, body, headers, status, code, param):
    answer = desk.client.post("/api/v1/dossiers", data=body, content_type="application/json", headers=headers)
    assert answer.status_code == status, answer.get_data(as_text=True)[:400]
    assert answer.content_type == "application/problem+json"
    problem = answer.get_json()
    assert problem["code"] == code and problem["status"] == status and problem["title"]
    if param:
        assert param in {(p["name"], p["code"]) for p in problem["invalid_params"]}, problem["invalid_params"]
    for table in ("dossiers", "dossier_history", "outbox", "daily_sequences", "logbook_sequences",
                  "citizen_sequences", "citizen_submissions"):
        assert desk.count(table) == 0, table
