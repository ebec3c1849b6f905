"""POST /api/v1/dossiers/{code}/redirection: not this desk's competence; the citizen is sent to the competent unit."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import reception
from ...app import desk
from . import CODE_PATH, DESK, blp
from .responses import dossier_detail
from .schemas import DossierDetail, Redirection


@blp.route(f"{CODE_PATH}/redirection")
class Redirection(MethodView):
    @require(*DESK)
    @blp.arguments(Redirection)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Hồ sơ không thuộc thẩm quyền: hướng dẫn công dân

        Only before the dossier is received; it ends as not received (refused, DVCQG 3) with the unit
        the citizen was directed to.
        """
        with runtime().sessions.begin() as session:
            dossier = reception.redirect(
                session, desk(), current_principal(), code, competent_unit=body["competent_unit"],
                reason=body["reason"], occurred_at=body["occurred_at"])
            return dossier_detail(session, dossier)
