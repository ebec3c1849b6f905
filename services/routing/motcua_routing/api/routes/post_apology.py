"""POST /api/v1/routes/{dossier_code}/apology: the apology and new appointment (Mẫu 04), once."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require
from motcua_shared.web.errors import Conflict, Invalid

from ... import clock, inbox, routes
from ...models import STEP_OPEN
from ...views import route_view
from . import blp
from .schemas import Apology, Route


@blp.route("/<string:dossier_code>/apology")
class ApologyOfDossier(MethodView):
    @require("leader")
    @blp.arguments(Apology)
    @blp.response(201, Route)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, dossier_code):
        """Xin lỗi và hẹn lại ngày trả kết quả

        For a leader who foresees that the dossier will be late: the appointment may be re-set only
        once (409 `apology_already_issued`, also when the deadline sweep issued it), to a later date
        than the current one. The law asks for it at least one working day before the due date.
        A dossier brought in from the past (`historical`) is recorded, never apologised for: 409
        `historical_route`.
        """
        rt = runtime()
        principal = current_principal()
        now = clock.now(rt.settings)
        with rt.sessions.begin() as session:
            route, steps = inbox.visible_route(session, principal, dossier_code, lock=True)
            if route["historical"]:
                raise Conflict("Hồ sơ được nhập từ dữ liệu lịch sử: không xin lỗi và hẹn lại ngày trả kết quả "
                               "cho hồ sơ này.", code="historical_route")
            if route["status"] != "in_progress":
                raise Conflict("Hồ sơ không còn đang được giải quyết.", code="route_not_in_progress")
            if route["apology_issued_at"] is not None:
                raise Conflict("Ngày hẹn trả kết quả chỉ được hẹn lại một lần.", code="apology_already_issued")
            if body["new_due_at"] <= route["due_at"]:
                raise Invalid("Ngày hẹn mới phải sau ngày hẹn hiện tại.", code="new_due_not_later",
                              invalid_params=[{"name": "new_due_at", "code": "new_due_not_later",
                                               "reason": "Phải sau ngày hẹn hiện tại."}])
            open_step = next((s for s in steps if s["status"] in STEP_OPEN), None)
            routes.issue_apology(session, rt, route, new_due_at=body["new_due_at"], reason=body["reason"],
                                 unit=open_step["unit"] if open_step else route["receiving_unit"], issued_at=now)
            route, steps = inbox.visible_route(session, principal, dossier_code)
            log = inbox.handovers_of(session, route["id"])
        return route_view(route, steps, log, now)
