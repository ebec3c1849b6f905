"""GET /api/v1/routes/{dossier_code}: a dossier's route, its steps and its control log (Mẫu 05)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import OFFICERS, current_principal, require

from ... import clock, inbox
from ...views import route_view
from . import blp
from .schemas import Route


@blp.route("/<string:dossier_code>")
class RouteOfDossier(MethodView):
    @require(*OFFICERS)
    @blp.response(200, Route)
    @blp.doc(security=[{"bearer": []}])
    def get(self, dossier_code):
        """Quy trình và phiếu kiểm soát của hồ sơ

        Visible to officers whose scope holds the receiving unit or the unit of one of the steps.
        """
        rt = runtime()
        with rt.sessions() as session:
            route, steps = inbox.visible_route(session, current_principal(), dossier_code)
            log = inbox.handovers_of(session, route["id"])
        return route_view(route, steps, log, clock.now(rt.settings))
