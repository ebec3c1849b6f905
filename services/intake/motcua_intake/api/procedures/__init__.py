from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("procedures", __name__, url_prefix="/api/v1/procedures",
                description="Danh mục thủ tục hành chính công bố (không cần đăng nhập).")

from . import get_procedures  # noqa: E402,F401  (registers the routes on blp)
