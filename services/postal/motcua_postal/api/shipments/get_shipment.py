"""GET /api/v1/shipments/{shipment_id}: one shipment with its full history."""
from flask.views import MethodView
from sqlalchemy import select

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ...models import shipments
from . import blp, representation
from .access import READERS, config, ensure_visible
from .schemas import ShipmentDetail


@blp.route("/<string(maxlength=64):shipment_id>")
class ShipmentResource(MethodView):
    @require(*READERS)
    @blp.response(200, ShipmentDetail)
    @blp.doc(security=[{"bearer": []}])
    def get(self, shipment_id):
        """Một bưu gửi và lịch sử của nó

        Every status it passed through and every report about it (the partner's, or entered by the
        desk), including those that changed nothing; picked-up and delivered times are the
        hand-over times of the dossier's control log.
        """
        principal = current_principal()
        with runtime().sessions() as session:
            row = session.execute(select(shipments).where(shipments.c.id == shipment_id)).mappings().first()
            ensure_visible(principal, row)
            return representation.detail(session, row, config().now())
