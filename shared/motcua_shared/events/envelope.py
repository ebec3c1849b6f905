"""The CloudEvents 1.0 envelope every message on the broker wears (docs/contracts.md §4).

Structured JSON mode: the whole event is the AMQP body with content type
`application/cloudevents+json`, and the AMQP `message_id` equals the event `id`, the key every
consumer deduplicates on.
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from .. import bounded_json, context, tracing
from ..patterns import Pattern
from . import registry

CONTENT_TYPE = "application/cloudevents+json"
SPEC_VERSION = "1.0"
TYPE_PATTERN = r"^vn\.motcua\.[a-z0-9_-]+(\.[a-z0-9_-]+)*\.[a-z_]+$"

# Bounds checked before a body is decoded. An imported history part (500 dossiers with their steps)
# is about 2 MB; RabbitMQ 4 refuses messages above 16 MiB by default. A partner's answer or report is
# a few kilobytes: a partner-writable queue takes 256 KiB at most.
MAX_EVENT_BYTES = 16 * 1024 * 1024
MAX_PARTNER_EVENT_BYTES = 256 * 1024

# CloudEvents extension attributes a partner's tooling may add: names of lower-case letters and digits
# (CloudEvents 1.0 §3.1.3), scalar values. They are accepted and not kept, except the distributed-tracing
# extension's W3C `traceparent` and `tracestate`, which carry the trace on (docs/tracing.md); a handful,
# each short, is all tooling adds.
EXTENSION_NAME = re.compile(r"^[a-z0-9]{1,20}$")
MAX_EXTENSIONS = 8
MAX_EXTENSION_LENGTH = 512


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
    # Optional in CloudEvents 1.0: a partner's SDK may set it; we validate against our own catalogue.
    dataschema = fields.String(validate=validate.Length(min=1, max=500))


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
    # CloudEvents distributed-tracing extension: the span the event was written under (tracing.py).
    traceparent: str | None = None
    tracestate: str | None = None

    @cached_property
    def loaded_data(self) -> dict[str, Any]:
        """`data` loaded by its type's registered schema (datetimes where the wire has strings).

        Loaded at most once per event: parse() keeps the load it validated the event with, so a handler
        does not validate the same data a second time; an event built otherwise (new_event, a test)
        loads it on first use, from the same `data`, and so reads exactly what its consumer will. Not a
        dataclass field: equality, repr and the wire format ignore it, and `dataclasses.replace` (which
        may change `data`) gives an event that loads its own. Shared by every reader: never change it."""
        return registry.load_data(self.type, self.data)

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
        if self.traceparent:
            body["traceparent"] = self.traceparent
            if self.tracestate:
                body["tracestate"] = self.tracestate
        return body

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


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


def _drop_extensions(raw: dict[str, Any]) -> None:
    """Remove the CloudEvents extension attributes from `raw` after checking them; anything else
    unknown stays for the schema to refuse."""
    known = set(_envelope_schema.fields)
    extensions = [name for name in raw if name not in known and EXTENSION_NAME.match(name)]
    if len(extensions) > MAX_EXTENSIONS:
        raise InvalidEvent(f"too many extension attributes ({len(extensions)}, at most {MAX_EXTENSIONS})")
    for name in extensions:
        value = raw.pop(name)
        if not isinstance(value, (str, int)) or len(str(value)) > MAX_EXTENSION_LENGTH:  # bool is an int
            raise InvalidEvent(f"extension attribute {name} is not a short string, integer or boolean")


def parse(body: bytes, *, known_types_only: bool = True, max_bytes: int = MAX_EVENT_BYTES) -> Event:
    """Decode and validate an AMQP body; raise InvalidEvent with a reason that is safe to log.

    The body is bounded before it is decoded (size, depth, number length, characters): whatever a
    publisher wrote ends as an InvalidEvent, never as another exception that would kill a worker."""
    try:
        raw = bounded_json.loads(body, max_bytes=max_bytes)
    except bounded_json.RefusedJson as exc:
        raise InvalidEvent(f"body refused: {exc.code}") from None
    if not isinstance(raw, dict):
        raise InvalidEvent("body is not a JSON object")
    # Read before the extensions are checked and dropped. A malformed traceparent is ignored, as W3C Trace
    # Context says (the consumer starts a new trace), and so is a tracestate without a valid traceparent.
    traceparent = tracing.valid_traceparent(raw.get("traceparent"))
    tracestate = raw.get("tracestate") if traceparent and isinstance(raw.get("tracestate"), str) else None
    _drop_extensions(raw)
    try:
        envelope = _envelope_schema.load(raw)
    except ValidationError as exc:
        raise InvalidEvent(f"envelope invalid: fields {sorted(exc.messages)}", exc.messages) from None
    event_type = envelope["type"]
    loaded = None
    if known_types_only or registry.is_known(event_type):
        try:
            loaded = registry.load_data(event_type, envelope["data"])
        except registry.UnknownEventType:
            raise InvalidEvent(f"unknown event type {event_type}") from None
        except ValidationError as exc:
            raise InvalidEvent(f"data of {event_type} invalid: fields {sorted(exc.messages)}", exc.messages) from None
    event = Event(type=event_type, source=envelope["source"], data=raw["data"], subject=envelope.get("subject"),
                  correlationid=envelope["correlationid"], causationid=envelope.get("causationid"),
                  id=str(envelope["id"]), time=raw["time"], traceparent=traceparent,
                  tracestate=tracestate)
    if loaded is not None:
        # The validation's own result becomes the event's loaded_data: each event is loaded once per hop.
        event.__dict__["loaded_data"] = loaded
    return event
