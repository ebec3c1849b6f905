"""The AsyncAPI document and one JSON Schema per event type, generated from the event registry.

The marshmallow schemas that validate events at both ends are the single source; the documents a
province or a postal partner reads are derived from them and committed under docs/events/, and a
test fails when the committed files drift from the code.

    python -m motcua_shared.events.documents docs/events
"""
from __future__ import annotations

import copy
import json
import sys
import warnings
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

# Where each pinned event travels (contracts.md §4.1, §4.2); every other event goes on its
# producer's `<service>.events` topic exchange with the event type as routing key.
PINNED_CHANNELS = {
    route.STEP_ASSIGNED: (ROUTING_STEPS, "topic", "step.<unit path>", "Published by routing; a province consumes "
                          "the steps of its units (routing key step.14, step.14.126, step.14.126.04222)."),
    route.STEP_CANCELLED: (ROUTING_STEPS, "topic", "step.<unit path>", "Published by routing when a step it "
                           "assigned is called off (dossier withdrawn); the handler of that unit drops it."),
    route.STEP_COMPLETED: (ROUTING_STEP_RESULTS, "topic", "<reply_to of the step>",
                           "Published by the handler of a step (routing itself or a province) with the step's reply_to."),
    shipment.PICKUP_REQUESTED: (POSTAL_PICKUPS, "direct", "pickup", "Postal publishes; the partner consumes the "
                                "quorum queue postal.pickups."),
    shipment.PICKUP_CANCELLED: (POSTAL_PICKUPS, "direct", "pickup", "Postal publishes; same queue as the pickups."),
    shipment.STATUS_REPORTED: (POSTAL_PARTNER, "direct", "status", "The postal partner publishes its progress reports."),
}


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
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
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
            "source": {"type": "string", "minLength": 1, "examples": [f"/motcua/{entry.producer}"]},
            "type": {"const": event_type},
            "time": {"type": "string", "format": "date-time", "pattern": r"(Z|[+-]\d{2}:\d{2})$"},
            "subject": {"type": ["string", "null"], "description": "The dossier code where there is one."},
            "datacontenttype": {"const": "application/json"},
            "data": data,
            "correlationid": {"type": "string", "minLength": 1},
            "causationid": {"type": ["string", "null"]},
            # CloudEvents distributed-tracing extension (docs/tracing.md): a malformed traceparent is ignored.
            "traceparent": {"type": "string", "maxLength": 512, "examples": [EXAMPLE_TRACEPARENT],
                            "description": "W3C Trace Context of the span the event was written under; whoever "
                                           "acts on the event and answers copies it into the answer."},
            "tracestate": {"type": "string", "maxLength": 512, "description": "W3C tracestate, with traceparent."},
        },
    }


def _channel_of(entry: registry.EventType) -> tuple[str, str, str, str]:
    if entry.type in PINNED_CHANNELS:
        return PINNED_CHANNELS[entry.type]
    return (events_exchange(entry.producer), "topic", entry.type,
            f"Domain events of the {entry.producer} service; routing key = event type.")


def asyncapi(schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for entry in registry.all_types():
        exchange, kind, key, description = _channel_of(entry)
        name = entry.type.removeprefix("vn.motcua.")
        messages[name] = {
            "name": entry.type, "title": entry.type, "summary": entry.summary, "contentType": CONTENT_TYPE,
            "payload": {"$ref": f"schemas/{entry.type}.json"},
            "examples": [{"name": "example", "payload": {"specversion": "1.0", "type": entry.type,
                                                        "source": f"/motcua/{entry.producer}", "data": entry.example}}],
            "bindings": {"amqp": {"contentEncoding": "utf-8", "messageType": entry.type, "bindingVersion": "0.3.0"}},
        }
        channel = channels.setdefault(exchange, {
            "description": description,
            "bindings": {"amqp": {"is": "routingKey", "bindingVersion": "0.3.0",
                                  "exchange": {"name": exchange, "type": kind, "durable": True, "vhost": VHOST}}},
            "subscribe": {"operationId": f"receive_{exchange.replace('.', '_').replace('-', '_')}",
                          "message": {"oneOf": []}},
        })
        channel["subscribe"]["message"]["oneOf"].append({"$ref": f"#/components/messages/{name}"})
        channel.setdefault("x-routing-keys", {})[entry.type] = key
    channels[POSTAL_PICKUPS]["bindings"]["amqp"]["queue"] = {"name": POSTAL_PICKUPS, "durable": True,
                                                              "exclusive": False, "autoDelete": False, "vhost": VHOST}
    return {
        "asyncapi": "2.6.0",
        "info": {
            "title": "motcua events",
            "version": "1.0.0",
            "description": "Every message on the broker is a CloudEvents 1.0 event in structured JSON mode "
                           "(content type application/cloudevents+json, delivery_mode 2, message_id = id). "
                           "Delivery is at-least-once: consumers deduplicate on `id` and tolerate reordering. "
                           "An event may carry the CloudEvents distributed-tracing extension (W3C `traceparent`, "
                           "`tracestate`); a partner answering an event copies them into its answer. "
                           f"Event types match {TYPE_PATTERN}.",
        },
        "defaultContentType": CONTENT_TYPE,
        # What a partner reaches: the district's AMQPS port with a client certificate from the province's
        # CA, then its broker user and password, on the deployment's vhost (docs/tls.md).
        "servers": {"broker": {"url": "amqps://{host}:5671/{vhost}", "protocol": "amqps", "protocolVersion": "0-9-1",
                               "variables": {"host": {"default": "127.0.0.1"}, "vhost": {"default": VHOST}},
                               "security": [{"partnerCertificate": [], "brokerUser": []}]}},
        "channels": dict(sorted(channels.items())),
        "components": {"messages": dict(sorted(messages.items())),
                       "securitySchemes": {
                           "partnerCertificate": {"type": "X509", "description": "TLS client certificate signed by "
                                                  "the CA the district's broker trusts (ssl_options.cacertfile)."},
                           "brokerUser": {"type": "userPassword", "description": "The partner's broker user: "
                                          "postal_partner or province_routing."}}},
        "x-consumers": {service: {sub.queue: [f"{exchange} {key}" for exchange, key in sub.sources] for sub in subs}
                        for service, subs in SUBSCRIPTIONS.items()},
    }


def render() -> dict[str, str]:
    """Relative path → file content, for every generated document."""
    data = data_schemas()
    files = {f"schemas/{event_type}.json": event_schema(event_type, schema) for event_type, schema in data.items()}
    files["asyncapi.json"] = asyncapi(data)
    return {path: json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=False) + "\n" for path, doc in files.items()}


def write(directory: Path) -> None:
    (directory / "schemas").mkdir(parents=True, exist_ok=True)
    for stale in (directory / "schemas").glob("*.json"):
        stale.unlink()
    for path, content in render().items():
        (directory / path).write_text(content, encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/events"))
