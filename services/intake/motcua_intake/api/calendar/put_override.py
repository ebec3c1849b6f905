"""PUT /api/v1/calendar/overrides/{day}: declare a day off or a working day."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require

from ... import calendar_store
from ...app import desk
from . import blp
from .province_admin import parse_day, require_province_admin
from .schemas import Override, OverrideBody


@blp.route("/overrides/<string:day>")
class OverrideDay(MethodView):
    @require("admin")
    @blp.arguments(OverrideBody)
    @blp.response(200, Override)
    @blp.alt_response(201, schema=Override, description="A date not declared before.")
    @blp.doc(security=[{"bearer": []}])
    def put(self, body, day):
        """Khai báo ngày nghỉ hoặc ngày làm việc

        Replaces what the date had. Appointments computed from now on use it at once in this process, and
        in every process within INTAKE_CALENDAR_CACHE_SECONDS. A working day (today or later) declared a day
        off moves every open appointment on or after it by the working time that day had, in the same
        transaction; each move is published (`vn.motcua.dossier.rescheduled`: routing moves the open steps,
        notification tells the citizen). A day declared a working day moves no appointment (the citizen
        keeps the date given). The change is published (`vn.motcua.calendar.changed`): routing's deadlines
        and reporting's handling times follow within 30 seconds.
        """
        day = parse_day(day)
        actor = require_province_admin(day)
        with runtime().sessions.begin() as session:
            row, created = calendar_store.put_override(session, desk().outbox, day=day, kind=body["kind"],
                                                       note=body["note"], actor=actor, store=desk().calendars)
        desk().calendars.invalidate()
        return row, 201 if created else 200
