"""The AsyncAPI document and JSON Schemas a province or postal partner reads are generated from the
same marshmallow schemas that validate events, are committed, and agree with the code."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from motcua_shared.events import new_event, registry
from motcua_shared.events.documents import render

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "events"
RENDERED = render()


def test_committed_documents_match_the_code():
    committed = {str(p.relative_to(DOCS)): p.read_text(encoding="utf-8") for p in DOCS.rglob("*.json")}
    assert committed.keys() == RENDERED.keys(), "run `make docs` and commit docs/events"
    for path, content in RENDERED.items():
        assert committed[path] == content, f"{path} is stale: run `make docs`"


def validator(event_type: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(RENDERED[f"schemas/{event_type}.json"])
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("event_type", [e.type for e in registry.all_types()])
def test_the_documented_example_of_every_event_validates(event_type):
    entry = registry.get(event_type)
    event = new_event(event_type, source=f"/motcua/{entry.producer}", data=copy.deepcopy(entry.example),
                      subject=entry.example.get("code") or entry.example.get("dossier_code"))
    validator(event_type).validate(json.loads(event.to_json()))


@pytest.mark.parametrize("event_type", [e.type for e in registry.all_types()])
def test_the_schemas_refuse_what_the_code_refuses(event_type):
    entry = registry.get(event_type)
    event = json.loads(new_event(event_type, source="/motcua/x", data=copy.deepcopy(entry.example)).to_json())
    unknown = copy.deepcopy(event)
    unknown["data"]["unexpected_field"] = 1
    assert not validator(event_type).is_valid(unknown)
    required = entry.schema().fields
    first_required = next(name for name, f in required.items() if f.required)
    missing = copy.deepcopy(event)
    del missing["data"][first_required]
    assert not validator(event_type).is_valid(missing)


def test_a_step_answer_needs_a_note_unless_approved():
    example = copy.deepcopy(registry.get("vn.motcua.routing.step.completed").example)
    event = json.loads(new_event("vn.motcua.routing.step.completed", source="/p", data=example).to_json())
    event["data"].update(outcome="rejected", note=None)
    assert not validator("vn.motcua.routing.step.completed").is_valid(event)


def test_asyncapi_places_the_pinned_contracts_on_their_exchanges():
    doc = json.loads(RENDERED["asyncapi.json"])
    keys = {channel: spec.get("x-routing-keys", {}) for channel, spec in doc["channels"].items()}
    assert "vn.motcua.routing.step.assigned" in keys["routing.steps"]
    assert "vn.motcua.routing.step.completed" in keys["routing.step-results"]
    assert set(keys["postal.pickups"]) == {"vn.motcua.postal.pickup.requested", "vn.motcua.postal.pickup.cancelled"}
    assert keys["postal.partner"] == {"vn.motcua.postal.status.reported": "status"}
    documented = {t for channel in keys.values() for t in channel}
    assert documented == {e.type for e in registry.all_types()}
