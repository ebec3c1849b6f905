"""GET /bao-cao: Biểu 06 and the Decision 766 indicators for a period and unit, each figure a link to
its dossiers. Figures are shown exactly as reporting answers them: the console never adds them up."""
from __future__ import annotations

from flask import render_template, request

from motcua_shared.web.auth import REPORT_READERS

from ...clients import Forbidden, Invalid
from ...permissions import requires
from ...units import unit_choices
from ..context import backends
from . import bp
from .query import ATTRIBUTIONS, FIGURES, MECHANISMS, period_args, period_choices, report_form, service_args
from .refusal import place


@bp.get("/bao-cao")
@requires(*REPORT_READERS)
def dashboard():
    form = report_form(request.args)
    summary = indicators = None
    status = 200
    try:
        summary = backends().reporting.summary(**service_args(form))
        indicators = backends().reporting.indicators(**service_args(form))
    except (Forbidden, Invalid) as exc:
        status = place(form, exc)
    periods = period_choices(form, backends().reporting.periods)
    return render_template("reports/dashboard.html", form=form, summary=summary, indicators=indicators,
                           figures=FIGURES, mechanisms=MECHANISMS, units=unit_choices(), period_options=periods,
                           attributions=ATTRIBUTIONS, attribution=dict(ATTRIBUTIONS)[form.get("attribution")]
                           if form.get("attribution") in dict(ATTRIBUTIONS) else None,
                           period_name=dict(periods).get(form.get("period") or ""),
                           period=period_args(form)), status


def figure_value(summary: dict, figure: str, mechanism: str | None = None):
    """`received.online` of the whole table, or of one mechanism's group."""
    group, column = figure.split(".")
    source = summary[mechanism] if mechanism else summary
    return source[group][column]


bp.add_app_template_global(figure_value, "report_figure")
