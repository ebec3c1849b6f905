"""POST /api/v1/dossiers/{code}/return: the result is handed to the citizen."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import returns
from ...app import desk
from . import CODE_PATH, DESK, blp
from .responses import dossier_detail
from .schemas import DossierDetail, ResultReturn


@blp.route(f"{CODE_PATH}/return")
class ResultReturnAction(MethodView):
    @require(*DESK)
    @blp.arguments(ResultReturn)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Trả kết quả cho công dân

        At the counter or online. Only a processed dossier (result at the desk) can be returned: 409
        `invalid_transition` otherwise. A result sent by post is returned when the post delivers it.
        """
        with runtime().sessions.begin() as session:
            dossier = returns.returned_at_desk(
                session, desk(), current_principal(), code, method=body["method"], note=body["note"],
                occurred_at=body["occurred_at"])
            return dossier_detail(session, dossier)
