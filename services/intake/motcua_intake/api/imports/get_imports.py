"""GET /api/v1/imports: the imports, newest first."""
from datetime import datetime

from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require
from motcua_shared.workcal import VIETNAM_TZ

from ..calendar.province_admin import require_province_admin
from ...imports import staging
from . import blp
from .schemas import ImportList

LISTED = 100


@blp.route("")
class Imports(MethodView):
    @require("admin")
    @blp.response(200, ImportList)
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """Danh sách các lần nhập hồ sơ

        The latest 100, newest first, with their progress. A province's administrator (or one without a
        unit) only: a file holds dossiers of every unit.
        """
        require_province_admin(datetime.now(VIETNAM_TZ).date(), to="nhập hồ sơ lịch sử")
        with runtime().sessions() as session:
            return {"items": staging.listing(session, limit=LISTED)}
