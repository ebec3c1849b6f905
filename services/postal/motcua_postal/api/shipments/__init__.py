from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("shipments", __name__, url_prefix="/api/v1/shipments",
                description="Bưu gửi: hồ sơ và kết quả chuyển qua dịch vụ bưu chính công ích (Quyết định 45/2016).")

from . import get_overdue, get_shipment, get_shipments, post_report  # noqa: E402,F401  (register the routes)
