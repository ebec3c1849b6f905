"""DELETE /api/v1/opt-outs/{id}: the address wants messages again."""
from flask.views import MethodView
from sqlalchemy import select

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require
from motcua_shared.web.errors import NotFound

from ... import preferences
from ...models import opt_outs
from ..common import DESK
from . import blp
from .scope import may_cancel


@blp.route("/<string:opt_out_id>")
class OneOptOut(MethodView):
    @require(*DESK)
    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    def delete(self, opt_out_id):
        """Nhận lại thông báo

        A desk opts back in the addresses of dossiers in its scope only; another opt-out answers 404
        like one that does not exist.
        """
        with runtime().sessions.begin() as session:
            row = session.execute(select(opt_outs).where(opt_outs.c.id == opt_out_id)).mappings().first()
            if row is None or not may_cancel(session, current_principal(), dict(row)) \
                    or not preferences.cancel_opt_out(session, opt_out_id):
                raise NotFound("Không có yêu cầu ngừng nhận này.", code="opt_out_not_found")
