"""Query, request and response bodies of /api/v1/shipments."""
from marshmallow import fields, validate

from motcua_shared.events.catalogue.shipment import DIRECTIONS, PARTNER_STATUSES, SHIPMENT_STATUSES
from motcua_shared.web.fields import StrictSchema, Text

from ... import lifecycle


class ShipmentQuery(StrictSchema):
    status = fields.String(validate=validate.OneOf(SHIPMENT_STATUSES))
    direction = fields.String(validate=validate.OneOf(DIRECTIONS))
    dossier_code = fields.String(validate=validate.Length(min=1, max=60))
    attention = fields.Boolean(metadata={"description": "true: only the shipments the desk must act on."})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class PageQuery(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ManualReport(StrictSchema):
    """A status the partner gave by phone, entered by a desk officer; applied like the partner's reports."""

    status = fields.String(required=True, validate=validate.OneOf(PARTNER_STATUSES))
    occurred_at = fields.AwareDateTime(required=True, metadata={"description": "When it happened, as the partner said."})
    tracking_number = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    note = Text(required=True, validate=validate.Length(min=1, max=1000), metadata={
        "description": "What the partner said, and who said it (e.g. \"Bưu tá Lò Văn A báo qua điện thoại\")."})


class Party(StrictSchema):
    """Null once erased, POSTAL_CONTACT_RETENTION_DAYS after the shipment ended."""

    name = fields.String(required=True, allow_none=True)
    address = fields.String(required=True, allow_none=True)
    phone = fields.String(allow_none=True)


class Attention(StrictSchema):
    reason = fields.String(required=True, validate=validate.OneOf(tuple(lifecycle.ATTENTION_LABELS)))
    label = fields.String(required=True)
    since = fields.AwareDateTime(required=True)


class Shipment(StrictSchema):
    shipment_id = fields.String(required=True)
    dossier_code = fields.String(required=True)
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    direction_label = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(SHIPMENT_STATUSES))
    status_label = fields.String(required=True)
    status_at = fields.AwareDateTime(required=True)
    unit = fields.String(required=True)
    unit_path = fields.String(required=True)
    pickup = fields.Nested(Party, required=True)
    delivery = fields.Nested(Party, required=True)
    cod_amount_vnd = fields.Integer(required=True)
    requested_at = fields.AwareDateTime(required=True)
    deliver_by = fields.AwareDateTime(required=True)
    overdue = fields.Boolean(required=True, metadata={"description": "Still on its way after deliver_by."})
    tracking_number = fields.String(allow_none=True)
    announcements = fields.Integer(required=True, metadata={"description": "Times the pickup was announced."})
    escalated_at = fields.AwareDateTime(allow_none=True)
    attention = fields.Nested(Attention, allow_none=True, metadata={"description": "Why the desk must act, if it must."})
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class HistoryEntry(StrictSchema):
    status = fields.String(required=True, metadata={
        "description": "A status, or `announced` (the pickup announced again) / `escalated` (the desk was told)."})
    label = fields.String(required=True)
    occurred_at = fields.AwareDateTime(required=True, metadata={
        "description": "For picked_up and delivered: the hand-over time (control log)."})
    recorded_at = fields.AwareDateTime(required=True)
    source = fields.String(required=True, validate=validate.OneOf(("partner", "manual", "system")))
    actor = fields.String(allow_none=True)
    tracking_number = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    effective = fields.Boolean(required=True, metadata={
        "description": "false: a report that changed nothing (a duplicate, a late one, one after the end)."})


class ShipmentDetail(Shipment):
    history = fields.List(fields.Nested(HistoryEntry), required=True)


class ShipmentPage(StrictSchema):
    items = fields.List(fields.Nested(Shipment), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)
