from flask_smorest import Blueprint

blp = Blueprint("dossiers", __name__, url_prefix="/api/v1/dossiers",
                description="Hồ sơ: tiếp nhận tại bộ phận một cửa, trực tuyến hoặc qua bưu chính.")

from . import post_dossier  # noqa: E402,F401  (registers the routes on blp)
