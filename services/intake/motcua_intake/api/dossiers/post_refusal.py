"""POST /api/v1/dossiers/{code}/refusal: refused at reception, with the reasons (Mẫu 03)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import reception
from ...app import desk
from . import CODE_PATH, DESK, blp
from .responses import dossier_detail
from .schemas import DossierDetail, Refusal


@blp.route(f"{CODE_PATH}/refusal")
class Refusal(MethodView):
    @require(*DESK)
    @blp.arguments(Refusal)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Từ chối tiếp nhận hồ sơ

        Only before the dossier is received. Print Mẫu 03 from GET on the same address.
        """
        with runtime().sessions.begin() as session:
            dossier = reception.refuse(
                session, desk(), current_principal(), code, reason=body["reason"], occurred_at=body["occurred_at"])
            return dossier_detail(session, dossier)
