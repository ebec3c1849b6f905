from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("templates", __name__, url_prefix="/api/v1/templates",
                description="Mẫu tin nhắn tiếng Việt (SMS, thư điện tử), theo phiên bản, và xem trước.")

from . import get_template, get_templates, post_preview  # noqa: E402,F401  (registers the routes on blp)
