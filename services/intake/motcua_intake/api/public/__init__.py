from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("public", __name__, url_prefix="",
                description="Tra cứu công khai (không cần đăng nhập): tình trạng hồ sơ theo mã hồ sơ và số định danh.")

NOT_FOUND_DETAIL = "Không tìm thấy hồ sơ với mã hồ sơ và số định danh đã nhập."
# Both lookups are rate-limited (lookup_limits.py); documented once for the API and the page.
TOO_MANY = {"429": {
    "description": "Quá nhiều lần tra cứu từ một địa chỉ, hoặc quá nhiều lần tra cứu không thành công cùng một mã "
                   "hồ sơ: problem+json `rate_limited` (trang /tra-cuu: trang HTML báo lỗi).",
    "headers": {"Retry-After": {"description": "Số giây phải chờ trước khi tra cứu lại.",
                                "schema": {"type": "integer", "minimum": 1}}},
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}

from . import get_public_dossier, lookup_page  # noqa: E402,F401  (register the routes on blp)
