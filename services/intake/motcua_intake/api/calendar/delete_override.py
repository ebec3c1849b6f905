"""DELETE /api/v1/calendar/overrides/{day}: the date follows the statutory rule again."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require
from motcua_shared.web.errors import NotFound

from ... import calendar_store
from ...app import desk
from . import blp
from .province_admin import parse_day, require_province_admin


@blp.route("/overrides/<string:day>")
class OverrideRemoval(MethodView):
    @require("admin")
    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    def delete(self, day):
        """Bỏ khai báo của một ngày

        The date goes back to the statutory rule (a public holiday of the `holidays` package stays one).
        """
        day = parse_day(day)
        require_province_admin(day)
        with runtime().sessions.begin() as session:
            if not calendar_store.delete_override(session, desk().outbox, day):
                raise NotFound("Ngày này không có khai báo.", code="override_not_found")
        desk().calendars.invalidate()
