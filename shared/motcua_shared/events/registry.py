"""Event type → marshmallow schema of its `data`, with one documented example per type.

Producers validate `data` before it reaches the outbox; consumers validate it again on arrival, so a
producer bug is caught at the source and a foreign message (a partner's) is caught at the border.
The AsyncAPI document and the JSON Schemas are generated from this registry.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import Schema


class UnknownEventType(KeyError):
    pass


@dataclass(frozen=True)
class EventType:
    type: str
    schema: type[Schema]
    summary: str
    example: dict[str, Any]
    producer: str


_types: dict[str, EventType] = {}


def register(type: str, schema: type[Schema], *, summary: str, example: dict[str, Any], producer: str) -> EventType:
    if type in _types and _types[type].schema is not schema:
        raise ValueError(f"event type {type} registered twice with different schemas")
    entry = EventType(type, schema, summary, example, producer)
    _types[type] = entry
    return entry


def get(type: str) -> EventType:
    _load_catalogue()
    try:
        return _types[type]
    except KeyError:
        raise UnknownEventType(type) from None


def is_known(type: str) -> bool:
    _load_catalogue()
    return type in _types


def all_types() -> list[EventType]:
    _load_catalogue()
    return [_types[name] for name in sorted(_types)]


def _schema(type: str) -> Schema:
    # One instance per type, reused: building a schema costs more than loading a small event with it
    # (marshmallow schemas keep no state between loads).
    schema = _schemas.get(type)
    if schema is None:
        schema = _schemas[type] = get(type).schema()
    return schema


_schemas: dict[str, Schema] = {}


def load_data(type: str, data: dict[str, Any]) -> dict[str, Any]:
    return _schema(type).load(data)


def dump_data(type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Validate JSON-ready `data` then serialise it, so what is stored is exactly what consumers load.

    Unknown keys raise (the schemas are strict), so a producer cannot leak a field nobody documented.
    """
    schema = _schema(type)
    return schema.dump(schema.load(data))


_loaded = False


def _load_catalogue() -> None:
    # The catalogue modules register themselves on import; importing lazily avoids a cycle with envelope.
    global _loaded
    if not _loaded:
        _loaded = True
        from . import catalogue  # noqa: F401
