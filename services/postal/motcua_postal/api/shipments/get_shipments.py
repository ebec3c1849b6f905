"""GET /api/v1/shipments: the shipments of the officer's desks, newest first."""
from flask.views import MethodView
from sqlalchemy import func, select

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ...models import shipments
from . import blp, representation
from .access import READERS, config, scope
from .schemas import ShipmentPage, ShipmentQuery


@blp.route("")
class Shipments(MethodView):
    @require(*READERS)
    @blp.arguments(ShipmentQuery, location="query")
    @blp.response(200, ShipmentPage)
    @blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Bưu gửi của bộ phận một cửa

        The shipments of the officer's unit and the units below it, with their status; filter by
        status, direction, dossier code, or `attention=true` for those the desk must act on.
        """
        where = [scope(current_principal())]
        for name in ("status", "direction", "dossier_code"):
            if name in query:
                where.append(shipments.c[name] == query[name])
        if "attention" in query:
            where.append(shipments.c.attention.isnot(None) if query["attention"] else shipments.c.attention.is_(None))
        page, size = query["page"], query["page_size"]
        with runtime().sessions() as session:
            total = session.execute(select(func.count()).select_from(shipments).where(*where)).scalar_one()
            rows = session.execute(select(shipments).where(*where)
                                   .order_by(shipments.c.created_at.desc(), shipments.c.id)
                                   .limit(size).offset((page - 1) * size)).mappings().all()
        now = config().now()
        return {"items": [representation.shipment(r, now) for r in rows], "page": page, "page_size": size,
                "total": total}
