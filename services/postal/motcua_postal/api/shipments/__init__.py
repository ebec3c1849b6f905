from flask_smorest import Blueprint

from motcua_shared.web.app import StrictParser

blp = Blueprint("shipments", __name__, url_prefix="/api/v1/shipments",
                description="Bưu gửi: hồ sơ và kết quả chuyển qua dịch vụ bưu chính công ích (Quyết định 45/2016).")
# flask-smorest parses a blueprint's arguments with the blueprint's own parser, not the Api's: without
# this, an unknown query parameter would be dropped silently instead of refused.
blp.ARGUMENTS_PARSER = StrictParser()

from . import get_overdue, get_shipment, get_shipments, post_report  # noqa: E402,F401  (register the routes)
