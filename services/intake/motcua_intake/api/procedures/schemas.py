"""The public catalogue (contracts.md §5): exactly the pinned fields per procedure."""
from marshmallow import fields, validate

from motcua_shared.web.fields import StrictSchema, Text

LEVELS = ("commune", "district", "province")


class ProcedureQuery(StrictSchema):
    level = fields.String(validate=validate.OneOf(LEVELS), metadata={
        "description": "The level that decides, in the hierarchy in force today (no district from 01/07/2025)."})
    online = fields.String(validate=validate.OneOf(("full", "partial", "none")))
    search = Text(validate=validate.Length(min=1, max=200), metadata={
        "description": "Words of the code, name or sector; accents and case ignored (\"dang ky ket hon\")."})


class ProcessingTime(StrictSchema):
    value = fields.Integer(required=True, metadata={"description": "0 for same_day, which has no amount."})
    unit = fields.String(required=True, validate=validate.OneOf(
        ("working_hours", "working_days", "calendar_days", "same_day")), metadata={
        "description": "same_day (trong ngày): due at the close of office hours on the day of receipt, or of "
                       "the next working day when received after the cut-off (15:00)."})


class PublishedProcedure(StrictSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    processing_time = fields.Nested(ProcessingTime, required=True)
    fee_vnd = fields.Integer(required=True)
    online = fields.String(required=True, validate=validate.OneOf(("full", "partial", "none")))
    postal_allowed = fields.Boolean(required=True)
    inter_agency = fields.Boolean(required=True, metadata={"description": "More than one agency or level handles it."})
    route = fields.List(fields.String(validate=validate.OneOf(LEVELS)), required=True,
                        metadata={"description": "The levels the dossier passes through, lodging level first."})


class Catalogue(StrictSchema):
    items = fields.List(fields.Nested(PublishedProcedure), required=True)
    total = fields.Integer(required=True)
