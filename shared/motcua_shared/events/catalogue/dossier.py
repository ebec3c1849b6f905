"""Events of a dossier's life at the desk, published by intake on exchange `intake.events`.

Intake owns the dossier's status: every change of status is exactly one of these events, and the
`occurred_at` of each is the moment of the change (taken from the data for imported history, never
from the wall clock), so reporting can rebuild any period exactly.
"""
from marshmallow import fields, validate

from .. import registry
from ._base import CHANNELS, RETURN_METHODS, UNIT_CODE, UNIT_PATH, StrictSchema, moment

DOSSIER_SUBMITTED = "vn.motcua.dossier.submitted"
DOSSIER_RECEIVED = "vn.motcua.dossier.received"
DOSSIER_REFUSED = "vn.motcua.dossier.refused"
DOSSIER_REDIRECTED = "vn.motcua.dossier.redirected"
DOSSIER_TRANSFERRED = "vn.motcua.dossier.transferred"
DOSSIER_SUPPLEMENT_REQUESTED = "vn.motcua.dossier.supplement_requested"
DOSSIER_SUPPLEMENT_RECEIVED = "vn.motcua.dossier.supplement_received"
DOSSIER_WITHDRAWAL_REQUESTED = "vn.motcua.dossier.withdrawal_requested"
DOSSIER_WITHDRAWN = "vn.motcua.dossier.withdrawn"
DOSSIER_PROCESSED = "vn.motcua.dossier.processed"
DOSSIER_RETURNED = "vn.motcua.dossier.returned"

CODE = validate.Length(min=8, max=60)


def historical():
    """Set on every event of a dossier an administrator brought in from the past (`received_at` given):
    every service records and counts it; none sends a message, asks for a pickup, apologises or escalates
    for it. Absent in events from before it existed, which are live."""
    return fields.Boolean(load_default=False, metadata={
        "description": "Lịch sử nhập lại: ghi nhận và thống kê, không gửi tin, không gọi bưu chính, không "
                       "xin lỗi hay nhắc hạn."})


class Contact(StrictSchema):
    """What notification and postal need to reach the citizen; never the identity number."""

    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    phone = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=20))
    email = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=254))
    address = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))
    # Absent in events from before it existed: those contacts were treated as trusted, and still are.
    confirmed = fields.Boolean(load_default=True, metadata={
        "description": "false when a citizen typed the phone and e-mail in their own online or postal "
                       "submission and no officer has received the dossier yet: notification sends such a "
                       "contact the submission's receipt only, at most one message per address a day, until "
                       "it is confirmed. true for contacts an officer entered or a desk's acceptance vouched for."})


class DossierFacts(StrictSchema):
    """Everything downstream services need to know about a dossier, sent once when it enters."""

    code = fields.String(required=True, validate=CODE)
    procedure_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    procedure_level = fields.String(load_default=None, allow_none=True,
                                    validate=validate.OneOf(("commune", "district", "province")))
    sector = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    inter_agency = fields.Boolean(load_default=False, metadata={
        "description": "Một cửa liên thông: handled by more than one agency or level; counted once."})
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    receiving_unit = fields.String(required=True, validate=UNIT_CODE)
    receiving_unit_path = fields.String(required=True, validate=UNIT_PATH)
    competent_unit = fields.String(required=True, validate=UNIT_CODE)
    competent_unit_path = fields.String(load_default=None, allow_none=True, validate=UNIT_PATH)
    return_method = fields.String(required=True, validate=validate.OneOf(RETURN_METHODS))
    applicant = fields.Nested(Contact, required=True)
    delivery_address = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=500))
    fee_vnd = fields.Integer(load_default=0, validate=validate.Range(min=0))
    historical = historical()


class DossierSubmitted(DossierFacts):
    """Submitted online or sent by post, not yet accepted at a desk (DVCQG 1)."""

    submitted_at = moment(required=True)


class DossierReceived(DossierFacts):
    """A desk accepted a valid dossier (DVCQG 2): the appointment `due_at` is a legal promise."""

    received_at = moment(required=True)
    due_at = moment(required=True)


class StatusChange(StrictSchema):
    code = fields.String(required=True, validate=CODE)
    occurred_at = moment(required=True)
    actor = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))
    historical = historical()


class DossierRefused(StatusChange):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class DossierRedirected(StatusChange):
    """Not this desk's competence: the citizen is told where to go (no dossier is opened here)."""

    competent_unit = fields.String(required=True, validate=UNIT_CODE)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class DossierTransferred(StatusChange):
    """Handed to the agency that processes it (Decree 61 Art. 16): processing has started (DVCQG 4)."""

    unit = fields.String(load_default=None, allow_none=True, validate=UNIT_CODE,
                         metadata={"description": "The unit of the first processing step."})
    unit_path = fields.String(load_default=None, allow_none=True, validate=UNIT_PATH)


