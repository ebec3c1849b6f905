"""DELETE /api/v1/calendar/overrides/{day}: the date follows the official schedule again."""
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

        The date goes back to the official schedule (the year's calendar file; for a year without one, the
        `holidays` package), then the weekend rule. When that makes a working day a day off, the open
        appointments on or after it move as for a declared day off.
        """
        day = parse_day(day)
        actor = require_province_admin(day)
        with runtime().sessions.begin() as session:
            if not calendar_store.delete_override(session, desk().outbox, day, store=desk().calendars, actor=actor):
                raise NotFound("Ngày này không có khai báo.", code="override_not_found")
        desk().calendars.invalidate()
