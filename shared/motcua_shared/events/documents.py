"""The AsyncAPI 3.0 documents (motcua's, and each partner's side of it) and one JSON Schema per event
type, generated from the event registry.

The marshmallow schemas that validate events at both ends are the single source; the documents a
province or a postal partner reads are derived from them and committed under docs/events/, and a
test fails when the committed files drift from the code.

    python -m motcua_shared.events.documents docs/events
"""
from __future__ import annotations

import copy
import json
import re
import sys
import uuid
import warnings
from datetime import datetime
from pathlib import Path
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from ..broker.catalogue import (POSTAL_PARTNER, POSTAL_PICKUPS, ROUTING_STEP_RESULTS, ROUTING_STEPS, SUBSCRIPTIONS,
                                events_exchange)
from ..broker.definitions import VHOST
from . import registry
from .catalogue import route, shipment
from .envelope import CONTENT_TYPE, TYPE_PATTERN

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://motcua.gov.vn/schemas/events/"
EXAMPLE_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

# Where each pinned event travels (docs/contracts.md §4.1, §4.2), and whether motcua sends or receives it
# there; every other event goes on its producer's `<service>.events` topic exchange with the event type
# as routing key, sent by motcua. The address is the routing key, `{name}` marking a channel parameter.
PINNED_CHANNELS = {
    route.STEP_ASSIGNED: (ROUTING_STEPS, "topic", "step.{unitPath}", "send"),
    route.STEP_CANCELLED: (ROUTING_STEPS, "topic", "step.{unitPath}", "send"),
    route.STEP_COMPLETED: (ROUTING_STEP_RESULTS, "topic", "{replyTo}", "receive"),
    shipment.PICKUP_REQUESTED: (POSTAL_PICKUPS, "direct", "pickup", "send"),
    shipment.PICKUP_CANCELLED: (POSTAL_PICKUPS, "direct", "pickup", "send"),
    shipment.STATUS_REPORTED: (POSTAL_PARTNER, "direct", "status", "receive"),
}
CHANNEL_DESCRIPTIONS = {
    ROUTING_STEPS: "Topic exchange on which routing publishes the steps of each dossier; a province declares its "
                   "own queue (named `province-routing.*`), binds it to the unit paths it handles (e.g. `step.14` "
                   "for the province's own agencies) and answers each `routing.step.assigned` on "
                   "routing.step-results. `routing.step.cancelled` travels with the steps, same routing key.",
    ROUTING_STEP_RESULTS: "Topic exchange on which the handler of a step publishes its answer, with the step's "
                          "`reply_to` as routing key. Routing consumes it (its own local handler answers here too).",
    POSTAL_PICKUPS: "Direct exchange on which postal publishes pickup requests and cancellations, routing key "
                    "`pickup`; the postal partner consumes the quorum queue `postal.pickups` bound to it (it reads "
                    "that queue and declares nothing).",
    POSTAL_PARTNER: "Direct exchange on which the postal partner publishes its progress reports, routing key "
                    "`status`; postal consumes them.",
}
CHANNEL_PARAMETERS = {
    "unitPath": {"description": "The path of the step's unit from the province down (`data.unit_path`): 14, "
                                "14.126 or 14.126.04222.", "examples": ["14", "14.126", "14.126.04222"]},
    "replyTo": {"description": "The `reply_to` of the step answered, as given in its `routing.step.assigned`.",
                "examples": ["result.14.126"]},
}
# What a partner reaches: the district's AMQPS port with a client certificate from the province's CA,
# then its broker user and password, on the deployment's vhost (docs/tls.md); and a developer's broker.
SERVERS = {
    "production": {
        "host": "{host}:5671", "pathname": f"/{VHOST}", "protocol": "amqps", "protocolVersion": "0-9-1",
        "title": "The district's broker",
        "description": "AMQP 0-9-1 over TLS on port 5671, vhost `motcua`. The TLS handshake needs a client "
                       "certificate signed by the CA the district's broker trusts (docs/tls.md); then the partner "
                       "signs in with its broker user and password (postal_partner or province_routing).",
        "variables": {"host": {"default": "127.0.0.1", "description": "The district broker's DNS name."}},
        "security": [{"$ref": "#/components/securitySchemes/brokerUser"}],
    },
    "development": {
        "host": "127.0.0.1:5672", "pathname": "/%2F", "protocol": "amqp", "protocolVersion": "0-9-1",
        "title": "The broker of `make run`",
        "description": "A developer's RabbitMQ: plain AMQP on 5672, vhost `/`, no certificate; the same exchanges "
                       "and queues as production.",
        "security": [{"$ref": "#/components/securitySchemes/brokerUser"}],
    },
}
BROKER_USER = {"type": "userPassword", "description": "The partner's broker user and password: postal_partner or "
               "province_routing. On the production server only over a TLS connection that presented a client "
               "certificate signed by the CA the broker trusts (ssl_options.cacertfile): AsyncAPI 3 cannot require "
               "two schemes at once, so the certificate is stated here."}
