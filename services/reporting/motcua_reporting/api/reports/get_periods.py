"""GET /api/v1/reports/periods: the official reporting periods of a year, with their first and last days."""
from flask.views import MethodView

from motcua_shared.web.auth import require

from ...statistics import official_periods
from . import blp
from .loading import REPORT_ROLES
from .schemas import OfficialPeriods, PeriodsQuery


@blp.route("/periods")
class PeriodsView(MethodView):
    @require(*REPORT_ROLES)
    @blp.arguments(PeriodsQuery, location="query")
    @blp.response(200, OfficialPeriods)
    @blp.doc(security=[{"bearer": []}])
    def get(self, args):
        """Kỳ báo cáo định kỳ

        The codes every report takes as `period` instead of `from`/`to`: months, quarters, the two halves,
        nine months and the year, each cut from the 15th of the month before to the 14th of its last month
        (Decree 09/2019/NĐ-CP Art. 12; nine months by the same rule, see docs/reports.md).
        """
        return {"year": args["year"], "periods": [
            {"code": found.code, "name": found.name, "from_": found.period.first_day, "to": found.period.last_day}
            for found in official_periods.of_year(args["year"])]}
