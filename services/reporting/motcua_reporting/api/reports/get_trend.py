"""GET /api/v1/reports/trend: the Biểu 06 columns month by month."""
from flask.views import MethodView

from motcua_shared.web.auth import require

from ...exports import send, tables
from . import blp
from .loading import REPORT_ROLES, file_doc, file_name, load_report
from .schemas import ReportQuery, Trend


@blp.route("/trend")
class TrendView(MethodView):
    @require(*REPORT_ROLES)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, Trend)
    @blp.doc(security=[{"bearer": []}], **file_doc("Trend"))
    def get(self, args):
        """Diễn biến theo tháng

        Each month of the period (the first and last cut to it) is a period of its own: what was
        in progress at the end of one month is carried over into the next.
        """
        report = load_report(args)
        if args["format"] != "json":
            return send(tables.trend(report), args["format"], file_name("theo-thang", args))
        return {"months": [{"month": f"{month.first_day:%Y-%m}", "from_": month.first_day, "to": month.last_day,
                            **tally.groups()} for month, tally in report.trend()]}
