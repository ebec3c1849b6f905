"""POST /api/v1/admin/projections/rebuild: drop the projections and rebuild them from the event store."""
import logging

from flask.views import MethodView
from marshmallow import fields

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require
from motcua_shared.web.fields import StrictSchema
from motcua_shared.web.province_admin import require_province_admin

from ...projection.rebuild import rebuild
from . import blp

log = logging.getLogger("motcua.reporting")


class Rebuilt(StrictSchema):
    events = fields.Integer(required=True, metadata={"description": "Events in the store"})
    timeline_entries = fields.Integer(required=True, metadata={"description": "Lifecycle events projected"})
    dossiers = fields.Integer(required=True)
    seconds = fields.Float(required=True)


@blp.route("/projections/rebuild")
class RebuildView(MethodView):
    @require("admin")
    @blp.response(200, Rebuilt)
    @blp.doc(security=[{"bearer": []}])
    def post(self):
        """Dựng lại số liệu từ kho sự kiện

        Replays every stored event into empty projections, in one transaction: the numbers equal
        the live ones, and events consumed meanwhile wait and then apply on top. The same as
        `python -m motcua_reporting.rebuild`. Only a province administrator may start it: it locks
        every unit's figures while it runs (403 `province_admin_only` for a commune's or district's).
        """
        require_province_admin(current_principal(), to="dựng lại số liệu thống kê")
        with runtime().sessions.begin() as session:
            result = rebuild(session)
        log.info("projections_rebuilt", extra={"by": current_principal().sub, **result.as_dict()})
        return result.as_dict()
