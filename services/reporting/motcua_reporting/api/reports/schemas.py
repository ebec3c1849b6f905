"""Query parameters and answers of the report endpoints."""
from datetime import timedelta

from marshmallow import ValidationError, fields, validate, validates_schema

from motcua_shared.patterns import UNIT_CODE
from motcua_shared.web.fields import StrictSchema

from ...statistics.dimensions import DIMENSIONS
from ...statistics.report import DRILLABLE

FORMATS = ("json", "csv", "xlsx")
LONGEST_PERIOD = timedelta(days=3660)  # ten years: the trend is monthly, the answer stays small


class ReportQuery(StrictSchema):
    from_ = fields.Date(required=True, data_key="from", metadata={"description": "First day (YYYY-MM-DD)."})
    to = fields.Date(required=True, metadata={"description": "Last day, included (YYYY-MM-DD)."})
    unit = fields.String(required=True, validate=UNIT_CODE,
                         metadata={"description": "Unit code (Decision 124/2004, 19/2025): the subtree reported on."})
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS),
                           metadata={"description": "json (default), csv or xlsx (laid out like Biểu 06)."})

    @validates_schema
    def _period(self, data, **_kwargs):
        first, last = data.get("from_"), data.get("to")
        if first and last and last < first:
            raise ValidationError("Ngày kết thúc trước ngày bắt đầu.", field_name="to")
        if first and last and last - first > LONGEST_PERIOD:
            raise ValidationError("Kỳ báo cáo dài quá 10 năm.", field_name="to")


class BreakdownQuery(ReportQuery):
    by = fields.String(required=True, validate=validate.OneOf(tuple(DIMENSIONS)),
                       metadata={"description": "unit (receiving unit), level, procedure, sector, channel or mechanism."})


class DossierListQuery(ReportQuery):
    figure = fields.String(required=True, validate=validate.OneOf(DRILLABLE), metadata={
        "description": "The figure whose dossiers to list: a Biểu 06 column (`resolved.late`, ...) or an "
                       "indicator's base (`indicator.2_1` on time per Decision 766, `indicator.2_2` completed, "
                       "`indicator.3_3` received in the period)."})
    mechanism = fields.String(validate=validate.OneOf(("one_stop", "inter_agency")))
    channel = fields.String(validate=validate.OneOf(("counter", "online", "postal")))
    level = fields.String(validate=validate.OneOf(("province", "district", "commune")))
    procedure = fields.String(validate=validate.Length(min=1, max=40))
    sector = fields.String(validate=validate.Length(min=1, max=200))
    receiving_unit = fields.String(validate=UNIT_CODE)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


# -- answers ---------------------------------------------------------------------------------------
class Received(StrictSchema):
    total = fields.Integer(required=True, metadata={"description": "Col. 3 = 4 + 5 + 6 = 7 + 11"})
    online = fields.Integer(required=True, metadata={"description": "Col. 4: received in the period online"})
    counter_postal = fields.Integer(required=True,
                                    metadata={"description": "Col. 5: received in the period at a desk or by post"})
    carried_over = fields.Integer(required=True, metadata={"description": "Col. 6: from earlier periods"})


class Resolved(StrictSchema):
    total = fields.Integer(required=True, metadata={"description": "Col. 7 = 8 + 9 + 10"})
    early = fields.Integer(required=True, metadata={"description": "Col. 8: trước hạn"})
    on_time = fields.Integer(required=True, metadata={"description": "Col. 9: đúng hạn"})
    late = fields.Integer(required=True, metadata={"description": "Col. 10: quá hạn"})


class InProgress(StrictSchema):
    total = fields.Integer(required=True, metadata={"description": "Col. 11 = 12 + 13"})
    within_deadline = fields.Integer(required=True, metadata={"description": "Col. 12: trong hạn"})
    overdue = fields.Integer(required=True, metadata={"description": "Col. 13: quá hạn"})


class Groups(StrictSchema):
    received = fields.Nested(Received, required=True)
    resolved = fields.Nested(Resolved, required=True)
    in_progress = fields.Nested(InProgress, required=True)


class Summary(Groups):
    one_stop = fields.Nested(Groups, required=True, metadata={"description": "Một cửa"})
    inter_agency = fields.Nested(Groups, required=True,
                                 metadata={"description": "Một cửa liên thông (each dossier counted once)"})


class BreakdownRow(Groups):
    key = fields.String(allow_none=True, required=True, metadata={"description": "The value grouped by (a code)"})
    label = fields.String(required=True)


class UnitRef(StrictSchema):
    code = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "As the unit stood on the day it was read"})
    as_of = fields.Date(required=True, metadata={"description": "The day the unit was read as (see Unit)"})


class Breakdown(StrictSchema):
    unit = fields.Nested(UnitRef, required=True)
    by = fields.String(required=True)
    rows = fields.List(fields.Nested(BreakdownRow), required=True)
    total = fields.Nested(Groups, required=True)


class Month(Groups):
    month = fields.String(required=True, metadata={"description": "YYYY-MM"})
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)


class Trend(StrictSchema):
    months = fields.List(fields.Nested(Month), required=True)


class Indicators(StrictSchema):
    on_time_rate = fields.Dict(required=True, metadata={"description": "766 §2.1: (resolved early or on time + "
                               "in progress within the deadline, at most one supplement request) ÷ received, %"})
    average_handling_time = fields.Dict(required=True, metadata={"description": "766 §2.2: working days from "
                                        "reception to the result, supplement pauses excluded, averaged over the "
                                        "dossiers completed (DVCQG 9/10) in the period"})
    channel_shares = fields.Dict(required=True, metadata={"description": "766 §3.3: shares of the dossiers "
                                 "received in the period by channel, %"})
    satisfaction = fields.Dict(required=True, metadata={"description": "766 §5.4: null until rating events exist"})


class DossierItem(StrictSchema):
    code = fields.String(required=True)
    procedure_code = fields.String(allow_none=True)
    procedure_level = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    channel = fields.String(allow_none=True)
    inter_agency = fields.Boolean(required=True)
    receiving_unit = fields.String(allow_none=True)
    received_at = fields.DateTime(required=True)
    due_at = fields.DateTime(allow_none=True, metadata={"description": "The appointment it is judged against"})
    ended_at = fields.DateTime(allow_none=True, metadata={"description": "When processing ended, if in the period"})
    end_kind = fields.String(allow_none=True, metadata={"description": "processed, returned, withdrawn, refused, "
                                                                       "redirected; null while in progress"})
    placement = fields.String(required=True, metadata={"description": "carried_over / online / counter_postal"})
    outcome = fields.String(required=True, metadata={
        "description": "early, on_time, late (resolved) or within_deadline, overdue (in progress at the period's end)"})
    supplement_requests = fields.Integer(required=True)
    apologised = fields.Boolean(required=True)
    handling_working_minutes = fields.Integer(allow_none=True)


class DossierPage(StrictSchema):
    figure = fields.String(required=True)
    total = fields.Integer(required=True, metadata={"description": "Equals the figure"})
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    items = fields.List(fields.Nested(DossierItem), required=True)
