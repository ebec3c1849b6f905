"""GET /api/v1/reports/summary: the columns of Biểu 06/VPCP/KSTT for a unit's subtree (docs/contracts.md §5)."""
from flask.views import MethodView

from motcua_shared.web.auth import require

from ...exports import send, tables
from ...statistics.definitions import DEFINITIONS
from . import blp
from .loading import REPORT_ROLES, file_doc, file_name, load_report
from .schemas import ReportQuery, Summary


@blp.route("/summary")
class SummaryView(MethodView):
    @require(*REPORT_ROLES)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, Summary)
    @blp.doc(security=[{"bearer": []}], description=DEFINITIONS, **file_doc("Summary"))
    def get(self, args):
        """Tình hình, kết quả giải quyết TTHC (Biểu 06/VPCP/KSTT)"""
        report = load_report(args)
        if args["format"] != "json":
            return send(tables.bieu06(report), args["format"], file_name("bieu-06", args))
        return report.summary()
