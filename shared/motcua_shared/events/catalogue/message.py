"""Events of messages sent to citizens, published by notification on `notification.events`."""
from marshmallow import fields, validate

from .. import registry
from ._base import StrictSchema, moment

MESSAGE_DELIVERED = "vn.motcua.message.delivered"
MESSAGE_FAILED = "vn.motcua.message.failed"


class MessageOutcome(StrictSchema):
    message_id = fields.String(required=True)
    dossier_code = fields.String(required=True, validate=validate.Length(min=8, max=60))
    channel = fields.String(required=True, validate=validate.OneOf(("sms", "email", "zalo")))
    template = fields.String(required=True, validate=validate.Length(min=1, max=100))
    status = fields.String(required=True, validate=validate.OneOf(
        ("delivered", "permanent-failure", "temporary-failure", "technical-failure")))
    occurred_at = moment(required=True)


_EXAMPLE = {"message_id": "M-1a2b3c", "dossier_code": "H52.04222-190315-0001", "channel": "sms",
            "template": "dossier_received", "status": "delivered", "occurred_at": "2019-03-15T08:31:00+07:00"}
registry.register(MESSAGE_DELIVERED, MessageOutcome, producer="notification", example=_EXAMPLE,
                  summary="A message reached the citizen (the provider's delivery receipt).")
registry.register(MESSAGE_FAILED, MessageOutcome, producer="notification",
                  example={**_EXAMPLE, "status": "permanent-failure"},
                  summary="A message could not be delivered, for good.")
