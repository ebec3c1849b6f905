"""Bodies of /api/v1/opt-outs. The address is taken in clear and kept only as a key and a mask."""
from marshmallow import fields, validate

from motcua_shared.web.fields import StrictSchema, Text


class OptOutRequest(StrictSchema):
    channel = fields.String(required=True, validate=validate.OneOf(("sms", "email")))
    address = Text(required=True, validate=validate.Length(min=3, max=254),
                   metadata={"description": "The phone number (sms) or e-mail address (email)."})


class OptOutRecorded(StrictSchema):
    """The answer to a recorded opt-out: only what the request itself determines (no creation time, no
    source), so a new opt-out and one already there answer alike."""
    id = fields.String(required=True, metadata={"description": "To opt the address back in (DELETE)."})
    channel = fields.String(required=True)
    address = fields.String(required=True, metadata={"description": "Masked."})
