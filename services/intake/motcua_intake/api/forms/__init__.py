from motcua_shared.web.auth import OFFICERS
from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("forms", __name__, url_prefix="/api/v1",
                description="Biểu mẫu in (Thông tư 01/2018/TT-VPCP): giấy tiếp nhận và hẹn trả kết quả (Mẫu 01), "
                            "phiếu yêu cầu bổ sung (Mẫu 02), phiếu từ chối (Mẫu 03), phiếu xin lỗi và hẹn lại ngày "
                            "trả kết quả (Mẫu 04), phiếu kiểm soát (Mẫu 05), sổ theo dõi hồ sơ (Mẫu 06), thông báo dừng giải "
                            "quyết hồ sơ. Trang HTML "
                            "tự chứa, in được khi không có mạng.")

HTML_PAGE = {"200": {"description": "Trang HTML (tiếng Việt), in được.", "content": {"text/html": {}}}}
READERS = (*OFFICERS, "citizen")

from . import (  # noqa: E402,F401  (each module registers its routes on blp)
    get_apology,
    get_control_log,
    get_logbook,
    get_receipt,
    get_refusal,
    get_stop_notice,
    get_supplement_request,
)
