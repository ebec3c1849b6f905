"""Events of shipments carried by the public postal service (Decision 45/2016), owned by postal.

Two are pinned partner contracts (docs/contracts.md §4.2): `postal.pickup.requested` / `.cancelled` on
the `postal.pickups` queue the partner consumes, and `postal.status.reported`, which the partner
publishes to exchange `postal.partner` (routing key `status`). The `shipment.*` events go on
`postal.events` for intake, notification and reporting.

A shipment moves requested → accepted → picked_up → delivered; `failed` (a pickup or delivery
attempt that did not succeed: the item goes back to the desk) and `returned` (the item is back with
its sender) are the unhappy outcomes, `cancelled` the called-off one. Reports are applied by rank, so a
late or repeated one changes nothing (see examples/postal_partner/README.md).
"""
from marshmallow import fields, validate

from .. import registry
from ._base import UNIT_CODE, UNIT_PATH, StrictSchema, moment

PICKUP_REQUESTED = "vn.motcua.postal.pickup.requested"
PICKUP_CANCELLED = "vn.motcua.postal.pickup.cancelled"
STATUS_REPORTED = "vn.motcua.postal.status.reported"
SHIPMENT_CREATED = "vn.motcua.shipment.created"
SHIPMENT_PROGRESSED = "vn.motcua.shipment.progressed"
SHIPMENT_ESCALATED = "vn.motcua.shipment.escalated"

DIRECTIONS = ("dossier_to_office", "result_to_citizen")
PARTNER_STATUSES = ("accepted", "picked_up", "delivered", "failed", "returned")
SHIPMENT_STATUSES = ("requested",) + PARTNER_STATUSES + ("cancelled",)
REPORT_SOURCES = ("partner", "manual", "system")
ESCALATION_REASONS = ("pickup_not_accepted", "failed", "returned")
CODE = validate.Length(min=8, max=60)
SHIPMENT_ID = validate.Length(min=1, max=64)


def _described(text: str) -> dict:
    return {"description": text}


# -- pinned: the partner contract (docs/contracts.md §4.2) ------------------------------------------
class Party(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(required=True, validate=validate.Length(min=1, max=500))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))


class PickupRequested(StrictSchema):
    shipment_id = fields.String(required=True, validate=SHIPMENT_ID, metadata=_described(
        "Postal's id of the shipment: the partner's deduplication key. The same shipment may be announced "
        "again (a new event id, the same data) while it has not been accepted."))
    dossier_code = fields.String(required=True, validate=CODE)
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS), metadata=_described(
        "dossier_to_office: fetch the dossier from the citizen and bring it to the desk; "
        "result_to_citizen: fetch the result at the desk and bring it to the citizen."))
    pickup = fields.Nested(Party, required=True, metadata=_described("Where the item is collected."))
    delivery = fields.Nested(Party, required=True, metadata=_described("Where the item is delivered."))
    cod_amount_vnd = fields.Integer(required=True, strict=True, validate=validate.Range(min=0), metadata=_described(
        "Fee to collect on delivery, in VND; 0 if none."))
    requested_at = moment(required=True)
    deliver_by = moment(required=True, metadata=_described("Deadline for delivery, in working days of the office."))


class PickupCancelled(StrictSchema):
    shipment_id = fields.String(required=True, validate=SHIPMENT_ID)
    dossier_code = fields.String(required=True, validate=CODE)
    cancelled_at = moment(required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class StatusReported(StrictSchema):
    shipment_id = fields.String(required=True, validate=SHIPMENT_ID)
    status = fields.String(required=True, validate=validate.OneOf(PARTNER_STATUSES))
    occurred_at = moment(required=True, metadata=_described(
        "When it happened (not when it is reported); never later than the report's arrival nor earlier than "
        "the pickup request (5 minutes of clock difference are tolerated). Picked-up and delivered times are "
        "the hand-over times of the control log."))
    tracking_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


# -- postal's domain events on postal.events ----------------------------------------------------
class ShipmentCreated(StrictSchema):
    shipment_id = fields.String(required=True)
    dossier_code = fields.String(required=True, validate=CODE)
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    unit = fields.String(required=True, metadata={"description": "The desk's unit code"})
    unit_path = fields.String(load_default=None, allow_none=True, validate=UNIT_PATH,
                              metadata=_described("Path of the desk's unit (docs/contracts.md §3)."))
    cod_amount_vnd = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0))
    requested_at = moment(load_default=None, allow_none=True)
    deliver_by = moment(required=True)
    created_at = moment(required=True)


