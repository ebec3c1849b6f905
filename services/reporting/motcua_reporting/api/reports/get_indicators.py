"""GET /api/v1/reports/indicators: the Decision 766/QĐ-TTg indicators the event data supports."""
from flask.views import MethodView

from motcua_shared.web.auth import require

from ...exports import send
from ...exports.tables import PlainTable
from . import blp
from .loading import REPORT_ROLES, file_doc, file_name, load_report
from .schemas import Indicators, ReportQuery


@blp.route("/indicators")
class IndicatorsView(MethodView):
    @require(*REPORT_ROLES)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, Indicators)
    @blp.doc(security=[{"bearer": []}], **file_doc("Indicators"))
    def get(self, args):
        """Chỉ số đánh giá theo Quyết định 766/QĐ-TTg

        Every indicator of Decision 766/QĐ-TTg the data supports: 2.1 on-time rate, 2.2 average
        handling time, 3.1 procedures offered online, 3.2 online services that got online dossiers,
        3.3 channel shares, 3.6 dossiers paid online; `not_supported` lists the others with the
        reason (5.4 satisfaction needs rating and feedback data). An indicator over dossiers names
        the drill-down `figure` that lists them. Formulas and sources: docs/reports.md.
        """
        report = load_report(args)
        found = report.indicators()
        if args["format"] != "json":
            return send(_table(report, found), args["format"], file_name("chi-so-766", args))
        return found


def _table(report, found: dict) -> PlainTable:
    shares = found["channel_shares"]
    rows = [["2.1", found["on_time_rate"]["name"], found["on_time_rate"]["value"], "%",
             f"{found['on_time_rate']['numerator']}/{found['on_time_rate']['denominator']} hồ sơ"],
            ["2.2", found["average_handling_time"]["name"], found["average_handling_time"]["value"], "ngày làm việc",
             f"{found['average_handling_time']['dossiers']} hồ sơ"]]
    rows += [["3.3", f"{shares['name']}: {label}", shares["channels"][channel]["share"], "%",
              f"{shares['channels'][channel]['count']}/{shares['received_in_period']} hồ sơ"]
             for channel, label in (("online", "trực tuyến"), ("counter", "trực tiếp"), ("postal", "bưu chính"))]
    for key, base in (("online_procedures", "thủ tục"), ("online_procedures_used", "thủ tục"),
                      ("paid_online", "hồ sơ")):
        indicator = found[key]
        rows.append([indicator["id"], indicator["name"], indicator["value"], "%",
                     f"{indicator['numerator']}/{indicator['denominator']} {base}"])
    rows += [[missing["id"], missing["name"], None, "", f"Chưa tính được: {missing['reason']}"]
             for missing in found["not_supported"]]
    return PlainTable(title="Chỉ số đánh giá chất lượng phục vụ (Quyết định 766/QĐ-TTg)", unit_name=report.scope.name,
                      period_label=report.period.label(), headers=["Chỉ số", "Tên chỉ số", "Giá trị", "Đơn vị",
                                                                   "Cơ sở tính"], rows=rows)
