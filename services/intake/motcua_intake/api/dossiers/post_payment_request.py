"""POST /api/v1/dossiers/{code}/payment-request: a financial obligation is asked for (DVCQG 6); the clock stops."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import payments
from ...app import desk
from . import AGENCY, CODE_PATH, blp
from .responses import dossier_detail
from .schemas import DossierDetail, PaymentRequest


@blp.route(f"{CODE_PATH}/payment-request")
class PaymentRequestAction(MethodView):
    @require(*AGENCY)
    @blp.arguments(PaymentRequest)
    @blp.response(200, DossierDetail)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body, code):
        """Yêu cầu thực hiện nghĩa vụ tài chính

        Only for a dossier in progress whose procedure has a financial obligation (a fee, or taxes and
        charges its published time limit or fee note names; otherwise 422 `no_financial_obligation`). The
        dossier awaits the payment and the deadline clock stops until the desk records it (POST `payment`).
        """
        with runtime().sessions.begin() as session:
            dossier = payments.request(session, desk(), current_principal(), code, obligation=body["obligation"],
                                       amount_vnd=body["amount_vnd"], purpose=body["purpose"],
                                       occurred_at=body["occurred_at"])
            return dossier_detail(session, dossier)
