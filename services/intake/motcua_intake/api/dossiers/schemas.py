"""Request and response bodies of /api/v1/dossiers (contracts.md §5)."""
from marshmallow import ValidationError, fields, validate, validates_schema

from motcua_shared.web.fields import StrictSchema, Text

CHANNELS = ("counter", "online", "postal")
RETURN_METHODS = ("counter", "postal", "online")
COPY_TYPES = ("original", "copy", "electronic")
UNIT_CODE = validate.Regexp(r"^(\d{2}|\d{3}|\d{5})$", error="Mã đơn vị hành chính không đúng định dạng.")
# CCCD has 12 digits; the older CMND 9, still found in imported historical dossiers.
ID_NUMBER = validate.Regexp(r"^(\d{12}|\d{9})$", error="Số định danh cá nhân phải có 12 chữ số (hoặc CMND 9 số).")
PHONE = validate.Regexp(r"^(0|\+84)(3|5|7|8|9)\d{8}$", error="Số điện thoại di động không đúng định dạng.")


class Applicant(StrictSchema):
    full_name = Text(required=True, validate=validate.Length(min=1, max=200))
    id_number = fields.String(required=True, validate=ID_NUMBER)
    phone = fields.String(load_default=None, allow_none=True, validate=PHONE)
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    address = Text(load_default=None, allow_none=True, validate=validate.Length(max=500))


class Document(StrictSchema):
    name = Text(required=True, validate=validate.Length(min=1, max=300))
    copy_type = fields.String(required=True, validate=validate.OneOf(COPY_TYPES))
    count = fields.Integer(load_default=1, strict=True, validate=validate.Range(min=1, max=100))


class DossierCreate(StrictSchema):
    procedure_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    receiving_unit = fields.String(required=True, validate=UNIT_CODE)
    competent_unit = fields.String(load_default=None, allow_none=True, validate=UNIT_CODE)
    applicant = fields.Nested(Applicant, required=True)
    return_method = fields.String(required=True, validate=validate.OneOf(RETURN_METHODS))
    delivery_address = Text(load_default=None, allow_none=True, validate=validate.Length(min=5, max=500))
    documents = fields.List(fields.Nested(Document), load_default=list, validate=validate.Length(max=50))
    received_at = fields.AwareDateTime(load_default=None, allow_none=True, metadata={
        "description": "Chỉ quản trị viên (admin): thời điểm tiếp nhận của hồ sơ lịch sử được nhập lại."})

    @validates_schema
    def _postal_return_needs_address(self, data, **_kwargs):
        if data.get("return_method") == "postal" and not data.get("delivery_address"):
            raise ValidationError("Missing data for required field.", field_name="delivery_address")


class DossierCreated(StrictSchema):
    code = fields.String(required=True)
    status = fields.String(required=True)
    dvcqg_status = fields.Integer(required=True)
    received_at = fields.AwareDateTime(required=True)
    due_at = fields.AwareDateTime(required=True)
    receipt_url = fields.String(required=True)
