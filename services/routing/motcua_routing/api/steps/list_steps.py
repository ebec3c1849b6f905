"""GET /api/v1/steps: the work inbox of the officer's unit and the units below it."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import OFFICERS, current_principal, require

from ... import clock, inbox
from ...views import step_view
from . import blp
from .schemas import StepPage, StepQuery


@blp.route("")
class Steps(MethodView):
    @require(*OFFICERS)
    @blp.arguments(StepQuery, location="query")
    @blp.response(200, StepPage)
    @blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Hộp công việc

        The local steps (ROUTING_LOCAL_UNITS) of the officer's scope, most urgent first; filter by
        unit, agency, procedure, list (open by default) and an accent-insensitive search.
        """
        rt = runtime()
        with rt.sessions() as session:
            rows, total = inbox.list_steps(session, current_principal(), query)
        now = clock.now(rt.settings)
        # per_page repeats page_size for 1.0.0 clients (deprecated, see StepPage).
        return {"items": [step_view(step, code, now) for step, code in rows], "page": query["page"],
                "page_size": query["page_size"], "per_page": query["page_size"], "total": total}
