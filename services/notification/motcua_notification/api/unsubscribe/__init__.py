from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("unsubscribe", __name__, url_prefix="/api/v1/unsubscribe",
                description="Liên kết ngừng nhận thư trong mỗi thư điện tử (không cần đăng nhập).")

from . import unsubscribe  # noqa: E402,F401  (registers the routes on blp)
