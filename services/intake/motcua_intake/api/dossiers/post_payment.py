"""POST /api/v1/dossiers/{code}/payment: the desk records the payment; processing resumes."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import payments
from ...app import desk
from . import CODE_PATH, DESK, blp
from .responses import dossier_detail
from .schemas import DossierDetail, Payment


@blp.route(f"{CODE_PATH}/payment")
class PaymentAction(MethodView):
    @require(*DESK)
    @blp.arguments(Payment)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Ghi nhận đã thực hiện nghĩa vụ tài chính

        With the receipt number and the method (cash, transfer, online on the national portal or a local
        gateway, collected by the post). The dossier goes back to processing and the appointment moves by
        the working time waited. An amount other than the one asked answers 422 `amount_mismatch`.
        """
        with runtime().sessions.begin() as session:
            dossier = payments.paid(session, desk(), current_principal(), code, method=body["method"],
                                    receipt_number=body["receipt_number"], amount_vnd=body["amount_vnd"],
                                    note=body["note"], occurred_at=body["occurred_at"])
            return dossier_detail(session, dossier)
