"""GET /api/v1/imports/{id}: one import and its progress."""
from datetime import datetime

from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require
from motcua_shared.web.errors import NotFound
from motcua_shared.workcal import VIETNAM_TZ

from ..calendar.province_admin import require_province_admin
from ...imports import staging
from . import ID_PATH, blp
from .schemas import Import


@blp.route(ID_PATH)
class ImportView(MethodView):
    @require("admin")
    @blp.response(200, Import)
    @blp.doc(security=[{"bearer": []}])
    def get(self, import_id):
        """Tiến độ một lần nhập hồ sơ

        `applied` of `total - already` dossiers; `status` done when all are in.
        """
        require_province_admin(datetime.now(VIETNAM_TZ).date(), to="nhập hồ sơ lịch sử")
        with runtime().sessions() as session:
            row = staging.get(session, import_id[:36])
        if row is None or row["id"] != import_id:
            raise NotFound("Không tìm thấy lần nhập.", code="import_not_found")
        return row
