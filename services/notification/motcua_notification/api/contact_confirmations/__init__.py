from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("contact_confirmations", __name__, url_prefix="/api/v1/contact-confirmations",
                description="Liên kết xác nhận địa chỉ thư điện tử trong thư báo đã nhận hồ sơ nộp trực tuyến "
                            "(không cần đăng nhập).")

from . import confirmation  # noqa: E402,F401  (registers the routes on blp)
