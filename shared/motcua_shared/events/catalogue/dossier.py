"""Events of a dossier's life at the desk, published by intake on exchange `intake.events`."""
from marshmallow import fields, validate

from .. import registry
from ._base import CHANNELS, RETURN_METHODS, UNIT_CODE, UNIT_PATH, StrictSchema, moment

DOSSIER_RECEIVED = "vn.motcua.dossier.received"


class Contact(StrictSchema):
    """What notification and postal need to reach the citizen; never the identity number."""

    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    phone = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=20))
    email = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=254))


class DossierReceived(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=8, max=60))
    procedure_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    receiving_unit = fields.String(required=True, validate=UNIT_CODE)
    receiving_unit_path = fields.String(required=True, validate=UNIT_PATH)
    competent_unit = fields.String(required=True, validate=UNIT_CODE)
    received_at = moment(required=True)
    due_at = moment(required=True)
    return_method = fields.String(required=True, validate=validate.OneOf(RETURN_METHODS))
    applicant = fields.Nested(Contact, required=True)
    delivery_address = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))


registry.register(
    DOSSIER_RECEIVED, DossierReceived, producer="intake",
    summary="A desk accepted a valid dossier: it has a code, an appointment (due_at) and a receipt.",
    example={
        "code": "H52.126-190315-0001", "procedure_code": "1.004873", "channel": "counter",
        "receiving_unit": "04222", "receiving_unit_path": "14.126.04222", "competent_unit": "04222",
        "received_at": "2019-03-15T08:30:00+07:00", "due_at": "2019-03-20T08:30:00+07:00",
        "return_method": "counter",
        "applicant": {"full_name": "Lò Văn Hùng", "phone": "0912345678", "email": None},
        "delivery_address": None,
    },
)
