"""GET /api/v1/logbook: Mẫu 06, the logbook of one desk for a period (HTML, or JSON rows)."""
from flask.views import MethodView
from marshmallow import ValidationError, fields, validate, validates_schema

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import OFFICERS, current_principal, require
from motcua_shared.web.errors import Forbidden
from motcua_shared.web.fields import StrictSchema
from motcua_shared.web.scope import covers_unit

from ... import logbook
from ...app import desk
from ...forms import render
from ..dossiers.schemas import UNIT_CODE
from . import blp

MAX_DAYS = 366


class LogbookQuery(StrictSchema):
    unit = fields.String(required=True, validate=UNIT_CODE)
    from_ = fields.Date(required=True, data_key="from", metadata={"description": "First day, inclusive."})
    to = fields.Date(required=True, metadata={"description": "Last day, inclusive."})
    format = fields.String(load_default="html", validate=validate.OneOf(("html", "json")))

    @validates_schema
    def _period(self, data, **_kwargs):
        if data["to"] < data["from_"]:
            raise ValidationError("Must be on or after from.", field_name="to")
        if (data["to"] - data["from_"]).days >= MAX_DAYS:
            raise ValidationError(f"A logbook covers at most {MAX_DAYS} days.", field_name="to")


class LogbookEntry(StrictSchema):
    number = fields.Integer(required=True, allow_none=True)
    code = fields.String(required=True)
    procedure_code = fields.String(required=True)
    procedure_name = fields.String(required=True)
    applicant_name = fields.String(required=True)
    address = fields.String(required=True, allow_none=True)
    phone = fields.String(required=True, allow_none=True)
    agency = fields.String(required=True)
    received_at = fields.AwareDateTime(required=True)
    due_at = fields.AwareDateTime(required=True)
    transferred_at = fields.AwareDateTime(required=True, allow_none=True)
    returned_at = fields.AwareDateTime(required=True, allow_none=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    overdue = fields.Boolean(required=True)


class Logbook(StrictSchema):
    unit = fields.String(required=True)
    entries = fields.List(fields.Nested(LogbookEntry), required=True)


@blp.route("/logbook")
class LogbookPage(MethodView):
    @require(*OFFICERS)
    @blp.arguments(LogbookQuery, location="query")
    @blp.doc(security=[{"bearer": []}], responses={"200": {
        "description": "Sổ theo dõi hồ sơ: trang HTML (mặc định) hoặc JSON (format=json).",
        "content": {"text/html": {}, "application/json": {"schema": Logbook}}}})
    def get(self, query):
        """Sổ theo dõi hồ sơ (Mẫu 06)

        The dossiers received at `unit` (exactly that desk) between `from` and `to`, by logbook number,
        for an officer whose scope holds that unit (403 `unit_out_of_scope` otherwise).
        """
        principal = current_principal()
        unit, start, end = query["unit"], query["from_"], query["to"]
        if not covers_unit(principal, unit, end, desk().units):
            raise Forbidden("Đơn vị nằm ngoài phạm vi của cán bộ.", code="unit_out_of_scope")
        with runtime().sessions() as session:
            entries = logbook.entries(session, desk(), unit, start, end)
        if query["format"] == "json":
            return Logbook().dump({"unit": unit, "entries": entries})
        return render.logbook(desk(), unit, (start, end), [render.logbook_row(entry) for entry in entries])