OPERATION_NOTES = {
    route.STEP_ASSIGNED: "Routing publishes each step of a dossier for the agency of one unit; a province's routing "
                         "service consumes the steps of the unit paths it handles (its own queue, e.g. bound with "
                         "step.14) and answers each step once, on routing.step-results with the step's reply_to as "
                         "routing key.",
    route.STEP_CANCELLED: "Routing calls a step off when its dossier is withdrawn; the handler of that unit stops "
                          "work on it and does not answer it.",
    route.STEP_COMPLETED: "The handler of a step (a province, or routing's own handler for local steps) publishes "
                          "its answer persistent (delivery_mode 2) with publisher confirms; routing consumes it.",
    shipment.PICKUP_REQUESTED: "Postal publishes; the postal partner consumes it from the quorum queue postal.pickups "
                               "and acknowledges it once stored.",
    shipment.PICKUP_CANCELLED: "Postal publishes; the postal partner consumes it from the quorum queue postal.pickups "
                               "and calls the pickup off if it can.",
    shipment.STATUS_REPORTED: "The postal partner publishes each progress report persistent (delivery_mode 2) with "
                              "publisher confirms and mandatory; postal consumes it.",
}
# The partners' own documents (<key>.asyncapi.json): who, its broker user, the event types on its channels.
PARTNER_VIEWS = {
    "province-routing": ("a province's routing service", "province_routing",
                         (route.STEP_ASSIGNED, route.STEP_CANCELLED, route.STEP_COMPLETED)),
    "postal-partner": ("the postal partner", "postal_partner",
                       (shipment.PICKUP_REQUESTED, shipment.PICKUP_CANCELLED, shipment.STATUS_REPORTED)),
}
# Who sends is on the operation; how: persistent, confirmed, routed or returned (publisher side), and
# acknowledged after the consumer's commit (consumer side).
SEND_BINDING = {"amqp": {"deliveryMode": 2, "mandatory": True, "bindingVersion": "0.3.0"}}
RECEIVE_BINDING = {"amqp": {"ack": True, "bindingVersion": "0.3.0"}}
# Fixed ids in the examples, so that `make docs` writes the same document every time.
EXAMPLE_NAMESPACE = uuid.UUID("6f0c1d2e-3b4a-5c6d-8e7f-90a1b2c3d4e5")
EXAMPLE_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _converter():
    spec = APISpec("motcua events", "1.0.0", "3.0.3", plugins=[MarshmallowPlugin()])
    return spec


