"""Log lines are JSON, carry the correlation id, and never carry personal data."""
import json
import logging

from motcua_shared import context
from motcua_shared.logs import JsonFormatter, redact


def format_record(message, **extra):
    record = logging.LogRecord("t", logging.INFO, __file__, 1, message, (), None)
    for key, value in extra.items():
        setattr(record, key, value)
    return json.loads(JsonFormatter("intake", "api").format(record))


def test_personal_data_is_redacted_from_messages_and_fields():
    line = format_record("applicant 014090001234 phone 0912345678 mail hung@example.vn",
                         extra_field={"phone": "+84912345678", "ids": ["123456789"]})
    text = json.dumps(line)
    for secret in ("014090001234", "0912345678", "hung@example.vn", "+84912345678", "123456789"):
        assert secret not in text
    assert "[id-number]" in line["event"] and "[phone]" in line["event"] and "[email]" in line["event"]


def test_dossier_codes_and_event_ids_are_not_mistaken_for_personal_data():
    code = "H52.04222-190315-0001"
    event_id = "6f1c1d3e-8a0e-4a43-9c1e-0d6f6c2b7a10"
    assert redact(f"{code} {event_id}") == f"{code} {event_id}"


def test_correlation_id_is_on_every_line():
    with context.bound(correlation_id="corr-123456789"):
        assert format_record("hello")["correlation_id"] == "corr-123456789"
