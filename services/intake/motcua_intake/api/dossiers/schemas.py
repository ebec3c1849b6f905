"""Request and response bodies of /api/v1/dossiers (docs/contracts.md §5)."""
from datetime import datetime, timezone

from marshmallow import ValidationError, fields, validate, validates_schema

from motcua_shared.events.catalogue.payment import OBLIGATIONS, PAYMENT_METHODS
from motcua_shared.events.catalogue.stop import STOP_GROUNDS
from motcua_shared.patterns import UNIT_CODE, Pattern
from motcua_shared.statuses import STATUSES
from motcua_shared.web.fields import StrictSchema, Text

CHANNELS = ("counter", "online", "postal")
RETURN_METHODS = ("counter", "postal", "online")
COPY_TYPES = ("original", "copy", "electronic")


def _utc_representable(value: datetime) -> None:
    """0001-01-01T00:00+14:00 is a valid timestamp but lies before year 1 in UTC, which Python cannot hold:
    refused here, the conversion to UTC further on would fail (a 500)."""
    try:
        value.astimezone(timezone.utc)
    except OverflowError:
        raise ValidationError("code=out_of_range: Thời điểm nằm ngoài khoảng năm 1 đến năm 9999 (giờ UTC).") from None


# marshmallow's own messages are kept: the shared error mapping turns them into stable machine codes
# (invalid_format here); the field descriptions in the OpenAPI document say the rule in words.
# CCCD has 12 digits; the older CMND 9, still found in imported historical dossiers.
ID_NUMBER = Pattern(r"^(\d{12}|\d{9})$")
PHONE = Pattern(r"^(0|\+84)(3|5|7|8|9)\d{8}$")
REASON = validate.Length(min=1, max=2000)
OCCURRED_AT = {"validate": _utc_representable, "metadata": {
    "description": "Chỉ quản trị viên (admin), khi nhập hồ sơ lịch sử: thời điểm của việc này. "
                   "Không được ở tương lai, không trước lần chuyển trạng thái gần nhất của hồ sơ."}}


class Applicant(StrictSchema):
    full_name = Text(required=True, validate=validate.Length(min=1, max=200))
    id_number = fields.String(required=True, validate=ID_NUMBER,
                              metadata={"description": "Số định danh cá nhân: 12 chữ số (CMND cũ: 9)."})
    phone = fields.String(load_default=None, allow_none=True, validate=PHONE,
                          metadata={"description": "Số di động: 0 hoặc +84, rồi 9 chữ số bắt đầu bằng 3, 5, 7, 8, 9."})
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
    status = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(("received", "submitted")),
                           metadata={"description": "Cán bộ: received (mặc định, tiếp nhận ngay) hoặc submitted "
                                                    "(ghi nhận để kiểm tra rồi quyết định). Công dân: luôn submitted."})
    received_at = fields.AwareDateTime(load_default=None, allow_none=True, validate=_utc_representable, metadata={
        "description": "Chỉ quản trị viên (admin): thời điểm tiếp nhận của hồ sơ lịch sử được nhập lại."})
    historical = fields.Boolean(load_default=None, allow_none=True, metadata={
        "description": "Chỉ cùng `received_at`: true (mặc định) là hồ sơ lịch sử, được ghi nhận và thống kê, không "
                       "gửi tin, không gọi bưu chính, không nhắc hạn hay xin lỗi; false là hồ sơ đang giải quyết "
                       "được nhập muộn (ví dụ sau một lần mất mạng), được xử lý như mọi hồ sơ."})

    @validates_schema
    def _postal_return_needs_address(self, data, **_kwargs):
        if data.get("return_method") == "postal" and not data.get("delivery_address"):
            raise ValidationError("Missing data for required field.", field_name="delivery_address")


class DossierCreated(StrictSchema):
    code = fields.String(required=True)
    status = fields.String(required=True)
    dvcqg_status = fields.Integer(required=True)
    submitted_at = fields.AwareDateTime(required=True)
    received_at = fields.AwareDateTime(required=True, allow_none=True,
                                       metadata={"description": "None while the dossier awaits the desk (submitted)."})
    due_at = fields.AwareDateTime(required=True, allow_none=True,
                                  metadata={"description": "The appointment (ngày hẹn trả kết quả)."})
    receipt_url = fields.String(required=True, metadata={
        "description": "The receipt (Mẫu 01), printable once the dossier is received."})


