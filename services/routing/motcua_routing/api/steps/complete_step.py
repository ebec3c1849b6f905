"""POST /api/v1/steps/{step_id}/complete: the step's outcome (approved, rejected, supplement required)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import HANDLERS, current_principal, require

from ... import clock, work
from ...views import step_view
from . import blp
from .schemas import Completion, Step


@blp.route("/<string:step_id>/complete")
class CompleteStep(MethodView):
    @require(*HANDLERS)
    @blp.arguments(Completion)
    @blp.response(200, Step)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, step_id):
        """Hoàn thành bước xử lý

        approved passes the dossier to the next step (or back to the desk with the result after the
        last one); rejected ends the route with the reason in `note`; supplement_required pauses the
        clock until the citizen supplements (what is missing in `note`). The caller must hold the step. A
        supplement is asked for once: a second `supplement_required` on the same dossier answers 409
        `supplement_already_requested` unless `legal_ground` records what allows it.
        """
        rt = runtime()
        with rt.sessions.begin() as session:
            route, step = work.complete(session, rt, current_principal(), step_id, outcome=body["outcome"],
                                        note=body["note"], legal_ground=body["legal_ground"])
        return step_view(step, route["procedure_code"], clock.now(rt.settings))
