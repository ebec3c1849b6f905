"""GET /api/v1/templates/{key}: one template with the text of every version."""
from flask.views import MethodView

from motcua_shared.web.auth import require

from ..common import OFFICERS
from . import blp
from .schemas import TemplateDetail
from .views import detail, find


@blp.route("/<string:key>")
class OneTemplate(MethodView):
    @require(*OFFICERS)
    @blp.response(200, TemplateDetail)
    @blp.doc(security=[{"bearer": []}])
    def get(self, key):
        """Một mẫu tin nhắn, mọi phiên bản"""
        return detail(find(key))