# -- desk actions ----------------------------------------------------------------------------------
class Moment(StrictSchema):
    occurred_at = fields.AwareDateTime(load_default=None, allow_none=True, **OCCURRED_AT)


class SupplementRequest(Moment):
    note = Text(required=True, validate=REASON, metadata={"description": "What is missing and why (Mẫu 02)."})
    items = fields.List(Text(validate=validate.Length(min=1, max=300)), load_default=list,
                        validate=validate.Length(max=30))
    legal_ground = Text(load_default=None, allow_none=True, validate=validate.Length(min=1, max=2000), metadata={
        "description": "Only for a request after the first (Decree 61: once, for the whole list): the legal "
                       "ground that allows it. Without it a second request answers 409 "
                       "`supplement_already_requested`."})


class Stop(Moment):
    ground = fields.String(required=True, validate=validate.OneOf(STOP_GROUNDS), metadata={
        "description": "outside_competence, supplement_not_provided, court_proceedings, not_eligible or other."})
    reason = Text(required=True, validate=REASON, metadata={
        "description": "The reasons, printed on the notice of the stop (Thông báo dừng giải quyết hồ sơ)."})


class PaymentRequest(Moment):
    obligation = fields.String(required=True, validate=validate.OneOf(OBLIGATIONS), metadata={
        "description": "fee (phí), charge (lệ phí) or tax (thuế, tiền sử dụng đất)."})
    amount_vnd = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10**13))
    purpose = Text(required=True, validate=validate.Length(min=1, max=500), metadata={
        "description": "What the amount is for, as the citizen is told."})


class Payment(Moment):
    method = fields.String(required=True, validate=validate.OneOf(PAYMENT_METHODS))
    receipt_number = Text(required=True, validate=validate.Length(min=1, max=50), metadata={
        "description": "The number of the receipt (biên lai) or of the online transaction."})
    amount_vnd = fields.Integer(load_default=None, allow_none=True, strict=True,
                                validate=validate.Range(min=1, max=10**13), metadata={
                                    "description": "When given, must equal the amount asked for."})
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class Refusal(Moment):
    reason = Text(required=True, validate=REASON, metadata={"description": "The reasons, printed on Mẫu 03."})


class Redirection(Moment):
    competent_unit = fields.String(required=True, validate=UNIT_CODE)
    reason = Text(required=True, validate=REASON)


