from marshmallow import fields, validate

from motcua_shared.web.fields import StrictSchema, Text


class OverrideQuery(StrictSchema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))


class OverrideBody(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(("day_off", "working_day")),
                         metadata={"description": "day_off (ngày nghỉ) or working_day (ngày làm việc, e.g. làm bù)."})
    note = Text(required=True, validate=validate.Length(min=1, max=300),
                metadata={"description": "Why: the holiday, or the decision that declares it."})


class Override(StrictSchema):
    day = fields.Date(required=True)
    kind = fields.String(required=True)
    note = fields.String(required=True)
    source = fields.String(required=True, metadata={"description": "schedule (seeded from the year's official "
                                                                   "schedule file), package (a year without a file: "
                                                                   "the holidays package) or admin."})
    updated_by = fields.String(required=True)
    updated_at = fields.AwareDateTime(required=True)


class OverrideList(StrictSchema):
    items = fields.List(fields.Nested(Override), required=True)
