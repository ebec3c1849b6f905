"""The AsyncAPI document and JSON Schemas a province or postal partner reads are generated from the
same marshmallow schemas that validate events, are committed, and agree with the code."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from motcua_shared.events import envelope, new_event, registry
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


def test_asyncapi_says_which_side_sends_and_which_receives():
    """AsyncAPI 3.0 describes one application, motcua: `send` is what it publishes, `receive` what it
    consumes. A partner's generator reads the partner channels from these actions, so they must not be
    backwards (issue 21: the 2.x document described the partners' answers as `subscribe`)."""
    doc = json.loads(RENDERED["asyncapi.json"])
    assert doc["asyncapi"].startswith("3.")
    actions: dict[str, set[tuple[str, str]]] = {}
    for operation in doc["operations"].values():
        channel = operation["channel"]["$ref"].removeprefix("#/channels/")
        for message in operation["messages"]:
            prefix = f"#/channels/{channel}/messages/"
            assert message["$ref"].startswith(prefix), "an operation's messages are its channel's"
            name = message["$ref"].removeprefix(prefix)
            actions.setdefault(f"vn.motcua.{name}", set()).add((operation["action"], channel))
    assert actions["vn.motcua.routing.step.assigned"] == {("send", "routing.steps")}
    assert actions["vn.motcua.routing.step.cancelled"] == {("send", "routing.steps")}
    assert actions["vn.motcua.routing.step.completed"] == {("receive", "routing.step-results")}
    assert actions["vn.motcua.postal.pickup.requested"] == {("send", "postal.pickups")}
    assert actions["vn.motcua.postal.pickup.cancelled"] == {("send", "postal.pickups")}
    assert actions["vn.motcua.postal.status.reported"] == {("receive", "postal.partner")}
    assert actions.keys() == {e.type for e in registry.all_types()}, "every event type has exactly its operation"
    assert all(len(found) == 1 for found in actions.values())
    channels = doc["channels"]
    assert channels["routing.steps"]["address"] == "step.{unitPath}"
    assert channels["postal.pickups"]["address"] == "pickup"
    assert channels["postal.partner"]["address"] == "status"
    assert channels["postal.pickups"]["x-amqp-queue"]["name"] == "postal.pickups"
    # The answer to a step goes where the step says: its reply_to, on routing.step-results.
    reply = doc["operations"]["send_routing_step_assigned"]["reply"]
    assert reply["channel"] == {"$ref": "#/channels/routing.step-results"}
    assert reply["address"]["location"] == "$message.payload#/data/reply_to"
    production = doc["servers"]["production"]
    assert (production["protocol"], production["host"], production["pathname"]) == ("amqps", "{host}:5671", "/motcua")



def _actions(doc: dict) -> dict[str, str]:
    """Event type → the action its one operation takes."""
    return {f"vn.motcua.{m['$ref'].rsplit('/', 1)[-1]}": op["action"]
            for op in doc["operations"].values() for m in op["messages"]}


@pytest.mark.parametrize("view", ["postal-partner", "province-routing"])
def test_each_partner_document_is_motcua_turned_round(view):
    """A code generator builds the application a document describes: each partner's own document has only
    its channels, with every action the opposite of motcua's, and the same messages and schemas."""
    motcua = json.loads(RENDERED["asyncapi.json"])
    partner = json.loads(RENDERED[f"{view}.asyncapi.json"])
    turned = {"send": "receive", "receive": "send"}
    mine = _actions(partner)
    assert len(mine) == 3
    assert mine == {event_type: turned[_actions(motcua)[event_type]] for event_type in mine}
    for name, message in partner["components"]["messages"].items():
        assert message == motcua["components"]["messages"][name]
    sends = {t for t, action in mine.items() if action == "send"}
    assert sends == ({"vn.motcua.postal.status.reported"} if view == "postal-partner"
                     else {"vn.motcua.routing.step.completed"})
    if view == "postal-partner":
        # The partner reads the queue, never the exchange.
        assert partner["channels"]["postal.pickups"]["bindings"]["amqp"]["is"] == "queue"
        assert partner["channels"]["postal.pickups"]["bindings"]["amqp"]["queue"]["name"] == "postal.pickups"
    else:
        assert partner["operations"]["receive_routing_step_assigned"]["reply"]["address"]["location"] == \
            "$message.payload#/data/reply_to"
    assert partner["servers"] == motcua["servers"]

# The published files themselves, as a partner's validator reads them: every JSON Schema against the
# 2020-12 metaschema, every example of the AsyncAPI document against its schema, with formats checked.
COMMITTED_SCHEMAS = sorted((DOCS / "schemas").glob("*.json"))
FORMATS = jsonschema.Draft202012Validator.FORMAT_CHECKER


def test_the_format_checks_are_really_on():
    # jsonschema checks a format only when its optional checker is installed (rfc3339-validator for
    # date-time, rfc3986-validator for uri); without them these checks would pass anything.
    assert {"date", "date-time", "uuid", "uri", "uri-reference", "regex"} <= set(FORMATS.checkers)


@pytest.mark.parametrize("path", COMMITTED_SCHEMAS, ids=lambda p: p.stem)
def test_every_published_schema_passes_the_2020_12_metaschema(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema, format_checker=FORMATS)


def _enums(node):
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            yield node["enum"]
        for value in node.values():
            yield from _enums(value)
    elif isinstance(node, list):
        for item in node:
            yield from _enums(item)


@pytest.mark.parametrize("path", COMMITTED_SCHEMAS, ids=lambda p: p.stem)
def test_no_enum_lists_a_value_twice(path):
    # JSON Schema says enum items SHOULD be unique and the 2020-12 metaschema does not enforce it; the
    # official AsyncAPI parser refuses the document when they are not (a nullable choice once listed null twice).
    for enum in _enums(json.loads(path.read_text(encoding="utf-8"))):
        assert len(enum) == len({json.dumps(item) for item in enum}), enum


def published_example_errors(document: dict) -> dict[str, list[str]]:
    """Message name → why its published example does not validate against its published schema (strict
    2020-12, formats checked) or would be refused by motcua's own consumer; empty when all are good."""
    errors: dict[str, list[str]] = {}
    for name, message in document["components"]["messages"].items():
        schema = json.loads((DOCS / message["payload"]["$ref"]).read_text(encoding="utf-8"))
        checker = jsonschema.Draft202012Validator(schema, format_checker=FORMATS)
        assert message["examples"], f"{name} has no example"
        for example in message["examples"]:
            found = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                     for e in checker.iter_errors(example["payload"])]
            try:
                envelope.parse(json.dumps(example["payload"]).encode("utf-8"))
            except envelope.InvalidEvent as exc:
                found.append(f"motcua refuses it: {exc}")
            if found:
                errors.setdefault(name, []).extend(found)
    return errors