def _to_json_schema(node: Any, components: dict[str, Any]) -> Any:
    """OpenAPI 3.0 schema objects → JSON Schema 2020-12: inline $refs, `nullable` → type unions."""
    if isinstance(node, list):
        return [_to_json_schema(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _to_json_schema(components[node["$ref"].rsplit("/", 1)[-1]], components)
    out = {key: _to_json_schema(value, components) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else [*out["type"], "null"]
        if "enum" in out and None not in out["enum"]:  # apispec already lists null for a nullable choice
            out["enum"] = [*out["enum"], None]
    if out.get("type") == "object":
        # apispec states a Length on a Dict as minLength/maxLength, which JSON Schema applies to strings only.
        for length, count in (("minLength", "minProperties"), ("maxLength", "maxProperties")):
            if length in out:
                out[count] = out.pop(length)
    if out.get("type") == "object" and "properties" in out:
        out.setdefault("additionalProperties", False)  # the schemas are strict: unknown fields are refused
    return out


def data_schemas() -> dict[str, dict[str, Any]]:
    spec = _converter()
    with warnings.catch_warnings():
        # Two event types may share one schema class (message.delivered / .failed); each gets its own entry.
        warnings.filterwarnings("ignore", message=".*has already been added to the spec.*")
        for entry in registry.all_types():
            spec.components.schema(entry.type, schema=entry.schema)
    components = copy.deepcopy(spec.to_dict()["components"]["schemas"])
    schemas = {}
    for entry in registry.all_types():
        schema = _to_json_schema(components[entry.type], components)
        # Cross-field rules marshmallow checks in @validates_schema, stated for outside readers.
        schema.update(getattr(entry.schema, "JSON_SCHEMA_EXTRA", {}))
        schemas[entry.type] = schema
    return schemas


def event_schema(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    entry = registry.get(event_type)
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"{SCHEMA_BASE}{event_type}.json",
        "title": event_type,
        "description": entry.summary,
        "type": "object",
        "additionalProperties": False,
        "required": ["specversion", "id", "source", "type", "time", "datacontenttype", "data", "correlationid"],
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid", "description": "Deduplication key; equals AMQP message_id."},
            "source": {"type": "string", "minLength": 1, "maxLength": 200, "examples": [f"/motcua/{entry.producer}"]},
            "type": {"const": event_type},
            "time": {"type": "string", "format": "date-time", "pattern": r"(Z|[+-]\d{2}:\d{2})$"},
            "subject": {"type": ["string", "null"], "maxLength": 120,
                        "description": "The dossier code where there is one."},
            "datacontenttype": {"const": "application/json"},
            "data": data,
            "correlationid": {"type": "string", "minLength": 1, "maxLength": 100},
            "causationid": {"type": ["string", "null"], "maxLength": 100},
            "dataschema": {"type": "string", "minLength": 1, "maxLength": 500,
                           "description": "Optional (CloudEvents 1.0), e.g. this schema's $id; accepted, not used."},
            # CloudEvents distributed-tracing extension (docs/tracing.md): a malformed traceparent is ignored.
            "traceparent": {"type": "string", "maxLength": 512, "examples": [EXAMPLE_TRACEPARENT],
                            "description": "W3C Trace Context of the span the event was written under; whoever "
                                           "acts on the event and answers copies it into the answer."},
            "tracestate": {"type": "string", "maxLength": 512, "description": "W3C tracestate, with traceparent."},
        },
    }


def _channel_of(entry: registry.EventType) -> tuple[str, str, str, str]:
    """(exchange, exchange type, address = routing key, what motcua does there: send or receive)."""
    if entry.type in PINNED_CHANNELS:
        return PINNED_CHANNELS[entry.type]
    return events_exchange(entry.producer), "topic", "{eventType}", "send"


def _name(event_type: str) -> str:
    return event_type.removeprefix("vn.motcua.")


def example_event(entry: registry.EventType) -> dict[str, Any]:
    """The documented example as a whole event on the wire: envelope and data, as `new_event` writes it."""
    data = registry.dump_data(entry.type, copy.deepcopy(entry.example))
    # The event's time: the latest moment its data mentions (its examples are one dossier's story).
    moments = [value for value in data.values() if isinstance(value, str) and EXAMPLE_MOMENT.match(value)]
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid5(EXAMPLE_NAMESPACE, entry.type)),
        "source": f"/motcua/{entry.producer}",
        "type": entry.type,
        "time": max(moments, key=lambda m: datetime.fromisoformat(m)) if moments else "2019-03-15T08:30:00+07:00",
        "subject": entry.example.get("code") or entry.example.get("dossier_code"),
        "datacontenttype": "application/json",
        "data": data,
        "correlationid": str(uuid.uuid5(EXAMPLE_NAMESPACE, "correlation")),
        "traceparent": EXAMPLE_TRACEPARENT,
    }


