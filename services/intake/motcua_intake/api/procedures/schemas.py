"""The public catalogue (docs/contracts.md §5): the pinned fields per procedure, and where its fee comes from."""
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
    fee_vnd = fields.Integer(required=True, metadata={
        "description": "The base-case fee in VND; read it with fee_basis: 0 is free only when fee_basis is free "
                       "or derived, and means 'not known' when it is unpublished."})
    fee_basis = fields.String(required=True, validate=validate.OneOf(("published", "free", "derived", "unpublished")),
                              metadata={"description": "published (an amount read in the source), free (the source or "
                                                       "the law says no fee), derived (reasoned from the law), "
                                                       "unpublished (no amount found; the desk charges the one in "
                                                       "force)."})
    fee_source = fields.String(required=True, metadata={
        "description": "Who set the amount: a national text, or a province's resolution, which then says "
                       "'không phải Sơn La' when it is another province's."})
    online = fields.String(required=True, validate=validate.OneOf(("full", "partial", "none")), metadata={
        "description": "The online level today (Decree 42/2022): toàn trình, một phần, or not online."})
    postal_allowed = fields.Boolean(required=True)
    inter_agency = fields.Boolean(required=True, metadata={"description": "More than one agency or level handles it."})
    route = fields.List(fields.String(validate=validate.OneOf(LEVELS)), required=True,
                        metadata={"description": "The levels the dossier passes through, lodging level first."})


class Catalogue(StrictSchema):
    items = fields.List(fields.Nested(PublishedProcedure), required=True)
    total = fields.Integer(required=True)
