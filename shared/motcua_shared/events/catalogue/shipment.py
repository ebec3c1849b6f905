"""Events of shipments carried by the public postal service (Decision 45/2016), owned by postal.

Two are pinned partner contracts (contracts.md §4.2): `postal.pickup.requested` / `.cancelled` on
the `postal.pickups` queue the partner consumes, and `postal.status.reported`, which the partner
publishes to exchange `postal.partner` (routing key `status`). The `shipment.*` events go on
`postal.events` for intake, notification and reporting.
"""
from marshmallow import fields, validate

from .. import registry
from ._base import StrictSchema, moment

PICKUP_REQUESTED = "vn.motcua.postal.pickup.requested"
PICKUP_CANCELLED = "vn.motcua.postal.pickup.cancelled"
STATUS_REPORTED = "vn.motcua.postal.status.reported"
SHIPMENT_CREATED = "vn.motcua.shipment.created"
SHIPMENT_PROGRESSED = "vn.motcua.shipment.progressed"

DIRECTIONS = ("dossier_to_office", "result_to_citizen")
PARTNER_STATUSES = ("accepted", "picked_up", "delivered", "failed", "returned")
CODE = validate.Length(min=8, max=60)


class Party(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(required=True, validate=validate.Length(min=1, max=500))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))


class PickupRequested(StrictSchema):
    shipment_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    dossier_code = fields.String(required=True, validate=CODE)
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    pickup = fields.Nested(Party, required=True)
    delivery = fields.Nested(Party, required=True)
    cod_amount_vnd = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    requested_at = moment(required=True)
    deliver_by = moment(required=True)


class PickupCancelled(StrictSchema):
    shipment_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    dossier_code = fields.String(required=True, validate=CODE)
    cancelled_at = moment(required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class StatusReported(StrictSchema):
    shipment_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    status = fields.String(required=True, validate=validate.OneOf(PARTNER_STATUSES))
    occurred_at = moment(required=True)
    tracking_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class ShipmentCreated(StrictSchema):
    shipment_id = fields.String(required=True)
    dossier_code = fields.String(required=True, validate=CODE)
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    unit = fields.String(required=True, metadata={"description": "The desk's unit code"})
    deliver_by = moment(required=True)
    created_at = moment(required=True)


class ShipmentProgressed(StrictSchema):
    shipment_id = fields.String(required=True)
    dossier_code = fields.String(required=True, validate=CODE)
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    status = fields.String(required=True, validate=validate.OneOf(PARTNER_STATUSES + ("cancelled",)))
    occurred_at = moment(required=True)
    tracking_number = fields.String(load_default=None, allow_none=True)


_SHIP = {"shipment_id": "SH-7d1e2f", "dossier_code": "H52.04222-190315-0001"}
_PARTY_CITIZEN = {"name": "Lò Văn Hùng", "address": "Bản Hưng Mai, xã Chiềng Khương", "phone": "0912345678"}
_PARTY_DESK = {"name": "Bộ phận một cửa UBND xã Chiềng Khương", "address": "UBND xã Chiềng Khương", "phone": None}
for _type, _schema, _summary, _example in (
    (PICKUP_REQUESTED, PickupRequested, "A shipment the postal partner must carry (on queue postal.pickups).",
     {**_SHIP, "direction": "result_to_citizen", "pickup": _PARTY_DESK, "delivery": _PARTY_CITIZEN,
      "cod_amount_vnd": 10000, "requested_at": "2019-03-19T16:05:00+07:00",
      "deliver_by": "2019-03-21T16:05:00+07:00"}),
    (PICKUP_CANCELLED, PickupCancelled, "A shipment called off before pickup (on queue postal.pickups).",
     {**_SHIP, "cancelled_at": "2019-03-19T17:00:00+07:00", "reason": "Công dân rút hồ sơ."}),
    (STATUS_REPORTED, StatusReported, "The partner's progress report (exchange postal.partner, key status).",
     {"shipment_id": "SH-7d1e2f", "status": "delivered", "occurred_at": "2019-03-20T10:00:00+07:00",
      "tracking_number": "EB123456789VN", "note": None}),
    (SHIPMENT_CREATED, ShipmentCreated, "A shipment was created for a dossier or its result.",
     {**_SHIP, "direction": "result_to_citizen", "unit": "04222", "deliver_by": "2019-03-21T16:05:00+07:00",
      "created_at": "2019-03-19T16:05:00+07:00"}),
    (SHIPMENT_PROGRESSED, ShipmentProgressed, "A shipment moved on (accepted, picked up, delivered, failed...).",
     {**_SHIP, "direction": "result_to_citizen", "status": "delivered", "occurred_at": "2019-03-20T10:00:00+07:00",
      "tracking_number": "EB123456789VN"}),
):
    registry.register(_type, _schema, summary=_summary, example=_example, producer="postal")
