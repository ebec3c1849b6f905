"""GET /api/v1/procedures: the published catalogue, filtered and searched."""
from datetime import datetime

from flask.views import MethodView

from motcua_shared.reference import Procedure
from motcua_shared.workcal import VIETNAM_TZ

from ...app import desk
from . import blp
from .schemas import Catalogue, ProcedureQuery


def published(procedure: Procedure, today) -> dict:
    return {"code": procedure.code, "name": procedure.name, "level": str(procedure.level_on(today)),
            "processing_time": {"value": procedure.processing_time.value,
                                "unit": str(procedure.processing_time.unit)},
            "fee_vnd": procedure.fee_vnd, "fee_basis": str(procedure.fee_basis), "fee_source": procedure.fee_source,
            "online": str(procedure.online), "postal_allowed": procedure.postal_allowed,
            "inter_agency": procedure.inter_agency, "route": [str(level) for level in procedure.route_on(today)]}


@blp.route("")
class Procedures(MethodView):
    @blp.arguments(ProcedureQuery, location="query")
    @blp.response(200, Catalogue)
    def get(self, query):
        """Danh mục thủ tục hành chính

        Levels and routes are those of the hierarchy in force today. `search` matches words of the code,
        name or sector, ignoring accents; results that contain the words in order come first.
        """
        today = datetime.now(VIETNAM_TZ).date()
        catalogue = desk().catalogue
        found = catalogue.search(query["search"]) if query.get("search") else catalogue.all()
        items = [published(p, today) for p in found
                 if query.get("level") in (None, str(p.level_on(today)))
                 and query.get("online") in (None, str(p.online))]
        return {"items": items, "total": len(items)}
