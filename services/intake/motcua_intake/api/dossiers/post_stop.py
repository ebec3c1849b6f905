"""POST /api/v1/dossiers/{code}/stop: the competent agency stops processing (DVCQG 8), with its reason."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import stops
from ...app import desk
from . import AGENCY, CODE_PATH, blp
from .responses import dossier_detail
from .schemas import DossierDetail, Stop


@blp.route(f"{CODE_PATH}/stop")
class StopAction(MethodView):
    @require(*AGENCY)
    @blp.arguments(Stop)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Dừng xử lý hồ sơ

        The competent agency ends the case without a decision (not its competence, no supplement came, a
        court is dealing with it, not eligible): `reason` is required and is printed on the notice of the
        stop, the result handed back (GET `stop-notice`). Allowed while the dossier is being processed
        (received, in progress, awaiting a supplement or a payment, withdrawal asked); recorded by the desk
        of the receiving unit or by an officer (specialist, leader) of the competent unit or above it.
        """
        with runtime().sessions.begin() as session:
            dossier = stops.stop(session, desk(), current_principal(), code, ground=body["ground"],
                                 reason=body["reason"], occurred_at=body["occurred_at"])
            return dossier_detail(session, dossier)
