from flask_smorest import Blueprint

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Báo cáo, thống kê.")

from . import get_event_counts  # noqa: E402,F401
