"""POST /api/v1/steps/{step_id}/claim: take a step of the inbox to work on it (nhận xử lý)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import HANDLERS, current_principal, require

from ... import clock, work
from ...views import step_view
from . import blp
from .schemas import Step


@blp.route("/<string:step_id>/claim")
class ClaimStep(MethodView):
    @require(*HANDLERS)
    @blp.response(200, Step)
    @blp.doc(security=[{"bearer": []}])
    def post(self, step_id):
        """Nhận xử lý

        Idempotent for the officer who holds the step; 409 `step_claimed_by_other` when someone else
        does; approve and sign steps are for leaders (403 `leader_required`).
        """
        rt = runtime()
        with rt.sessions.begin() as session:
            route, step = work.claim(session, rt, current_principal(), step_id)
        return step_view(step, route["procedure_code"], clock.now(rt.settings))
