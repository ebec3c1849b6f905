"""POST /api/v1/delivery-receipts/{provider}: a provider's word on a message it accepted."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.errors import NotFound

from ... import receipts
from ...receipts import SIGNATURE_HEADER
from ..common import now, options
from . import blp
from .schemas import Receipt, ReceiptApplied
from .signature import signed_by_provider


@blp.route("/<string:provider>")
class DeliveryReceipts(MethodView):
    @signed_by_provider
    @blp.arguments(Receipt)
    @blp.response(200, ReceiptApplied)
    @blp.doc(parameters=[{"in": "header", "name": SIGNATURE_HEADER, "required": True, "schema": {"type": "string"},
                          "description": "sha256=<hex HMAC-SHA256 of the raw body with the provider's secret>"}])
    def post(self, body, provider):
        """Nhận báo cáo phát tin

        Idempotent and order-free: a receipt only ever moves an open message forward (a late `sent`
        after `delivered` changes nothing). 404 for a reference this provider was never given.
        """
        rt = runtime()
        try:
            with rt.sessions.begin() as session:
                status, effect = receipts.apply(session, rt.outbox, options(), provider=provider,
                                                reference=body["reference"], reported=body["status"],
                                                occurred_at=body["occurred_at"], now=now())
        except receipts.UnknownReference:
            raise NotFound("Không có tin nhắn này ở nhà cung cấp này.", code="unknown_reference") from None
        return {"reference": body["reference"], "status": status, "effect": effect}
