from motcua_shared.web.blueprint import Blueprint

blp = Blueprint("delivery_receipts", __name__, url_prefix="/api/v1/delivery-receipts",
                description="Báo cáo phát tin (delivery receipts) do nhà cung cấp SMS gửi về, có ký HMAC.")

from . import post_receipt  # noqa: E402,F401  (registers the routes on blp)
