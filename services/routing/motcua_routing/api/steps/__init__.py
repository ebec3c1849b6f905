from motcua_shared.web.blueprint import Blueprint


blp = Blueprint("steps", __name__, url_prefix="/api/v1/steps",
                description="Hộp công việc: các bước xử lý hồ sơ của đơn vị và cơ quan chuyên môn; nhận xử lý, "
                            "hoàn thành, chuyển xử lý, trả lại bước trước.")

from . import claim_step, complete_step, forward_step, list_steps, send_back_step  # noqa: E402,F401