def committed_asyncapi() -> dict:
    return json.loads((DOCS / "asyncapi.json").read_text(encoding="utf-8"))


def test_every_published_example_validates_against_its_schema():
    document = committed_asyncapi()
    assert len(document["components"]["messages"]) == len(registry.all_types())
    assert published_example_errors(document) == {}


@pytest.mark.parametrize("mutation", ["envelope field dropped", "data field dropped", "unknown data field",
                                      "time without offset", "id not a uuid", "type of another schema"])
def test_a_published_example_that_stops_validating_is_caught(mutation):
    document = committed_asyncapi()
    for name, message in document["components"]["messages"].items():
        entry = registry.get(message["name"])
        payload = message["examples"][0]["payload"]
        if mutation == "envelope field dropped":
            del payload["correlationid"]
        elif mutation == "data field dropped":
            del payload["data"][next(n for n, f in entry.schema().fields.items() if f.required)]
        elif mutation == "unknown data field":
            payload["data"]["unexpected_field"] = 1
        elif mutation == "time without offset":
            payload["time"] = "2019-03-15T08:30:00"
        elif mutation == "id not a uuid":
            payload["id"] = "not-a-uuid"
        else:
            payload["type"] = "vn.motcua.dossier.received" if name != "dossier.received" else "vn.motcua.dossier.paid"
    assert published_example_errors(document).keys() == document["components"]["messages"].keys()
