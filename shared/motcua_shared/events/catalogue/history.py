"""A part of a district's records brought in by a bulk import, published by intake.

A bulk import (`make import FILE=...`, or an administrator's upload) brings tens of thousands of past
dossiers at once. Publishing each dossier's life as the usual one-event-per-change would cost every
consumer a transaction per event; instead intake publishes one `history.imported` per part of the
import (a few hundred dossiers), holding for each dossier:

- `events`: the ordinary dossier events intake would have published for it (the same types and
  the same data, each with its own id and `historical: true`), in the order things happened.
  Reporting projects them exactly as it projects live events, so an imported dossier is counted
  like any other;
- `steps`: its processing steps as the old system recorded them, for routing's record of the
  route (the control log, Mẫu 05). A step still open is work the officers must finish: routing
  assigns it live. An unfinished dossier without steps is planned by routing like a new one.

Notification and postal have nothing to do with history: they do not act on this event.
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from .. import registry
from ._base import UNIT_CODE, UNIT_PATH, StrictSchema, moment
from .dossier import (DOSSIER_PROCESSED, DOSSIER_RECEIVED, DOSSIER_RETURNED, DOSSIER_SUPPLEMENT_RECEIVED,
                      DOSSIER_SUPPLEMENT_REQUESTED, DOSSIER_TRANSFERRED, DOSSIER_WITHDRAWN, _CHANGE, _FACTS)
from .route import ACTIONS, LEVELS, OUTCOMES

HISTORY_IMPORTED = "vn.motcua.history.imported"

# The dossier events an imported record can hold.
IMPORTED_EVENT_TYPES = (DOSSIER_RECEIVED, DOSSIER_TRANSFERRED, DOSSIER_SUPPLEMENT_REQUESTED,
                        DOSSIER_SUPPLEMENT_RECEIVED, DOSSIER_PROCESSED, DOSSIER_RETURNED, DOSSIER_WITHDRAWN)
STEP_STATES = ("completed", "assigned", "planned")
MAX_DOSSIERS_PER_PART = 1000


class ImportedEvent(StrictSchema):
    """One ordinary dossier event inside the part; `data` follows that type's own schema."""

    id = fields.UUID(required=True, metadata={"description": "The event's own id (deduplication key)."})
    type = fields.String(required=True, validate=validate.OneOf(IMPORTED_EVENT_TYPES))
    data = fields.Dict(required=True)

    @validates_schema
    def _data_follows_its_type(self, item, **_kwargs):
        if item.get("type") not in IMPORTED_EVENT_TYPES:
            return
        try:
            registry.load_data(item["type"], item["data"])
        except ValidationError as exc:
            raise ValidationError({"data": exc.messages}) from None


class ImportedStep(StrictSchema):
    """A processing step as the old system recorded it."""

    step_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    sequence = fields.Integer(required=True, validate=validate.Range(min=1, max=50))
    unit = fields.String(required=True, validate=UNIT_CODE)
    unit_path = fields.String(required=True, validate=UNIT_PATH)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    agency_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    status = fields.String(required=True, validate=validate.OneOf(STEP_STATES), metadata={
        "description": "completed (answered), assigned (still open: routing gives it to its unit) or planned."})
    assigned_at = moment(load_default=None, allow_none=True)
    due_at = moment(load_default=None, allow_none=True)
    completed_at = moment(load_default=None, allow_none=True)
    outcome = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(OUTCOMES))
    handled_by = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ImportedDossier(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=8, max=60))
    events = fields.List(fields.Nested(ImportedEvent), required=True, validate=validate.Length(min=1, max=200))
    steps = fields.List(fields.Nested(ImportedStep), load_default=list, validate=validate.Length(max=50))

    @validates_schema
    def _starts_with_its_receipt(self, item, **_kwargs):
        events = item.get("events") or []
        if events and events[0]["type"] != DOSSIER_RECEIVED:
            raise ValidationError({"events": ["the first event of an imported dossier is its dossier.received"]})
        for event in events:
            if event.get("data", {}).get("code") != item.get("code") or event["data"].get("historical") is not True:
                raise ValidationError({"events": ["every event is about this dossier and historical"]})


def loaded_events(dossier: dict) -> list[tuple[str, str, dict]]:
    """(id, type, data) of an imported dossier's events, `data` loaded by its type's schema (datetimes),
    as a consumer gets it for a live event of that type."""
    return [(str(event["id"]), event["type"], registry.load_data(event["type"], event["data"]))
            for event in dossier["events"]]


class HistoryImported(StrictSchema):
    """One part of a bulk import: a few hundred past dossiers, each with its events and steps."""

    import_id = fields.String(required=True, validate=validate.Length(min=1, max=64), metadata={
        "description": "The import (one file) this part belongs to."})
    part = fields.Integer(required=True, validate=validate.Range(min=1))
    dossiers = fields.List(fields.Nested(ImportedDossier), required=True,
                           validate=validate.Length(min=1, max=MAX_DOSSIERS_PER_PART))


_RECEIVED = {**_FACTS, "historical": True, "received_at": "2019-03-15T08:30:00+07:00",
             "due_at": "2019-03-20T08:30:00+07:00"}
registry.register(HISTORY_IMPORTED, HistoryImported, producer="intake",
                  summary="A part of a bulk import of past dossiers: their dossier events and recorded steps.",
                  example={"import_id": "7d0c2f8e-3f5b-4c1e-9a57-1f0e6f4f2b11", "part": 1, "dossiers": [{
                      "code": _FACTS["code"],
                      "events": [
                          {"id": "0b6f1f3e-54a2-5d0e-9d2c-3e1f4b1c2a01", "type": DOSSIER_RECEIVED, "data": _RECEIVED},
                          {"id": "0b6f1f3e-54a2-5d0e-9d2c-3e1f4b1c2a02", "type": DOSSIER_PROCESSED,
                           "data": {**_CHANGE, "historical": True, "result": "approved", "note": None,
                                    "due_at": "2019-03-20T08:30:00+07:00"}},
                          {"id": "0b6f1f3e-54a2-5d0e-9d2c-3e1f4b1c2a03", "type": DOSSIER_RETURNED,
                           "data": {**_CHANGE, "historical": True, "occurred_at": "2019-03-19T14:00:00+07:00",
                                    "method": "counter"}}],
                      "steps": [{"step_id": "S-3c9d0f0e7a8b4c6d9e1f2a3b4c5d6e7f", "sequence": 1, "unit": "04222",
                                 "unit_path": "14.126.04222", "level": "commune",
                                 "agency_name": "UBND xã Chiềng Khương", "action": "process", "status": "completed",
                                 "assigned_at": "2019-03-15T09:00:00+07:00", "due_at": "2019-03-20T08:30:00+07:00",
                                 "completed_at": "2019-03-18T09:00:00+07:00", "outcome": "approved",
                                 "handled_by": "Lò Thị Hoa", "note": None}]}]})
