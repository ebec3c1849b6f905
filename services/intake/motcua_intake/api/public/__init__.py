from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("public", __name__, url_prefix="",
                description="Tra cứu công khai (không cần đăng nhập): tình trạng hồ sơ theo mã hồ sơ và số định danh.")

NOT_FOUND_DETAIL = "Không tìm thấy hồ sơ với mã hồ sơ và số định danh đã nhập."

from . import get_public_dossier, lookup_page  # noqa: E402,F401  (register the routes on blp)