class ShipmentProgressed(StrictSchema):
    shipment_id = fields.String(required=True)
    dossier_code = fields.String(required=True, validate=CODE)
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    status = fields.String(required=True, validate=validate.OneOf(PARTNER_STATUSES + ("cancelled",)))
    occurred_at = moment(required=True, metadata=_described(
        "When the change happened, from the report: the hand-over time for picked_up and delivered."))
    tracking_number = fields.String(load_default=None, allow_none=True)
    previous_status = fields.String(load_default=None, allow_none=True,
                                    validate=validate.OneOf(SHIPMENT_STATUSES))
    unit = fields.String(load_default=None, allow_none=True, validate=UNIT_CODE,
                         metadata=_described("The desk's unit code."))
    source = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(REPORT_SOURCES),
                           metadata=_described("partner (a report on postal.partner), manual (a desk officer "
                                               "entered what the partner said by phone) or system (cancelled)."))
    recorded_by = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                                metadata=_described("The officer who entered a manual status."))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class ShipmentEscalated(StrictSchema):
    """The desk must act: the partner has not accepted a pickup, or an item did not reach its addressee."""

    shipment_id = fields.String(required=True)
    dossier_code = fields.String(required=True, validate=CODE)
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS))
    unit = fields.String(required=True, validate=UNIT_CODE, metadata=_described("The desk's unit code."))
    reason = fields.String(required=True, validate=validate.OneOf(ESCALATION_REASONS), metadata=_described(
        "pickup_not_accepted: still not accepted after every announcement; failed: the partner could not "
        "collect or deliver, the item goes back to the desk; returned: the item is back with its sender."))
    escalated_at = moment(required=True)
    announcements = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1),
                                   metadata=_described("How often the pickup was announced."))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


_SHIP = {"shipment_id": "SH-7d1e2f", "dossier_code": "H52.04222-190315-0001"}
_PARTY_CITIZEN = {"name": "Lò Văn Hùng", "address": "Bản Hưng Mai, xã Chiềng Khương", "phone": "0912345678"}
_PARTY_DESK = {"name": "Bộ phận một cửa UBND xã Chiềng Khương",
               "address": "Trụ sở UBND xã Chiềng Khương, huyện Sông Mã, tỉnh Sơn La", "phone": None}
for _type, _schema, _summary, _example in (
    (PICKUP_REQUESTED, PickupRequested, "A shipment the postal partner must carry (on queue postal.pickups).",
     {**_SHIP, "direction": "result_to_citizen", "pickup": _PARTY_DESK, "delivery": _PARTY_CITIZEN,
      "cod_amount_vnd": 10000, "requested_at": "2019-03-19T16:05:00+07:00",
      "deliver_by": "2019-03-22T17:00:00+07:00"}),
    (PICKUP_CANCELLED, PickupCancelled, "A shipment called off before pickup (on queue postal.pickups).",
     {**_SHIP, "cancelled_at": "2019-03-19T17:00:00+07:00", "reason": "Công dân rút hồ sơ."}),
    (STATUS_REPORTED, StatusReported, "The partner's progress report (exchange postal.partner, key status).",
     {"shipment_id": "SH-7d1e2f", "status": "delivered", "occurred_at": "2019-03-20T10:00:00+07:00",
      "tracking_number": "EB123456789VN", "note": None}),
    (SHIPMENT_CREATED, ShipmentCreated, "A shipment was created for a dossier or its result.",
     {**_SHIP, "direction": "result_to_citizen", "unit": "04222", "unit_path": "14.126.04222",
      "cod_amount_vnd": 10000, "requested_at": "2019-03-19T16:05:00+07:00",
      "deliver_by": "2019-03-22T17:00:00+07:00", "created_at": "2019-03-19T16:05:02+07:00"}),
    (SHIPMENT_PROGRESSED, ShipmentProgressed, "A shipment moved on (accepted, picked up, delivered, failed...).",
     {**_SHIP, "direction": "result_to_citizen", "status": "delivered", "occurred_at": "2019-03-20T10:00:00+07:00",
      "tracking_number": "EB123456789VN", "previous_status": "picked_up", "unit": "04222", "source": "partner",
      "recorded_by": None, "note": None}),
    (SHIPMENT_ESCALATED, ShipmentEscalated, "The desk must act on a shipment (not accepted, failed or returned).",
     {**_SHIP, "direction": "result_to_citizen", "unit": "04222", "reason": "failed",
      "escalated_at": "2019-03-21T11:00:00+07:00", "announcements": 1, "note": "Người nhận vắng nhà."}),
):
    registry.register(_type, _schema, summary=_summary, example=_example, producer="postal")