def _message(entry: registry.EventType) -> dict[str, Any]:
    return {
        "name": entry.type, "title": entry.type, "summary": entry.summary, "contentType": CONTENT_TYPE,
        "payload": {"$ref": f"schemas/{entry.type}.json"},
        "correlationId": {"location": "$message.payload#/correlationid",
                          "description": "The correlation id of the HTTP request or event the work started from; "
                                         "an answer carries the id of what it answers."},
        "examples": [{"name": "example", "summary": entry.summary, "payload": example_event(entry)}],
        "bindings": {"amqp": {"contentEncoding": "utf-8", "messageType": entry.type, "bindingVersion": "0.3.0"}},
    }


def _channel(exchange: str, kind: str, address: str, as_queue: bool) -> dict[str, Any]:
    parameters = {name: copy.deepcopy(CHANNEL_PARAMETERS.get(name, {})) for name in re.findall(r"{(\w+)}", address)}
    if as_queue:
        # The AMQP binding describes a channel as an exchange or as a queue, not both: the side that reads
        # postal.pickups sees the queue, the side that writes it the exchange (with the queue named beside it).
        binding = {"is": "queue", "bindingVersion": "0.3.0", "queue": {
            "name": POSTAL_PICKUPS, "durable": True, "exclusive": False, "autoDelete": False, "vhost": VHOST}}
        address = POSTAL_PICKUPS
    else:
        binding = {"is": "routingKey", "bindingVersion": "0.3.0", "exchange": {
            "name": exchange, "type": kind, "durable": True, "autoDelete": False, "vhost": VHOST}}
    channel: dict[str, Any] = {
        "address": address,
        "title": exchange,
        "description": CHANNEL_DESCRIPTIONS.get(exchange, f"Topic exchange of the {exchange.split('.')[0]} service's "
                                                          "domain events; routing key = event type."),
        "messages": {},
        **({"parameters": parameters} if parameters else {}),
        "bindings": {"amqp": binding},
    }
    if exchange == POSTAL_PICKUPS and not as_queue:
        channel["x-amqp-queue"] = {"name": POSTAL_PICKUPS, "type": "quorum", "durable": True, "exclusive": False,
                                   "autoDelete": False, "vhost": VHOST, "bindingKey": "pickup"}
    return channel


def _operation(entry: registry.EventType, exchange: str, action: str, actor: str) -> dict[str, Any]:
    name = _name(entry.type)
    note = OPERATION_NOTES.get(entry.type, f"Published by the {entry.producer} service for motcua's other services; "
                                           "nobody outside answers it.")
    operation: dict[str, Any] = {
        "action": action,
        "channel": {"$ref": f"#/channels/{exchange}"},
        "title": f"{action} {entry.type}",
        "summary": entry.summary,
        "description": f"{'Sent' if action == 'send' else 'Received'} by {actor}. {note}",
        "messages": [{"$ref": f"#/channels/{exchange}/messages/{name}"}],
        "bindings": copy.deepcopy(SEND_BINDING if action == "send" else RECEIVE_BINDING),
    }
    if entry.type == route.STEP_ASSIGNED:
        # Request and reply: motcua sends the step and receives the answer; a province receives the step
        # and sends the answer, to the routing key the step names.
        operation["reply"] = {
            "channel": {"$ref": f"#/channels/{ROUTING_STEP_RESULTS}"},
            "address": {"location": "$message.payload#/data/reply_to",
                        "description": "The answer's routing key on routing.step-results is the step's reply_to."},
            "messages": [{"$ref": f"#/channels/{ROUTING_STEP_RESULTS}/messages/{_name(route.STEP_COMPLETED)}"}]}
    return operation


