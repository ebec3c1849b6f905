from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("routes", __name__, url_prefix="/api/v1/routes",
                description="Quy trình giải quyết của từng hồ sơ: các bước, thời hạn, phiếu kiểm soát (Mẫu 05); "
                            "xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04).")

from . import get_route, post_apology  # noqa: E402,F401
