"""The CloudEvents envelope: what producers build is what consumers accept, and nothing else."""
import json
import uuid

import pytest

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
    with pytest.raises(Exception):
        new_event(DOSSIER_RECEIVED, source="/motcua/intake", data={**example(), "id_number": "014090001234"})


@pytest.mark.parametrize("mutate,reason", [
    (lambda b: b.pop("id"), "envelope invalid"),
    (lambda b: b.update(specversion="0.3"), "envelope invalid"),
    (lambda b: b.update(type="dossier.received"), "envelope invalid"),
    (lambda b: b.update(time="2019-03-15T08:30:00"), "envelope invalid"),  # no offset
    (lambda b: b.update(extra="x"), "envelope invalid"),
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
