"""GET /api/v1/dossiers/{code}: one dossier with its history, for an officer in scope or its citizen."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import actions, lifecycle, scope
from ...app import desk
from . import CODE_PATH, OFFICERS_AND_CITIZENS, blp
from .responses import dossier_detail
from .schemas import DossierDetail


@blp.route(CODE_PATH)
class DossierView(MethodView):
    @require(*OFFICERS_AND_CITIZENS)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def get(self, code):
        """Chi tiết hồ sơ và quá trình xử lý

        A dossier outside the caller's scope answers 404, exactly like a code that does not exist.
        """
        principal = current_principal()
        with runtime().sessions() as session:
            dossier = lifecycle.load(session, code)
            if dossier is None or not scope.can_read(principal, dossier, desk().identities):
                raise actions.not_found()
            return dossier_detail(session, dossier)
