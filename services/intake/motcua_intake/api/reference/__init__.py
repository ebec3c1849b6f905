from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("reference", __name__, url_prefix="/api/v1/reference",
                description="Dữ liệu dùng chung (đơn vị hành chính, cơ quan, thủ tục, lịch năm): phiên bản đang dùng và "
                            "nhập bộ dữ liệu mới cho mọi dịch vụ (docs/reference-data.md).")

from . import get_files, get_reference, post_set  # noqa: E402,F401  (register the routes on blp)
