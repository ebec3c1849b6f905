"""Request and response bodies of /api/v1/routes."""
from marshmallow import fields, validate

from motcua_shared.web.fields import StrictSchema, Text

from ..steps.schemas import Step


class Handover(StrictSchema):
    """A row of the control log (Phiếu kiểm soát quá trình giải quyết hồ sơ, Mẫu 05)."""

    kind = fields.String(required=True)
    label = fields.String(required=True)
    step_id = fields.String(allow_none=True)
    from_party = fields.String(required=True, metadata={"description": "Cơ quan, bộ phận giao."})
    from_person = fields.String(allow_none=True, metadata={"description": "Người giao."})
    to_party = fields.String(required=True, metadata={"description": "Cơ quan, bộ phận nhận."})
    to_person = fields.String(allow_none=True, metadata={"description": "Người nhận."})
    occurred_at = fields.AwareDateTime(required=True)
    result = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class Route(StrictSchema):
    dossier_code = fields.String(required=True)
    procedure_code = fields.String(required=True)
    procedure_name = fields.String(required=True)
    status = fields.String(required=True, metadata={
        "description": "in_progress, awaiting_supplement, completed or stopped."})
    outcome = fields.String(allow_none=True)
    hierarchy = fields.String(required=True)
    variant = fields.String(required=True)
    channel = fields.String(required=True)
    receiving_unit = fields.String(required=True)
    competent_unit = fields.String(required=True)
    received_at = fields.AwareDateTime(required=True)
    original_due_at = fields.AwareDateTime(required=True)
    due_at = fields.AwareDateTime(required=True)
    overdue = fields.Boolean(required=True)
    completed_at = fields.AwareDateTime(allow_none=True)
    stopped_at = fields.AwareDateTime(allow_none=True)
    paused_at = fields.AwareDateTime(allow_none=True)
    apology_issued_at = fields.AwareDateTime(allow_none=True)
    historical = fields.Boolean(required=True, metadata={
        "description": "Hồ sơ nhập lại từ lịch sử: ghi nhận và thống kê, không nhắc hạn, không xin lỗi hay "
                       "hẹn lại ngày trả kết quả."})
    steps = fields.List(fields.Nested(Step), required=True)
    handovers = fields.List(fields.Nested(Handover), required=True)


class Apology(StrictSchema):
    reason = Text(required=True, validate=validate.Length(min=1, max=2000),
                  metadata={"description": "Lý do chậm trả kết quả, ghi trên phiếu xin lỗi."})
    new_due_at = fields.AwareDateTime(required=True, metadata={"description": "Ngày hẹn trả kết quả mới."})
