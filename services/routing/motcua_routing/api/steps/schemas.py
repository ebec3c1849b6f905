"""Request and response bodies of /api/v1/steps."""
from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from motcua_shared.patterns import UNIT_CODE_PATTERN, Pattern
from motcua_shared.web.fields import StrictSchema, Text

OUTCOMES = ("approved", "rejected", "supplement_required")
UNIT_CODE = Pattern(UNIT_CODE_PATTERN, error="Mã đơn vị hành chính không đúng định dạng.")
LISTS = ("open", "unclaimed", "mine", "closed", "all")
PAGE_SIZE = 50
PAGE_SIZES = validate.Range(min=1, max=200)


class StepQuery(StrictSchema):
    status = fields.String(load_default="open", validate=validate.OneOf(LISTS), metadata={
        "description": "open: chờ xử lý và đang xử lý; unclaimed: chưa có người nhận; mine: do tôi xử lý; "
                       "closed: đã kết thúc; all: tất cả."})
    unit = fields.String(load_default=None, validate=UNIT_CODE,
                         metadata={"description": "Chỉ các bước của đơn vị này."})
    agency = fields.String(load_default=None, validate=validate.Length(min=1, max=60),
                           metadata={"description": "Chỉ các bước của cơ quan chuyên môn này (mã cơ quan)."})
    procedure_code = fields.String(load_default=None, validate=validate.Length(min=1, max=40))
    q = Text(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "Tìm theo mã hồ sơ hoặc tên thủ tục, không phân biệt dấu."})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    # `page_size` as in every other service's list; 1.0.0 named it `per_page`, still taken (same range)
    # so clients written against 1.0.0 keep working. Neither has a load default: the default is
    # applied after loading, so that giving both with different values can be refused.
    page_size = fields.Integer(load_default=None, validate=PAGE_SIZES, metadata={
        "default": PAGE_SIZE, "description": "Số bước mỗi trang."})
    per_page = fields.Integer(load_default=None, validate=PAGE_SIZES, metadata={
        "deprecated": True, "description": "Tên cũ (1.0.0) của page_size, vẫn được nhận; hãy dùng page_size."})

    @validates_schema
    def _one_page_size(self, data, **_kwargs):
        given = {data.get("page_size"), data.get("per_page")} - {None}
        if len(given) > 1:
            raise ValidationError("code=conflicting_page_size: page_size và per_page (tên cũ) phải bằng nhau.",
                                  field_name="per_page")

    @post_load
    def _page_size(self, data, **_kwargs):
        alias = data.pop("per_page", None)
        data["page_size"] = data.get("page_size") or alias or PAGE_SIZE
        return data


class Step(StrictSchema):
    step_id = fields.String(required=True)
    dossier_code = fields.String(required=True)
    procedure_code = fields.String(required=True)
    procedure_name = fields.String(required=True)
    sequence = fields.Integer(required=True)
    attempt = fields.Integer(required=True)
    level = fields.String(required=True)
    unit = fields.String(required=True)
    unit_path = fields.String(required=True)
    agency_id = fields.String(required=True)
    agency_name = fields.String(required=True)
    action = fields.String(required=True)
    budget_hours = fields.Float(required=True)
    status = fields.String(required=True)
    local = fields.Boolean(required=True, metadata={"description": "Xử lý tại hệ thống này (hộp công việc)."})
    assigned_at = fields.AwareDateTime(allow_none=True)
    due_at = fields.AwareDateTime(allow_none=True)
    overdue = fields.Boolean(required=True)
    claimed_by = fields.String(allow_none=True)
    claimed_at = fields.AwareDateTime(allow_none=True)
    completed_at = fields.AwareDateTime(allow_none=True)
    outcome = fields.String(allow_none=True)
    handled_by = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class StepPage(StrictSchema):
    items = fields.List(fields.Nested(Step), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    per_page = fields.Integer(required=True, metadata={
        "deprecated": True, "description": "Bằng page_size; giữ lại cho các ứng dụng viết theo 1.0.0."})
    total = fields.Integer(required=True)


class Completion(StrictSchema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    note = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=2000), metadata={
        "description": "Bắt buộc khi từ chối (lý do) hoặc yêu cầu bổ sung (nội dung cần bổ sung)."})
    legal_ground = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=1000), metadata={
        "description": "Chỉ khi yêu cầu bổ sung lần thứ hai trở đi: căn cứ pháp lý cho phép yêu cầu thêm."})

    @validates_schema
    def _note_unless_approved(self, data, **_kwargs):
        if data.get("outcome") in ("rejected", "supplement_required") and not data.get("note"):
            raise ValidationError("Missing data for required field.", field_name="note")


class Forwarding(StrictSchema):
    to_officer = fields.String(load_default=None, validate=validate.Length(min=1, max=120),
                               metadata={"description": "Định danh (sub) của cán bộ nhận."})
    to_agency = fields.String(load_default=None, validate=validate.Length(min=1, max=60),
                              metadata={"description": "Mã một cơ quan chuyên môn khác của cùng đơn vị."})
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def _exactly_one_target(self, data, **_kwargs):
        if (data.get("to_officer") is None) == (data.get("to_agency") is None):
            raise ValidationError("Cần đúng một trong hai: to_officer hoặc to_agency.", field_name="to_officer")


class SendingBack(StrictSchema):
    note = Text(required=True, validate=validate.Length(min=1, max=2000),
                metadata={"description": "Lý do trả lại bước trước."})
