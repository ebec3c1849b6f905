"""POST /api/v1/steps/{step_id}/send-back: return the dossier to the previous step (trả lại)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import HANDLERS, current_principal, require

from ... import clock, work
from ...views import step_view
from . import blp
from .schemas import SendingBack, Step


@blp.route("/<string:step_id>/send-back")
class SendBackStep(MethodView):
    @require(*HANDLERS)
    @blp.arguments(SendingBack)
    @blp.response(200, Step)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, step_id):
        """Trả lại bước trước

        The previous step of the plan is given again to its agency with the reason; this step is
        given again after it. 409 `no_previous_step` on the first step.
        """
        rt = runtime()
        with rt.sessions.begin() as session:
            route, step = work.send_back(session, rt, current_principal(), step_id, note=body["note"])
        return step_view(step, route["procedure_code"], clock.now(rt.settings))
