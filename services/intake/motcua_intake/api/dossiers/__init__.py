from motcua_shared.web.auth import AGENCY, DESK, OFFICERS  # noqa: F401  (the endpoint modules' role sets)
from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("dossiers", __name__, url_prefix="/api/v1/dossiers",
                description="Hồ sơ: tiếp nhận tại bộ phận một cửa, trực tuyến hoặc qua bưu chính; quyết định khi tiếp "
                            "nhận; bổ sung; rút hồ sơ; trả kết quả; tra cứu của cán bộ và của công dân.")

OFFICERS_AND_CITIZENS = (*OFFICERS, "citizen")
CODE_PATH = "/<string:code>"

from . import (  # noqa: E402,F401  (each module registers its routes on blp)
    get_dossier,
    get_dossiers,
    post_acceptance,
    post_dossier,
    post_payment,
    post_payment_request,
    post_redirection,
    post_refusal,
    post_return,
    post_stop,
    post_supplement,
    post_supplement_request,
    post_withdrawal,
    post_withdrawal_request,
)
