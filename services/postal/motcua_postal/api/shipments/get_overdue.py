"""GET /api/v1/shipments/overdue: shipments still on their way after deliver_by, most overdue first."""
from flask.views import MethodView
from sqlalchemy import func, select

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import lifecycle
from ...models import shipments
from . import blp, representation
from .access import READERS, config, scope
from .schemas import PageQuery, ShipmentPage


@blp.route("/overdue")
class OverdueShipments(MethodView):
    @require(*READERS)
    @blp.arguments(PageQuery, location="query")
    @blp.response(200, ShipmentPage)
    @blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Bưu gửi quá hạn

        Shipments in the officer's scope that are neither delivered, returned nor cancelled and whose
        `deliver_by` has passed (failed ones included: the item is still out).
        """
        now = config().now()
        where = [scope(current_principal()), shipments.c.status.in_(sorted(lifecycle.OPEN)),
                 shipments.c.deliver_by < now]
        page, size = query["page"], query["page_size"]
        with runtime().sessions() as session:
            total = session.execute(select(func.count()).select_from(shipments).where(*where)).scalar_one()
            rows = session.execute(select(shipments).where(*where).order_by(shipments.c.deliver_by, shipments.c.id)
                                   .limit(size).offset((page - 1) * size)).mappings().all()
        return {"items": [representation.shipment(r, now) for r in rows], "page": page, "page_size": size,
                "total": total}