class DossierSupplementRequested(StatusChange):
    stage = fields.String(required=True, validate=validate.OneOf(("reception", "processing")))
    items = fields.List(fields.String(validate=validate.Length(min=1, max=300)), load_default=list)
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    # Decree 61 asks for a supplement once, for the whole list; Decision 766 counts a dossier asked more
    # than once as late. Absent in events from before it was counted.
    request_number = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1), metadata={
        "description": "Which supplement request of this dossier this is (1 for the first, reception and "
                       "processing together); more than 1 makes the dossier late under Decision 766."})
    legal_ground = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000), metadata={
        "description": "For a request after the first: the legal ground the officer recorded for it."})


class DossierSupplementReceived(StatusChange):
    paused_from = moment(required=True)
    due_at = moment(required=True, metadata={"description": "The appointment moved by the working time paused."})


class DossierWithdrawalRequested(StatusChange):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class DossierWithdrawn(StatusChange):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class DossierProcessed(StatusChange):
    """Processing finished (DVCQG 9): the result (a decision, or a reasoned refusal) is at the desk."""

    result = fields.String(required=True, validate=validate.OneOf(("approved", "rejected")))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    due_at = moment(required=True)


class DossierReturned(StatusChange):
    method = fields.String(required=True, validate=validate.OneOf(RETURN_METHODS))


_CONTACT = {"full_name": "Lò Văn Hùng", "phone": "0912345678", "email": None, "address": "Bản Hưng Mai"}
_FACTS = {
    "code": "H52.04222-190315-0001", "procedure_code": "1.004873", "procedure_level": "commune",
    "sector": "Hộ tịch", "inter_agency": False, "channel": "counter", "receiving_unit": "04222",
    "receiving_unit_path": "14.126.04222", "competent_unit": "04222", "competent_unit_path": "14.126.04222",
    "return_method": "counter", "applicant": _CONTACT, "delivery_address": None, "fee_vnd": 10000,
}
_CHANGE = {"code": "H52.04222-190315-0001", "occurred_at": "2019-03-18T09:00:00+07:00", "actor": "officer-7"}

for _type, _schema, _summary, _example in (
    (DOSSIER_SUBMITTED, DossierSubmitted, "Submitted online or by post; awaiting acceptance at a desk.",
     {**_FACTS, "channel": "online", "submitted_at": "2019-03-15T08:10:00+07:00"}),
    (DOSSIER_RECEIVED, DossierReceived, "A desk accepted a valid dossier: it has a code, an appointment and a receipt.",
     {**_FACTS, "received_at": "2019-03-15T08:30:00+07:00", "due_at": "2019-03-20T08:30:00+07:00"}),
    (DOSSIER_REFUSED, DossierRefused, "Refused at reception, with the reasons (Mẫu 03).",
     {**_CHANGE, "reason": "Hồ sơ không thuộc trường hợp được giải quyết."}),
    (DOSSIER_REDIRECTED, DossierRedirected, "Not this desk's competence; the citizen was directed elsewhere.",
     {**_CHANGE, "competent_unit": "126", "reason": "Thuộc thẩm quyền UBND huyện."}),
    (DOSSIER_TRANSFERRED, DossierTransferred, "Handed to the processing agency; processing has started (DVCQG 4).",
     {**_CHANGE, "actor": "routing", "unit": "04222", "unit_path": "14.126.04222"}),
    (DOSSIER_SUPPLEMENT_REQUESTED, DossierSupplementRequested,
     "Incomplete: a supplement is requested (Mẫu 02); the deadline clock is paused.",
     {**_CHANGE, "stage": "processing", "items": ["Bản sao Giấy khai sinh"], "note": "Thiếu bản sao Giấy khai sinh."}),
    (DOSSIER_SUPPLEMENT_RECEIVED, DossierSupplementReceived, "The supplement arrived; the clock runs again.",
     {**_CHANGE, "paused_from": "2019-03-16T10:00:00+07:00", "due_at": "2019-03-22T08:30:00+07:00"}),
    (DOSSIER_WITHDRAWAL_REQUESTED, DossierWithdrawalRequested, "The citizen asked to withdraw the dossier.",
     {**_CHANGE, "reason": "Công dân không còn nhu cầu."}),
    (DOSSIER_WITHDRAWN, DossierWithdrawn, "Withdrawal confirmed; processing stopped (DVCQG 8).",
     {**_CHANGE, "reason": "Công dân không còn nhu cầu."}),
    (DOSSIER_PROCESSED, DossierProcessed, "Processing finished; the result is at the receiving desk (DVCQG 9).",
     {**_CHANGE, "result": "approved", "note": None, "due_at": "2019-03-20T08:30:00+07:00"}),
    (DOSSIER_RETURNED, DossierReturned, "The result is in the citizen's hands (DVCQG 10).",
     {**_CHANGE, "method": "counter"}),
):
    registry.register(_type, _schema, summary=_summary, example=_example, producer="intake")
