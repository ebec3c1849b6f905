"""The competent agency stops processing a dossier (dừng xử lý, DVCQG 8), published by intake on
`intake.events`.

Distinct from a withdrawal (`dossier.withdrawn`, also DVCQG 8, asked by the citizen) and from a
result that refuses (`dossier.processed` with `result: rejected`): the agency ends the case without a
decision, for a stated reason, and the citizen receives the written notice of the stop (Thông báo dừng
giải quyết hồ sơ, Circular 03/2025 Appendix I item 5).
"""
from marshmallow import fields, validate

from .. import registry
from ._base import UNIT_CODE
from .dossier import StatusChange

DOSSIER_STOPPED = "vn.motcua.dossier.stopped"

# Why processing stops; `reason` says it in the officer's words, printed on the notice.
STOP_GROUNDS = (
    "outside_competence",       # không thuộc thẩm quyền giải quyết
    "supplement_not_provided",  # không bổ sung, hoàn thiện hồ sơ theo yêu cầu
    "court_proceedings",        # có tranh chấp, vụ việc đang được Tòa án giải quyết
    "not_eligible",             # không đủ điều kiện giải quyết theo quy định
    "other",                    # lý do khác, nêu trong `reason`
)

# How the notice and the messages name each ground.
GROUND_LABELS = {
    "outside_competence": "Không thuộc thẩm quyền giải quyết",
    "supplement_not_provided": "Không bổ sung, hoàn thiện hồ sơ theo yêu cầu",
    "court_proceedings": "Vụ việc đang được Tòa án hoặc cơ quan có thẩm quyền giải quyết",
    "not_eligible": "Không đủ điều kiện giải quyết theo quy định",
    "other": "Lý do khác",
}


class DossierStopped(StatusChange):
    """The competent agency stopped processing (DVCQG 8): the dossier is ended without a result."""

    ground = fields.String(required=True, validate=validate.OneOf(STOP_GROUNDS))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000), metadata={
        "description": "The reasons, in the words of the notice of the stop."})
    unit = fields.String(load_default=None, allow_none=True, validate=UNIT_CODE, metadata={
        "description": "The unit of the agency that stopped it (the competent unit unless said otherwise)."})


registry.register(
    DOSSIER_STOPPED, DossierStopped, producer="intake",
    summary="The competent agency stopped processing, with its reason; the notice of the stop is the result.",
    example={"code": "H52.04222-190315-0001", "occurred_at": "2019-03-19T10:00:00+07:00", "actor": "officer-7",
             "ground": "court_proceedings", "reason": "Đất đang có tranh chấp, Tòa án nhân dân huyện đã thụ lý.",
             "unit": "126"})
