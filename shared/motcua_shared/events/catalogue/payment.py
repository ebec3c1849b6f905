"""A dossier's financial obligation (nghĩa vụ tài chính: fee, charge, tax), published by intake on
`intake.events`: asked for (DVCQG 6, the clock paused) and paid (processing resumes).

The time the citizen takes to pay is not the agency's: the appointment moves by the working time of
the wait, as for a supplement ("không kể thời gian thực hiện nghĩa vụ tài chính", Decree 43/2014 on
land procedures; see docs/lifecycle.md).
"""
from marshmallow import fields, validate

from .. import registry
from ._base import moment
from .dossier import StatusChange

DOSSIER_PAYMENT_REQUESTED = "vn.motcua.dossier.payment_requested"
DOSSIER_PAID = "vn.motcua.dossier.paid"

OBLIGATIONS = ("fee", "charge", "tax")  # phí / lệ phí / thuế (or tiền sử dụng đất)
# How it was paid; the DVCQG flag `DuocThanhToanTrucTuyen` is 1 for the national portal, 2 for a local gateway.
PAYMENT_METHODS = ("cash", "bank_transfer", "online_national", "online_local", "postal_cod")
ONLINE_FLAG = {"online_national": 1, "online_local": 2}

AMOUNT = validate.Range(min=1, max=10**13)


class DossierPaymentRequested(StatusChange):
    """The citizen must pay before processing goes on (DVCQG 6); the deadline clock stops."""

    obligation = fields.String(required=True, validate=validate.OneOf(OBLIGATIONS))
    amount_vnd = fields.Integer(required=True, strict=True, validate=AMOUNT)
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=500), metadata={
        "description": "What the amount is for, as the citizen is told (e.g. lệ phí trước bạ)."})


class DossierPaid(StatusChange):
    """The desk recorded the payment: processing goes on, the appointment moved by the wait."""

    amount_vnd = fields.Integer(required=True, strict=True, validate=AMOUNT)
    method = fields.String(required=True, validate=validate.OneOf(PAYMENT_METHODS))
    online = fields.Integer(required=True, validate=validate.OneOf((0, 1, 2)), metadata={
        "description": "DuocThanhToanTrucTuyen: 0 not online, 1 on the national portal, 2 a local gateway."})
    receipt_number = fields.String(required=True, validate=validate.Length(min=1, max=50))
    paused_from = moment(required=True)
    due_at = moment(required=True, metadata={"description": "The appointment moved by the working time paused."})


_CHANGE = {"code": "H52.126-190315-0001", "occurred_at": "2019-03-19T10:00:00+07:00", "actor": "officer-7"}
registry.register(
    DOSSIER_PAYMENT_REQUESTED, DossierPaymentRequested, producer="intake",
    summary="A financial obligation must be paid; the dossier awaits it (DVCQG 6), the clock is paused.",
    example={**_CHANGE, "obligation": "charge", "amount_vnd": 500000, "purpose": "Lệ phí trước bạ nhà, đất"})
registry.register(
    DOSSIER_PAID, DossierPaid, producer="intake",
    summary="The payment was recorded with its receipt; processing resumes with the appointment moved.",
    example={**_CHANGE, "occurred_at": "2019-03-21T09:00:00+07:00", "amount_vnd": 500000, "method": "cash",
             "online": 0, "receipt_number": "BL-0001234", "paused_from": "2019-03-19T10:00:00+07:00",
             "due_at": "2019-03-28T15:00:00+07:00"})
