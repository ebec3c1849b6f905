"""DELETE /api/v1/opt-outs/{id}: the address wants messages again."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require
from motcua_shared.web.errors import NotFound

from ... import preferences
from ..common import DESK
from . import blp


@blp.route("/<string:opt_out_id>")
class OneOptOut(MethodView):
    @require(*DESK)
    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    def delete(self, opt_out_id):
        """Nhận lại thông báo"""
        with runtime().sessions.begin() as session:
            if not preferences.cancel_opt_out(session, opt_out_id):
                raise NotFound("Không có yêu cầu ngừng nhận này.", code="opt_out_not_found")
