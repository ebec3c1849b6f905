"""Body of POST /api/v1/delivery-receipts/{provider}."""
from marshmallow import fields, validate

from motcua_shared.web.fields import StrictSchema

from ...receipts import STATUSES


class Receipt(StrictSchema):
    reference = fields.String(required=True, validate=validate.Length(min=1, max=64), metadata={
        "description": "The `reference` the message was sent with (the message id)."})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES), metadata={
        "description": "delivered; failed, rejected or undeliverable (for good); expired (retried); "
                       "accepted, sent or buffered (informational, change nothing)."})
    occurred_at = fields.AwareDateTime(load_default=None, allow_none=True, metadata={
        "description": "When it happened at the provider (RFC 3339 with offset); default: on arrival."})
    error = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                          metadata={"description": "The provider's own error code, for the operator."})


class ReceiptApplied(StrictSchema):
    reference = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "The message's status after this receipt."})
    effect = fields.String(required=True, metadata={"description": "The status it moved to, or none."})
