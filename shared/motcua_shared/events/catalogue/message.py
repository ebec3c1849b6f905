"""Events of messages sent to citizens, published by notification on `notification.events`.

One event per message when its fate is settled: delivered (the provider's receipt, or an SMTP relay's
acceptance), or failed for good (permanent-failure: refused; technical-failure: the retries ran out
or no receipt ever came). `channel` is what reached the citizen: a phone message sent through Zalo
ZNS says "zalo".
"""
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
    template_version = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1), metadata={
        "description": "The version of the template the text was rendered with."})
    status = fields.String(required=True, validate=validate.OneOf(
        ("delivered", "permanent-failure", "temporary-failure", "technical-failure")))
    occurred_at = moment(required=True)


_EXAMPLE = {"message_id": "3f0b8c1e-8a4d-4c2b-9f1a-6d2e5b7c9a10", "dossier_code": "H52.04222-190315-0001",
            "channel": "sms", "template": "dossier_received", "template_version": 1, "status": "delivered",
            "occurred_at": "2019-03-15T08:31:00+07:00"}
registry.register(MESSAGE_DELIVERED, MessageOutcome, producer="notification", example=_EXAMPLE,
                  summary="A message reached the citizen (the provider's receipt, or the SMTP relay's acceptance).")
registry.register(MESSAGE_FAILED, MessageOutcome, producer="notification",
                  example={**_EXAMPLE, "status": "permanent-failure"},
                  summary="A message could not be delivered, for good.")
