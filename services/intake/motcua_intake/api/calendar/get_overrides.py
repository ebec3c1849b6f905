"""GET /api/v1/calendar/overrides: the days off and working days declared, by date."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import OFFICERS, require

from ... import calendar_store
from ...lifecycle import aware
from . import blp
from .schemas import OverrideList, OverrideQuery


@blp.route("/overrides")
class Overrides(MethodView):
    @require(*OFFICERS)
    @blp.arguments(OverrideQuery, location="query")
    @blp.response(200, OverrideList)
    @blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Danh sách ngày nghỉ, ngày làm việc bù

        Seeded from the `holidays` package for the years around now (source `package`); a date not listed
        follows the statutory rule (holidays from the package, weekends off).
        """
        with runtime().sessions() as session:
            rows = calendar_store.list_overrides(session, query.get("year"))
        return {"items": [{**row, "updated_at": aware(row["updated_at"])} for row in rows]}
