from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("calendar", __name__, url_prefix="/api/v1/calendar",
                description="Lịch làm việc: ngày nghỉ và ngày làm việc bù do quản trị viên tỉnh khai báo (ghi đè lịch "
                            "nghỉ lễ theo luật); dùng để tính ngày hẹn trả kết quả.")

from . import delete_override, get_overrides, put_override  # noqa: E402,F401  (register the routes on blp)
