from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin",
                description="Quản trị: dựng lại số liệu từ kho sự kiện, theo dõi công việc nền.")

from . import get_job, post_rebuild  # noqa: E402,F401
