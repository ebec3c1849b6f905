"""The CloudEvents 1.0 envelope every message on the broker wears (contracts.md §4).

Structured JSON mode: the whole event is the AMQP body with content type
`application/cloudevents+json`, and the AMQP `message_id` equals the event `id`, the key every
consumer deduplicates on.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from .. import context
from ..patterns import Pattern
from . import registry

CONTENT_TYPE = "application/cloudevents+json"
SPEC_VERSION = "1.0"
TYPE_PATTERN = r"^vn\.motcua\.[a-z0-9_-]+(\.[a-z0-9_-]+)*\.[a-z_]+$"


class InvalidEvent(ValueError):
    """A message that is not a well-formed motcua CloudEvent; it can never succeed, so it is dead-lettered."""

    def __init__(self, reason: str, errors: Any = None):
        super().__init__(reason)
        self.errors = errors


class EnvelopeSchema(Schema):
    class Meta:
        unknown = RAISE

    specversion = fields.String(required=True, validate=validate.Equal(SPEC_VERSION))
    id = fields.UUID(required=True)
    source = fields.String(required=True, validate=validate.Length(min=1, max=200))
    type = fields.String(required=True, validate=Pattern(TYPE_PATTERN))
    time = fields.AwareDateTime(required=True, format="iso")
    subject = fields.String(allow_none=True, validate=validate.Length(max=120))
    datacontenttype = fields.String(required=True, validate=validate.Equal("application/json"))
    data = fields.Dict(required=True)
    correlationid = fields.String(required=True, validate=validate.Length(min=1, max=100))
    causationid = fields.String(allow_none=True, validate=validate.Length(max=100))


_envelope_schema = EnvelopeSchema()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def isoformat(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("event times must carry an offset")
    return moment.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Event:
    type: str
    source: str
    data: dict[str, Any]
    subject: str | None = None
    correlationid: str = field(default_factory=lambda: str(uuid.uuid4()))
    causationid: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: str = field(default_factory=lambda: isoformat(utcnow()))

    def to_dict(self) -> dict[str, Any]:
        body = {
            "specversion": SPEC_VERSION,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "time": self.time,
            "subject": self.subject,
            "datacontenttype": "application/json",
            "data": self.data,
            "correlationid": self.correlationid,
        }
        if self.causationid:
            body["causationid"] = self.causationid
        return body

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def caused(self, type: str, *, source: str, data: dict[str, Any], subject: str | None = None) -> "Event":
        """A new event caused by this one: same correlation id, causation id = this event's id."""
        return new_event(type, source=source, data=data, subject=subject if subject is not None else self.subject,
                         correlation_id=self.correlationid, causation_id=self.id)

    def with_data(self, data: dict[str, Any]) -> "Event":
        return replace(self, data=data)


def new_event(type: str, *, source: str, data: dict[str, Any], subject: str | None = None,
              correlation_id: str | None = None, causation_id: str | None = None,
              time: datetime | None = None) -> Event:
    """Build an event whose `data` has been validated (and normalised) by its registered schema.

    Without explicit ids it inherits those of the work in hand (the HTTP request or consumed event).
    """
    checked = registry.dump_data(type, data)
    return Event(type=type, source=source, data=checked, subject=subject,
                 correlationid=correlation_id or context.correlation_id() or context.new_correlation_id(),
                 causationid=causation_id or context.causing_event_id(),
                 time=isoformat(time or utcnow()))


def parse(body: bytes, *, known_types_only: bool = True) -> Event:
    """Decode and validate an AMQP body; raise InvalidEvent with a reason that is safe to log."""
    try:
        raw = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidEvent(f"body is not UTF-8 JSON: {type(exc).__name__}") from None
    if not isinstance(raw, dict):
        raise InvalidEvent("body is not a JSON object")
    try:
        envelope = _envelope_schema.load(raw)
    except ValidationError as exc:
        raise InvalidEvent(f"envelope invalid: fields {sorted(exc.messages)}", exc.messages) from None
    event_type = envelope["type"]
    if known_types_only or registry.is_known(event_type):
        try:
            registry.load_data(event_type, envelope["data"])
        except registry.UnknownEventType:
            raise InvalidEvent(f"unknown event type {event_type}") from None
        except ValidationError as exc:
            raise InvalidEvent(f"data of {event_type} invalid: fields {sorted(exc.messages)}", exc.messages) from None
    return Event(type=event_type, source=envelope["source"], data=raw["data"], subject=envelope.get("subject"),
                 correlationid=envelope["correlationid"], causationid=envelope.get("causationid"),
                 id=str(envelope["id"]), time=raw["time"])
