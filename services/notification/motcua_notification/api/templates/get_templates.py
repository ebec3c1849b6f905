"""GET /api/v1/templates: every template with its current version."""
from flask.views import MethodView

from motcua_shared.web.auth import require

from ... import templates
from ..common import OFFICERS
from . import blp
from .schemas import TemplateList
from .views import summary


@blp.route("")
class Templates(MethodView):
    @require(*OFFICERS)
    @blp.response(200, TemplateList)
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """Danh sách mẫu tin nhắn"""
        return {"templates": [summary(t) for t in templates.TEMPLATES.values()]}
