from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports",
                description="Nhập hồ sơ đã giải quyết trước đây (hồ sơ lịch sử) từ tệp CSV, XLSX hoặc JSON lines: "
                            "kiểm tra toàn bộ tệp, rồi nhập từng phần ở nền; theo dõi tiến độ.")

ID_PATH = "/<string:import_id>"

from . import get_import, get_imports, get_template, post_import, upload_limit  # noqa: E402,F401  (register on blp)
