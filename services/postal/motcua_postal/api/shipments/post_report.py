"""POST /api/v1/shipments/{shipment_id}/reports: a status the partner gave by phone."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require
from motcua_shared.web.errors import Conflict, Invalid

from ... import lifecycle, shipments
from . import blp, representation
from .access import REPORTERS, config, ensure_visible
from .schemas import ManualReport, ShipmentDetail

IMPLAUSIBLE = {"future": "Thời điểm này chưa tới.", "before_request": "Thời điểm này sớm hơn lúc yêu cầu bưu điện."}


@blp.route("/<string(maxlength=64):shipment_id>/reports")
class ShipmentReports(MethodView):
    @require(*REPORTERS)
    @blp.arguments(ManualReport)
    @blp.response(201, ShipmentDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, shipment_id):
        """Ghi nhận trạng thái bưu điện báo qua điện thoại

        Goes through the same status machine as the partner's reports and is recorded as a manual
        entry by the officer. A status that would change nothing (the shipment is already there or
        beyond) answers 409 and records nothing.
        """
        principal = current_principal()
        cfg = config()
        with runtime().sessions.begin() as session:
            row = shipments.lock(session, shipment_id)
            ensure_visible(principal, row)
            problem = shipments.implausible_time(row, body["occurred_at"], cfg.now())
            if problem:
                raise Invalid("Thời điểm không hợp lệ.", code="implausible_time", invalid_params=[
                    {"name": "occurred_at", "code": "implausible_time", "reason": IMPLAUSIBLE[problem]}])
            if not lifecycle.advances(row["status"], body["status"]):
                raise Conflict(f"Bưu gửi đang ở trạng thái \"{lifecycle.LABELS[row['status']]}\": "
                               f"trạng thái \"{lifecycle.LABELS[body['status']]}\" không làm thay đổi gì.",
                               code="status_not_applicable")
            shipments.apply_report(session, cfg, row, status=body["status"], occurred_at=body["occurred_at"],
                                   tracking_number=body["tracking_number"], note=body["note"], source="manual",
                                   actor=principal.sub)
            return representation.detail(session, shipments.lock(session, shipment_id), cfg.now())