class Note(Moment):
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class WithdrawalRequest(Moment):
    reason = Text(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class ResultReturn(Note):
    method = fields.String(required=True, validate=validate.OneOf(("counter", "online")), metadata={
        "description": "counter or online; a result sent by post is returned when the post delivers it."})


# -- reading ---------------------------------------------------------------------------------------
class DossierQuery(StrictSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    status = fields.String(validate=validate.OneOf(STATUSES))
    procedure = fields.String(validate=validate.Length(min=1, max=40))
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    unit = fields.String(validate=UNIT_CODE, metadata={"description": "Received at this unit or below it."})
    received_from = fields.Date(metadata={"description": "First day (local time), inclusive."})
    received_to = fields.Date(metadata={"description": "Last day (local time), inclusive."})
    q = Text(validate=validate.Length(min=1, max=100),
             metadata={"description": "Part of the applicant's name or of the code; accents and case ignored."})
    postal_issue = fields.Boolean(metadata={"description": "Only dossiers whose postal delivery failed (true)."})
    acceptance_overdue = fields.Boolean(metadata={
        "description": "Only submissions still awaiting the desk past their time limit (true), or none of them."})

    @validates_schema
    def _period(self, data, **_kwargs):
        if data.get("received_from") and data.get("received_to") and data["received_from"] > data["received_to"]:
            raise ValidationError("Must be on or after received_from.", field_name="received_to")


class UnitRef(StrictSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class ProcedureRef(StrictSchema):
    code = fields.String(required=True)
    name = fields.String(required=True)


class DossierSummary(StrictSchema):
    code = fields.String(required=True)
    procedure = fields.Nested(ProcedureRef, required=True)
    channel = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    dvcqg_status = fields.Integer(required=True)
    receiving_unit = fields.Nested(UnitRef, required=True)
    applicant_name = fields.String(required=True)
    submitted_at = fields.AwareDateTime(required=True)
    received_at = fields.AwareDateTime(required=True, allow_none=True)
    due_at = fields.AwareDateTime(required=True, allow_none=True)
    rescheduled_due_at = fields.AwareDateTime(required=True, allow_none=True, metadata={
        "description": "The new date of an apology (Mẫu 04); `due_at` stays the appointment reports judge by."})
    overdue = fields.Boolean(required=True, metadata={"description": "Still open and past `due_at` (pauses excluded)."})
    postal_issue = fields.String(required=True, allow_none=True, metadata={
        "description": "failed or returned: the post could not deliver; the desk must act."})


    acceptance_due_at = fields.AwareDateTime(required=True, allow_none=True, metadata={
        "description": "An online or postal submission: when the desk must have accepted or refused it."})
    acceptance_overdue = fields.Boolean(required=True, metadata={
        "description": "Still submitted and past `acceptance_due_at`."})
    acceptance_minutes_left = fields.Integer(required=True, allow_none=True, metadata={
        "description": "Working minutes the desk has left to accept it (negative: past the limit)."})
    supplement_requests = fields.Integer(required=True, metadata={
        "description": "Supplement requests made (reception and processing); more than 1 is late under "
                       "Decision 766."})


class DossierPage(StrictSchema):
    items = fields.List(fields.Nested(DossierSummary), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)


class ApplicantView(StrictSchema):
    full_name = fields.String(required=True)
    id_number = fields.String(required=True)
    phone = fields.String(required=True, allow_none=True)
    email = fields.String(required=True, allow_none=True)
    address = fields.String(required=True, allow_none=True)


class HistoryEntry(StrictSchema):
    action = fields.String(required=True)
    status = fields.String(required=True)
    occurred_at = fields.AwareDateTime(required=True)
    actor = fields.String(required=True)
    actor_name = fields.String(required=True, allow_none=True)
    unit = fields.String(required=True, allow_none=True)
    ref = fields.String(required=True, allow_none=True)
    note = fields.String(required=True, allow_none=True)
    details = fields.Dict(required=True, allow_none=True)


class PaymentView(StrictSchema):
    obligation = fields.String(required=True)
    amount_vnd = fields.Integer(required=True)
    purpose = fields.String(required=True)
    requested_at = fields.AwareDateTime(required=True)
    paid_at = fields.AwareDateTime(required=True, allow_none=True)
    method = fields.String(required=True, allow_none=True)
    receipt_number = fields.String(required=True, allow_none=True)


class DossierDetail(DossierSummary):
    competent_unit = fields.Nested(UnitRef, required=True)
    applicant = fields.Nested(ApplicantView, required=True)
    return_method = fields.String(required=True)
    delivery_address = fields.String(required=True, allow_none=True)
    documents = fields.List(fields.Nested(Document), required=True)
    fee_vnd = fields.Integer(required=True)
    paused_from = fields.AwareDateTime(required=True, allow_none=True)
    supplement_stage = fields.String(required=True, allow_none=True)
    redirected_to = fields.String(required=True, allow_none=True)
    result = fields.String(required=True, allow_none=True)
    processed_at = fields.AwareDateTime(required=True, allow_none=True)
    returned_at = fields.AwareDateTime(required=True, allow_none=True)
    returned_by = fields.String(required=True, allow_none=True)
    postal_issue_at = fields.AwareDateTime(required=True, allow_none=True)
    logbook_number = fields.Integer(required=True, allow_none=True)
    stop_ground = fields.String(required=True, allow_none=True)
    stop_reason = fields.String(required=True, allow_none=True)
    stopped_at = fields.AwareDateTime(required=True, allow_none=True)
    payment = fields.Nested(PaymentView, required=True, allow_none=True, metadata={
        "description": "The financial obligation asked for (DVCQG 6) and how it was paid."})
    historical = fields.Boolean(required=True, metadata={
        "description": "Hồ sơ lịch sử do quản trị viên nhập lại (có `received_at`): được ghi nhận và thống kê, "
                       "không gửi tin, không gọi bưu chính, không xin lỗi hay nhắc hạn."})
    receipt_url = fields.String(required=True)
    history = fields.List(fields.Nested(HistoryEntry), required=True)
