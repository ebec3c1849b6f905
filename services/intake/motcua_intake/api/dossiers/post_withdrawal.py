"""POST /api/v1/dossiers/{code}/withdrawal: the desk confirms a withdrawal; processing stops."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import withdrawals
from ...app import desk
from . import CODE_PATH, DESK, blp
from .responses import dossier_detail
from .schemas import DossierDetail, Note


@blp.route(f"{CODE_PATH}/withdrawal")
class Withdrawal(MethodView):
    @require(*DESK)
    @blp.arguments(Note)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Xác nhận rút hồ sơ

        The papers go back to the citizen and processing stops (DVCQG 8). Only after a withdrawal request.
        """
        with runtime().sessions.begin() as session:
            dossier = withdrawals.confirm(
                session, desk(), current_principal(), code, note=body["note"], occurred_at=body["occurred_at"])
            return dossier_detail(session, dossier)
