"""Query parameters and answers of the report endpoints."""
from datetime import timedelta

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from motcua_shared.patterns import UNIT_CODE
from motcua_shared.web.fields import StrictSchema

from ...statistics import official_periods
from ...statistics.attribution import ATTRIBUTIONS
from ...statistics.dimensions import DIMENSIONS
from ...statistics.report import DRILLABLE

FORMATS = ("json", "csv", "xlsx")
LONGEST_PERIOD = timedelta(days=3660)  # ten years: the trend is monthly, the answer stays small


class ReportQuery(StrictSchema):
    from_ = fields.Date(data_key="from", metadata={
        "description": "First day (YYYY-MM-DD). Required unless `period` is given; never with it."})
    to = fields.Date(metadata={"description": "Last day, included (YYYY-MM-DD). Required unless `period` is given."})
    period = fields.String(validate=validate.Regexp(official_periods.PATTERN, error=(
        "code=unknown_period: Kỳ báo cáo phải có dạng 2019-M05 (tháng), 2019-Q1 (quý), 2019-6T hoặc 2019-6C "
        "(6 tháng đầu, cuối năm), 2019-9T (9 tháng) hoặc 2019-N (năm).")), metadata={
        "description": "An official reporting period instead of from/to (Decree 09/2019/NĐ-CP Art. 12: figures "
                       "cut from the 15th of the month before to the 14th of the last month): YYYY-Mmm (month), "
                       "YYYY-Qn (quarter), YYYY-6T / YYYY-6C (first / second half), YYYY-9T (nine months), "
                       "YYYY-N (year). `GET /api/v1/reports/periods` lists them with their days."})
    unit = fields.String(required=True, validate=UNIT_CODE,
                         metadata={"description": "Unit code (Decision 124/2004, 19/2025): the subtree reported on."})
    attribution = fields.String(load_default="receiving", validate=validate.OneOf(ATTRIBUTIONS), metadata={
        "description": "receiving (default): each dossier under the unit whose desk received it; competent: "
                       "under the unit whose agency resolves it (in its route, the last step at the level its "
                       "procedure is decided at; before routing, the competent unit given at reception)."})
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS),
                           metadata={"description": "json (default), csv or xlsx (laid out like Biểu 06)."})

    @validates_schema
    def _period(self, data, **_kwargs):
        first, last = data.get("from_"), data.get("to")
        if "period" in data:
            if first or last:
                raise ValidationError("code=period_with_dates: Chọn kỳ báo cáo hoặc từ ngày, đến ngày; không "
                                      "chọn cả hai.", field_name="period")
            return
        if first is None or last is None:
            raise ValidationError("Missing data for required field.", field_name="to" if first else "from")
        if last < first:
            raise ValidationError("Ngày kết thúc trước ngày bắt đầu.", field_name="to")
        if last - first > LONGEST_PERIOD:
            raise ValidationError("Kỳ báo cáo dài quá 10 năm.", field_name="to")

    @post_load
    def _official_period(self, data, **_kwargs):
        """A period code becomes its first and last days: every report reads from_ and to."""
        if "period" in data:
            try:
                found = official_periods.parse(data["period"])
            except ValueError:
                raise ValidationError("code=unknown_period: Không có kỳ báo cáo này.", field_name="period") from None
            data["from_"], data["to"] = found.period.first_day, found.period.last_day
        return data


class PeriodsQuery(StrictSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100),
                          metadata={"description": "The year whose official periods to list."})


class OfficialPeriod(StrictSchema):
    code = fields.String(required=True, metadata={"description": "What `period` takes, e.g. 2019-Q1"})
    name = fields.String(required=True, metadata={"description": "Its Vietnamese name, e.g. Quý I năm 2019"})
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)


class OfficialPeriods(StrictSchema):
    year = fields.Integer(required=True)
    periods = fields.List(fields.Nested(OfficialPeriod), required=True)


class BreakdownQuery(ReportQuery):
    by = fields.String(required=True, validate=validate.OneOf(tuple(DIMENSIONS)),
                       metadata={"description": "unit (receiving unit), competent_unit (the unit that resolves it), "
                                                      "level, procedure, sector, channel or mechanism."})


class DossierListQuery(ReportQuery):
    figure = fields.String(required=True, validate=validate.OneOf(DRILLABLE), metadata={
        "description": "The figure whose dossiers to list: a Biểu 06 column (`resolved.late`, ...) or an "
                       "indicator's base (`indicator.2_1` on time per Decision 766, `indicator.2_2` completed, "
                       "`indicator.3_3` received in the period, `indicator.3_6` received in the period with a fee)."})
    mechanism = fields.String(validate=validate.OneOf(("one_stop", "inter_agency")))
    channel = fields.String(validate=validate.OneOf(("counter", "online", "postal")))
    level = fields.String(validate=validate.OneOf(("province", "district", "commune")))
    procedure = fields.String(validate=validate.Length(min=1, max=40))
    sector = fields.String(validate=validate.Length(min=1, max=200))
    receiving_unit = fields.String(validate=UNIT_CODE)
    competent_unit = fields.String(validate=UNIT_CODE, metadata={
        "description": "The row of a breakdown by the resolving unit (`by=competent_unit`)."})
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
    online_procedures = fields.Dict(required=True, metadata={"description": "766 §3.1: procedures of the unit's "
                                    "level and below offered online (full or partial) ÷ all of them, %, on `to`"})
    online_procedures_used = fields.Dict(required=True, metadata={"description": "766 §3.2: of the procedures "
                                         "offered online, those with at least one online dossier received in the "
                                         "period, %"})
    paid_online = fields.Dict(required=True, metadata={"description": "766 §3.6: dossiers received in the "
                              "period, of procedures with a fee, paid online (DuocThanhToanTrucTuyen 1 or 2) ÷ all "
                              "those dossiers, %"})
    not_supported = fields.List(fields.Dict(), required=True, metadata={
        "description": "The 766 indicators this system's data cannot give: id, name and why (docs/reports.md)."})


class DossierItem(StrictSchema):
    code = fields.String(required=True)
    procedure_code = fields.String(allow_none=True)
    procedure_level = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    channel = fields.String(allow_none=True)
    inter_agency = fields.Boolean(required=True)
    receiving_unit = fields.String(allow_none=True)
    competent_unit = fields.String(allow_none=True, metadata={"description": "The unit that resolves it"})
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
