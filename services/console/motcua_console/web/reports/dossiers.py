"""GET /bao-cao/ho-so: the dossiers behind one figure of a report (reporting's drill-down), paged."""
from __future__ import annotations

from flask import abort, render_template, request

from motcua_shared.web.auth import REPORT_READERS

from ...clients import Forbidden, Invalid
from ...permissions import requires
from ..context import backends
from . import bp
from .query import FIGURE_NAMES, MECHANISMS, period_args, report_form, service_args
from .refusal import place

PAGE_SIZE = 50
OUTCOMES = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn", "within_deadline": "Trong hạn",
            "overdue": "Quá hạn"}
PLACEMENTS = {"carried_over": "Kỳ trước chuyển sang", "online": "Trực tuyến", "counter_postal": "Trực tiếp, bưu chính"}


def _page() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.get("/bao-cao/ho-so")
@requires(*REPORT_READERS)
def dossiers():
    figure = request.args.get("figure", "")
    mechanism = request.args.get("mechanism") or None
    if figure not in FIGURE_NAMES or (mechanism and mechanism not in MECHANISMS):
        abort(404)
    form = report_form(request.args)
    found, status = None, 200
    filters = {"mechanism": mechanism} if mechanism else {}
    try:
        found = backends().reporting.dossiers(figure, page=_page(), page_size=PAGE_SIZE, **service_args(form),
                                              **filters)
    except (Forbidden, Invalid) as exc:
        status = place(form, exc)
    args = {**period_args(form), "figure": figure, **filters}
    return render_template("reports/dossiers.html", form=form, found=found, figure=figure, back=period_args(form),
                           figure_name=FIGURE_NAMES[figure], mechanism_name=MECHANISMS.get(mechanism or ""),
                           args=args, outcomes=OUTCOMES, placements=PLACEMENTS, page_size=PAGE_SIZE), status
