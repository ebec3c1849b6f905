"""POST /api/v1/dossiers/{code}/supplement-request: incomplete at reception, a supplement is asked for (Mẫu 02)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import reception
from ...app import desk
from . import CODE_PATH, DESK, blp
from .responses import dossier_detail
from .schemas import DossierDetail, SupplementRequest


@blp.route(f"{CODE_PATH}/supplement-request")
class SupplementRequestAction(MethodView):
    @require(*DESK)
    @blp.arguments(SupplementRequest)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Yêu cầu bổ sung, hoàn thiện hồ sơ khi tiếp nhận

        Only for a submitted dossier: it is not received and no clock runs; once the citizen completes it
        the desk accepts (or refuses) it. Print Mẫu 02 from GET on the same address. A supplement is asked
        for once, for the whole list (Decree 61): a further request answers 409
        `supplement_already_requested` unless `legal_ground` records what allows it.
        """
        with runtime().sessions.begin() as session:
            dossier = reception.request_supplement(
                session, desk(), current_principal(), code, note=body["note"], items=body["items"],
                occurred_at=body["occurred_at"], legal_ground=body["legal_ground"])
            return dossier_detail(session, dossier)