def asyncapi(schemas: dict[str, dict[str, Any]], view: str | None = None) -> dict[str, Any]:
    """AsyncAPI 3.0 describes one application: `send` is what it publishes, `receive` what it consumes.
    Without `view` the application is motcua, with every event; with a key of PARTNER_VIEWS it is that
    partner, with only its channels and every action turned round, which is what a partner's code
    generator needs (it builds the application the document describes)."""
    actor, user, wanted = PARTNER_VIEWS[view] if view else ("motcua", None, None)
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for entry in registry.all_types():
        if wanted is not None and entry.type not in wanted:
            continue
        exchange, kind, address, action = _channel_of(entry)
        if view:
            action = "receive" if action == "send" else "send"
        name = _name(entry.type)
        messages[name] = _message(entry)
        channel = channels.setdefault(exchange, _channel(exchange, kind, address,
                                                         as_queue=view is not None and exchange == POSTAL_PICKUPS))
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
        channel.setdefault("x-routing-keys", {})[entry.type] = entry.type if address == "{eventType}" else address
        operations[f"{action}_{name.replace('.', '_')}"] = _operation(entry, exchange, action, actor)
    for channel in channels.values():
        if "eventType" in channel.get("parameters", {}):
            channel["parameters"]["eventType"] = {"description": "The event type (CloudEvents `type`).",
                                                  "enum": sorted(channel["x-routing-keys"])}
    if view:
        whose = (f"This document describes {actor}'s application, the mirror of asyncapi.json "
                 "on its channels: `receive` is what it consumes from motcua, `send` what it publishes to motcua. "
                 f"It signs in to the broker as user `{user}`.")
    else:
        whose = ("This document describes motcua: an operation whose action is `send` is an event motcua "
                 "publishes, `receive` one it consumes. A partner's application does the opposite: a "
                 "province's routing service receives `routing.step.assigned` and "
                 "`routing.step.cancelled` and sends `routing.step.completed`; the postal partner receives "
                 "`postal.pickup.requested` and `postal.pickup.cancelled` and sends `postal.status.reported`. "
                 "Each partner's side is also published as a document of its own: "
                 + ", ".join(f"{key}.asyncapi.json" for key in PARTNER_VIEWS) + ".")
    document: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "id": f"urn:motcua:events:{view}" if view else "urn:motcua:events",
        "info": {
            "title": f"motcua events: {actor}'s side" if view else "motcua events",
            "version": "1.0.0",
            "description": "Every message on the broker is a CloudEvents 1.0 event in structured JSON mode "
                           "(content type application/cloudevents+json, delivery_mode 2, message_id = id). "
                           "Delivery is at-least-once: consumers deduplicate on `id` and tolerate reordering. "
                           "An event may carry the CloudEvents distributed-tracing extension (W3C `traceparent`, "
                           "`tracestate`); a partner answering an event copies them into its answer. "
                           f"Event types match {TYPE_PATTERN}.\n\n{whose} Each message's payload is its JSON "
                           "Schema (2020-12, using only keywords that draft-07 shares) under schemas/.",
            "tags": [{"name": "cloudevents", "description": "CloudEvents 1.0, structured JSON mode."},
                     {"name": "amqp", "description": "RabbitMQ, AMQP 0-9-1."}],
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": SERVERS,
        "channels": dict(sorted(channels.items())),
        "operations": dict(sorted(operations.items())),
        "components": {"messages": dict(sorted(messages.items())),
                       "securitySchemes": {"brokerUser": BROKER_USER}},
    }
    if not view:
        document["x-consumers"] = {service: {sub.queue: [f"{exchange} {key}" for exchange, key in sub.sources]
                                             for sub in subs} for service, subs in SUBSCRIPTIONS.items()}
    return copy.deepcopy(document)


def render() -> dict[str, str]:
    """Relative path → file content, for every generated document."""
    data = data_schemas()
    files = {f"schemas/{event_type}.json": event_schema(event_type, schema) for event_type, schema in data.items()}
    files["asyncapi.json"] = asyncapi(data)
    for view in PARTNER_VIEWS:
        files[f"{view}.asyncapi.json"] = asyncapi(data, view)
    return {path: json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n" for path, doc in files.items()}


def write(directory: Path) -> None:
    (directory / "schemas").mkdir(parents=True, exist_ok=True)
    for stale in [*directory.glob("*.json"), *(directory / "schemas").glob("*.json")]:
        stale.unlink()
    for path, content in render().items():
        (directory / path).write_text(content, encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/events"))
