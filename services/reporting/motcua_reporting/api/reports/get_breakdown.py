"""GET /api/v1/reports/breakdown: the Biểu 06 columns per unit, level, procedure, sector, channel or mechanism."""
from flask.views import MethodView

from motcua_shared.web.auth import require

from ...exports import send, tables
from ...statistics.dimensions import DIMENSIONS
from . import blp
from .loading import REPORT_ROLES, file_doc, file_name, load_report
from .schemas import Breakdown, BreakdownQuery


@blp.route("/breakdown")
class BreakdownView(MethodView):
    @require(*REPORT_ROLES)
    @blp.arguments(BreakdownQuery, location="query")
    @blp.response(200, Breakdown)
    @blp.doc(security=[{"bearer": []}], **file_doc("Breakdown"))
    def get(self, args):
        """Số liệu chi tiết theo đơn vị, cấp, thủ tục, lĩnh vực, kênh hoặc cơ chế

        Every row has the Biểu 06 columns and the identities; the rows add up to `total`, which
        equals the summary. `key` is what the drill-down's filter of the same name takes.
        """
        report = load_report(args)
        dimension = DIMENSIONS[args["by"]]
        if args["format"] != "json":
            table = tables.breakdown(report, args["by"], f"Số liệu giải quyết TTHC theo {dimension.title.lower()}",
                                     dimension.title)
            return send(table, args["format"], file_name(f"theo-{args['by']}", args))
        rows, total = report.breakdown(args["by"])
        scope = report.scope
        return {"unit": {"code": scope.code, "name": scope.name, "as_of": scope.as_of}, "by": args["by"],
                "total": total.groups(),
                "rows": [{"key": row.key, "label": row.label, **row.tally.groups()} for row in rows]}
