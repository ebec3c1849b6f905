"""POST /api/v1/dossiers/{code}/withdrawal-request: the citizen asks to withdraw the dossier."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import withdrawals
from ...app import desk
from . import CODE_PATH, blp
from .responses import dossier_detail
from .schemas import DossierDetail, WithdrawalRequest


@blp.route(f"{CODE_PATH}/withdrawal-request")
class WithdrawalRequestAction(MethodView):
    @require("receptionist", "admin", "citizen")
    @blp.arguments(WithdrawalRequest)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Công dân yêu cầu rút hồ sơ

        By the citizen for their own dossier, or by the desk on their behalf. The desk then confirms.
        """
        with runtime().sessions.begin() as session:
            dossier = withdrawals.request(
                session, desk(), current_principal(), code, reason=body["reason"], occurred_at=body["occurred_at"])
            return dossier_detail(session, dossier)
