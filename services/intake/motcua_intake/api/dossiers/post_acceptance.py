"""POST /api/v1/dossiers/{code}/acceptance: the desk accepts a submitted dossier (valid: Mẫu 01)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import reception
from ...app import desk
from . import CODE_PATH, DESK, blp
from .responses import dossier_detail
from .schemas import DossierDetail, Moment


@blp.route(f"{CODE_PATH}/acceptance")
class Acceptance(MethodView):
    @require(*DESK)
    @blp.arguments(Moment)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Tiếp nhận hồ sơ đã nộp

        The dossier was submitted (online, by post, or recorded at the counter for checking) or waited for
        a supplement asked at reception: it is now received, with its appointment and logbook number, and
        the receipt (Mẫu 01) can be printed. 409 `invalid_transition` from any other status.
        """
        with runtime().sessions.begin() as session:
            dossier = reception.accept(
                session, desk(), current_principal(), code, occurred_at=body["occurred_at"])
            return dossier_detail(session, dossier)
