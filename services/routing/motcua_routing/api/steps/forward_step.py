"""POST /api/v1/steps/{step_id}/forward: hand the step to another officer or agency (chuyển xử lý)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import HANDLERS, current_principal, require

from ... import clock, work
from ...views import step_view
from . import blp
from .schemas import Forwarding, Step


@blp.route("/<string:step_id>/forward")
class ForwardStep(MethodView):
    @require(*HANDLERS)
    @blp.arguments(Forwarding)
    @blp.response(200, Step)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, step_id):
        """Chuyển xử lý

        To another officer (`to_officer`, who then holds it) or to another agency of the same unit
        (`to_agency`, whose inbox then has it unclaimed). The holder of the step, or a leader of the
        scope, may forward it. The hand-over is recorded in the control log.
        """
        rt = runtime()
        with rt.sessions.begin() as session:
            route, step = work.forward(session, rt, current_principal(), step_id, to_officer=body["to_officer"],
                                       to_agency=body["to_agency"], note=body["note"])
        return step_view(step, route["procedure_code"], clock.now(rt.settings))
