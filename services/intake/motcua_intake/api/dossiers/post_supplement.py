"""POST /api/v1/dossiers/{code}/supplement: the supplement asked for during processing has arrived."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import supplements
from ...app import desk
from . import CODE_PATH, DESK, blp
from .responses import dossier_detail
from .schemas import DossierDetail, Note


@blp.route(f"{CODE_PATH}/supplement")
class SupplementReceived(MethodView):
    @require(*DESK)
    @blp.arguments(Note)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Tiếp nhận hồ sơ bổ sung

        The clock runs again: the appointment moves by the working time the dossier waited (from the
        request to now), and processing continues. 409 when no supplement is awaited during processing.
        """
        with runtime().sessions.begin() as session:
            dossier = supplements.received_at_desk(
                session, desk(), current_principal(), code, note=body["note"], occurred_at=body["occurred_at"])
            return dossier_detail(session, dossier)
