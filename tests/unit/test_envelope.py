"""The CloudEvents envelope: what producers build is what consumers accept, and nothing else."""
import json
import uuid
from dataclasses import replace

import pytest
from marshmallow import ValidationError

from motcua_shared import context
from motcua_shared.events import InvalidEvent, new_event, parse, registry
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED


def example():
    return dict(registry.get(DOSSIER_RECEIVED).example)


def test_round_trip_keeps_every_attribute():
    event = new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example(), subject="H52.04222-190315-0001")
    body = json.loads(event.to_json())
    assert body["specversion"] == "1.0" and body["datacontenttype"] == "application/json"
    assert uuid.UUID(body["id"]) and body["time"].endswith("+00:00")
    parsed = parse(event.to_json())
    assert parsed == event


def test_vietnamese_text_travels_as_utf8_not_escapes():
    event = new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example())
    assert "Lò Văn Hùng".encode() in event.to_json()


def test_events_inherit_the_correlation_of_the_work_in_hand():
    with context.bound(correlation_id="req-12345678", event_id="cause-1"):
        event = new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example())
    assert (event.correlationid, event.causationid) == ("req-12345678", "cause-1")


def test_producers_cannot_publish_undocumented_fields():
    # The schema refuses the unknown field itself (not some later, unrelated failure).
    with pytest.raises(ValidationError, match="id_number"):
        new_event(DOSSIER_RECEIVED, source="/motcua/intake", data={**example(), "id_number": "014090001234"})


@pytest.mark.parametrize("mutate,reason", [
    (lambda b: b.pop("id"), "envelope invalid"),
    (lambda b: b.update(specversion="0.3"), "envelope invalid"),
    (lambda b: b.update(type="dossier.received"), "envelope invalid"),
    (lambda b: b.update(time="2019-03-15T08:30:00"), "envelope invalid"),  # no offset
    # Unknown attributes that cannot be CloudEvents extensions: a name outside [a-z0-9], an object value.
    (lambda b: b.update({"Extra_Field": "x"}), "envelope invalid"),
    (lambda b: b.update(extra={"nested": 1}), "extension attribute extra"),
    (lambda b: b.update({f"ext{n}": "x" for n in range(9)}), "too many extension attributes"),
    (lambda b: b.update(type="vn.motcua.nothing.happened"), "unknown event type"),
    (lambda b: b["data"].update(channel="fax"), "data of vn.motcua.dossier.received invalid"),
])
def test_invalid_envelopes_are_refused_with_a_reason(mutate, reason):
    body = new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example()).to_dict()
    mutate(body)
    with pytest.raises(InvalidEvent) as caught:
        parse(json.dumps(body).encode())
    assert str(caught.value).startswith(reason)


def test_every_registered_example_validates():
    for entry in registry.all_types():
        entry.schema().load(entry.example)


def test_cloudevents_optional_attributes_a_partners_tooling_adds_are_accepted():
    """CloudEvents 1.0: `dataschema` is optional and extension attributes may be added by any
    intermediary (W3C trace context here); both were dead-lettered before."""
    event = new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example())
    body = {**event.to_dict(), "dataschema": "https://motcua.example/schemas/dossier.received.json",
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "tracestate": "congo=t61rcWkgMzE", "sequence": 7, "sampled": True}
    # The trace context is kept (the consumer continues that trace: docs/tracing.md); the rest is dropped.
    assert parse(json.dumps(body).encode()) == replace(
        event, traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", tracestate="congo=t61rcWkgMzE")


@pytest.mark.parametrize("body,code", [
    (b"[" * 100_000 + b"]" * 100_000, "json_too_deep"),          # RecursionError in the decoder before
    (b'{"a": ' + b"9" * 5_000 + b"}", "number_too_long"),       # ValueError from int() before
    (b'{"data": {"x": NaN}}', "malformed_json"),                  # not JSON; jsonb refuses it
    (b'{"data": {"x": "\\u0000"}}', "invalid_character"),            # a NUL: PostgreSQL refuses it
    (b'"\\ud800"', "invalid_character"),                                 # a lone surrogate
    (b"\xff\xfe", "not_utf8"),
    (b"{" + b'"a": 1, ' * 40_000 + b'"b": 2}', "too_large"),        # over the partner limit below
])
def test_hostile_bodies_are_refused_as_invalid_events_never_other_exceptions(body, code):
    with pytest.raises(InvalidEvent) as caught:
        parse(body, max_bytes=256 * 1024)
    assert str(caught.value) == f"body refused: {code}"


def test_a_body_nested_within_the_bound_but_deeper_than_any_event_is_refused():
    deep = {"x": 1}
    for _ in range(40):
        deep = {"x": deep}
    body = {**new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example()).to_dict(), "data": deep}
    with pytest.raises(InvalidEvent, match="json_too_deep"):
        parse(json.dumps(body).encode())
