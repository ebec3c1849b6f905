"""GET /api/v1/reference: the reference set this process computes with."""
from flask.views import MethodView

from motcua_shared.reference.current import current
from motcua_shared.web.auth import OFFICERS, require

from . import blp
from .schemas import ReferenceVersion


@blp.route("")
class ReferenceInUse(MethodView):
    @require(*OFFICERS)
    @blp.response(200, ReferenceVersion)
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """Phiên bản dữ liệu dùng chung đang dùng"""
        return current().describe()
