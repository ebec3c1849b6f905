"""GET /api/v1/reports/dossiers: the dossiers behind a figure, paged (or all of them as a file)."""
from flask.views import MethodView

from motcua_shared.web.auth import require

from ...exports import send
from ...exports.tables import PlainTable
from ...projection import times
from ...statistics.placement import appointment
from ...statistics.report import FILTERS
from . import blp
from .loading import REPORT_ROLES, file_doc, file_name, load_report
from .schemas import DossierListQuery, DossierPage

FILE_HEADERS = ["Mã hồ sơ", "Mã thủ tục", "Cấp", "Lĩnh vực", "Kênh", "Liên thông", "Đơn vị tiếp nhận",
                "Cơ quan giải quyết",
                "Tiếp nhận lúc", "Hẹn trả", "Kết thúc lúc", "Kết thúc do", "Nhận trong kỳ", "Kết quả",
                "Số lần yêu cầu bổ sung", "Có phiếu xin lỗi", "Thời gian xử lý (phút làm việc)"]


@blp.route("/dossiers")
class DossiersView(MethodView):
    @require(*REPORT_ROLES)
    @blp.arguments(DossierListQuery, location="query")
    @blp.response(200, DossierPage)
    @blp.doc(security=[{"bearer": []}], **file_doc("DossierPage"))
    def get(self, args):
        """Danh sách hồ sơ của một số liệu

        The list behind any figure of the summary, a breakdown row (give the row's `key` as the
        filter named like the breakdown: mechanism, channel, level, procedure, sector,
        receiving_unit, competent_unit) or an indicator, with the summary's `attribution`. `total`
        always equals the figure. Oldest first.
        """
        report = load_report(args)
        filters = {dimension: args[name] for name, dimension in FILTERS.items() if name in args}
        found = [_item(row, placement, report.period) for row, placement in report.dossiers(args["figure"], filters)]
        if args["format"] != "json":
            table = PlainTable(title=f"Danh sách hồ sơ: {args['figure']}", unit_name=report.scope.name,
                               period_label=report.period.label(), headers=FILE_HEADERS,
                               rows=[_cells(item) for item in found])
            return send(table, args["format"], file_name(f"ho-so_{args['figure']}", args))
        first = (args["page"] - 1) * args["page_size"]
        return {"figure": args["figure"], "total": len(found), "page": args["page"], "page_size": args["page_size"],
                "items": found[first:first + args["page_size"]]}


def _item(row, placement, period) -> dict:
    resolved = placement.resolved
    return {"code": row.code, "procedure_code": row.procedure_code, "procedure_level": row.procedure_level,
            "sector": row.sector, "channel": row.channel, "inter_agency": row.inter_agency,
            "receiving_unit": row.receiving_unit, "competent_unit": row.competent_unit, "received_at": row.received_at,
            "due_at": appointment(row, placement, period), "ended_at": row.ended_at if resolved else None,
            "end_kind": row.end_kind if resolved else None, "placement": placement.intake, "outcome": placement.outcome,
            "supplement_requests": row.supplement_requests, "apologised": row.apologised,
            "handling_working_minutes": row.handling_minutes}


def _cells(item: dict) -> list:
    local = [None if item[name] is None else f"{item[name].astimezone(times.VIETNAM_TZ):%d/%m/%Y %H:%M}"
             for name in ("received_at", "due_at", "ended_at")]
    return [item["code"], item["procedure_code"], item["procedure_level"], item["sector"], item["channel"],
            "x" if item["inter_agency"] else "", item["receiving_unit"], item["competent_unit"], *local,
            item["end_kind"],
            item["placement"], item["outcome"], item["supplement_requests"], "x" if item["apologised"] else "",
            item["handling_working_minutes"]]
