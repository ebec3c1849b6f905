"""GET /api/v1/reports/event-counts: how many events of each type reporting has taken in."""
from flask.views import MethodView
from marshmallow import fields
from sqlalchemy import func, select

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import REPORT_READERS, require
from motcua_shared.web.fields import StrictSchema

from ...models import counters, event_store
from . import blp


class EventCounts(StrictSchema):
    stored = fields.Integer(required=True, metadata={"description": "Distinct events in the event store"})
    by_type = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


@blp.route("/event-counts")
class EventCountsView(MethodView):
    @require(*REPORT_READERS)
    @blp.response(200, EventCounts)
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """Số sự kiện đã nhận theo loại"""
        with runtime().sessions() as session:
            stored = session.execute(select(func.count()).select_from(event_store)).scalar_one()
            by_type = dict(session.execute(select(counters.c.name, counters.c.value)).all())
        return {"stored": stored, "by_type": by_type}
