"""Bodies of /api/v1/templates."""
from marshmallow import fields, validate

from motcua_shared.web.fields import StrictSchema

CHANNELS = ("sms", "email")


class VersionView(StrictSchema):
    version = fields.Integer(required=True)
    sms = fields.String(required=True, metadata={"description": "Jinja text, with diacritics (folded when sent)."})
    subject = fields.String(required=True)
    email = fields.String(required=True,
                          metadata={"description": "Plain-text body; the HTML part is laid out from it."})
    attachment = fields.String(allow_none=True, metadata={"description": "Title of the notice attached to e-mails."})
    phrases = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class TemplateSummary(StrictSchema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    event_type = fields.String(required=True)
    urgent = fields.Boolean(required=True, metadata={"description": "Urgent messages are sent in quiet hours too."})
    current_version = fields.Integer(required=True)
    has_attachment = fields.Boolean(required=True)


class TemplateList(StrictSchema):
    templates = fields.List(fields.Nested(TemplateSummary), required=True)


class TemplateDetail(TemplateSummary):
    sample = fields.Dict(required=True, metadata={"description": "The values a preview uses unless given others."})
    versions = fields.List(fields.Nested(VersionView), required=True)


class PreviewRequest(StrictSchema):
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    version = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1),
                             metadata={"description": "Default: the current version."})
    personalisation = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": "Values replacing the sample's (same names and types); the lookup link is always computed."})
    unicode = fields.Boolean(load_default=None, allow_none=True, truthy={True}, falsy={False},
                             metadata={"description": "SMS with diacritics; default: SMS_UNICODE."})


class SmsPreview(StrictSchema):
    text = fields.String(required=True)
    encoding = fields.String(required=True, validate=validate.OneOf(("GSM-7", "UCS-2")))
    characters = fields.Integer(required=True, metadata={"description": "GSM-7 septets or UCS-2 code units."})
    segments = fields.Integer(required=True)


class AttachmentPreview(StrictSchema):
    filename = fields.String(required=True)
    content_type = fields.String(required=True)
    content = fields.String(required=True)


class EmailPreview(StrictSchema):
    subject = fields.String(required=True)
    text = fields.String(required=True)
    html = fields.String(required=True)
    attachment = fields.Nested(AttachmentPreview, allow_none=True)


class Preview(StrictSchema):
    template = fields.String(required=True)
    version = fields.Integer(required=True)
    channel = fields.String(required=True)
    sms = fields.Nested(SmsPreview, allow_none=True)
    email = fields.Nested(EmailPreview, allow_none=True)
