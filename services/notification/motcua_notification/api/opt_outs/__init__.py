from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("opt_outs", __name__, url_prefix="/api/v1/opt-outs",
                description="Số điện thoại, địa chỉ thư điện tử không muốn nhận thông báo.")

from . import delete_opt_out, post_opt_out  # noqa: E402,F401  (registers the routes on blp)
