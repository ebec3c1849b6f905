"""Bodies of /api/v1/dossiers/{code}/messages and /channels."""
from marshmallow import fields, validate

from motcua_shared.web.fields import StrictSchema

from ...delivery.ledger import STATUSES
from ...notices import ADDRESSED, AWAITING_CONTACT, STALE, UNREACHABLE

CODE = validate.Length(min=8, max=60)


class AttemptView(StrictSchema):
    attempt = fields.Integer(required=True)
    provider = fields.String(required=True)
    outcome = fields.String(required=True, metadata={"description": "accepted, temporary or permanent"})
    detail = fields.String(allow_none=True)
    started_at = fields.AwareDateTime(required=True)
    duration_ms = fields.Integer(required=True)


class ContentView(StrictSchema):
    subject = fields.String(allow_none=True)
    text = fields.String(required=True)
    attachment_name = fields.String(allow_none=True)


class MessageView(StrictSchema):
    id = fields.String(required=True)
    event_type = fields.String(required=True)
    template = fields.String(required=True)
    template_version = fields.Integer(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(("sms", "email")))
    recipient = fields.String(required=True, metadata={"description": "Masked: 0912***678, h***@example.vn."})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    status_reason = fields.String(allow_none=True, metadata={
        "description": "Why it waits or failed: quiet_hours, rate_limited, opted_out, the provider's answer."})
    urgent = fields.Boolean(required=True)
    attempts = fields.Integer(required=True)
    provider = fields.String(allow_none=True)
    accepted_by = fields.String(allow_none=True, metadata={
        "description": "Where the provider that took it was: smtp:<host>:<port>, sms:<host>, zalo:<host>; "
                       "dev_sink:<address> for a development catcher. Null until sent (and for messages sent "
                       "before this was recorded)."})
    dev_sink = fields.Boolean(required=True, metadata={
        "description": "True when a development catcher took it: `delivered` then means caught, not received."})
    segments = fields.Integer(allow_none=True, metadata={"description": "SMS segments the text costs."})
    created_at = fields.AwareDateTime(required=True)
    not_before = fields.AwareDateTime(required=True, metadata={"description": "Earliest next attempt."})
    sent_at = fields.AwareDateTime(allow_none=True, metadata={"description": "Accepted by the provider."})
    completed_at = fields.AwareDateTime(allow_none=True)
    content = fields.Nested(ContentView, allow_none=True, metadata={
        "description": "What was sent; null once the retention period has blanked it."})
    attempt_log = fields.List(fields.Nested(AttemptView), required=True)


class Skipped(StrictSchema):
    channel = fields.String(required=True)
    reason = fields.String(required=True, metadata={
        "description": "no_address, declined (channel not chosen), invalid_address or opted_out."})


class NoticeView(StrictSchema):
    event_type = fields.String(required=True)
    template = fields.String(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    status = fields.String(required=True, validate=validate.OneOf((AWAITING_CONTACT, ADDRESSED, UNREACHABLE, STALE)))
    skipped = fields.List(fields.Nested(Skipped), required=True)


class DossierMessages(StrictSchema):
    dossier_code = fields.String(required=True)
    messages = fields.List(fields.Nested(MessageView), required=True)
    notices = fields.List(fields.Nested(NoticeView), required=True, metadata={
        "description": "Every citizen-facing event of the dossier and what became of it."})


class Channels(StrictSchema):
    # JSON true or false only: "yes" or 1 is a client bug, not a choice.
    sms = fields.Boolean(required=True, truthy={True}, falsy={False})
    email = fields.Boolean(required=True, truthy={True}, falsy={False})


class ChannelsChosen(Channels):
    dossier_code = fields.String(required=True)
    chosen_at = fields.AwareDateTime(required=True)
    cancelled = fields.Integer(required=True, metadata={
        "description": "Messages of a declined channel that were waiting and will not be sent."})
