"""/so-theo-doi: the logbook (Sổ theo dõi hồ sơ, Mẫu 06) of a desk for a day or a period, and its print
view, which is intake's own HTML passed through unchanged (intake is the authority on the form)."""
from __future__ import annotations

from datetime import date, datetime

from flask import Response, render_template, request

from motcua_shared.workcal import VIETNAM_TZ

from ...forms import Form
from ...permissions import requires
from ...units import is_province, unit_choices
from ..context import backends, officer
from . import bp

PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _period() -> tuple[Form, str, str, str | None]:
    """The form as typed, and the period and unit to ask intake for (today at the officer's desk by default)."""
    form = Form.from_request(request.args, labels={"from": "từ ngày", "to": "đến ngày", "unit": "đơn vị"})
    today = datetime.now(VIETNAM_TZ).date().isoformat()  # the desk's day, in Vietnam
    start, end = form.get("from") or today, form.get("to") or form.get("from") or today
    for name, value in (("from", start), ("to", end)):
        try:
            date.fromisoformat(value)
        except ValueError:
            form.error(name, f"Nhập {form.label(name)} theo dạng ngày/tháng/năm.")
    if form.ok and end < start:
        form.error("to", "Ngày kết thúc phải từ ngày bắt đầu trở đi.")
    form.values["from"], form.values["to"] = start, end
    # A desk's officer reads their own desk's book; the province's officers pick the desk.
    unit = (form.get("unit") or None) if is_province(officer().unit) else officer().unit
    return form, start, end, unit


@bp.get("/so-theo-doi")
@requires("receptionist", "leader", "auditor")
def logbook():
    form, start, end, unit = _period()
    book = None
    if form.ok and unit:
        book = backends().intake.logbook(unit=unit, date_from=start, date_to=end)
    picks = is_province(officer().unit)
    return render_template("desk/logbook.html", form=form, start=start, end=end, unit=unit, book=book,
                           pick_unit=picks, units=unit_choices() if picks else ()), \
        200 if form.ok else 400


@bp.get("/so-theo-doi/in")
@requires("receptionist", "leader", "auditor")
def logbook_print():
    form, start, end, unit = _period()
    if not form.ok or not unit:
        return logbook()
    printed = backends().intake.logbook(unit=unit, date_from=start, date_to=end, html=True)
    response = Response(printed.content, content_type=printed.content_type)
    # intake's page, shown as it is: nothing of it may run or load anything.
    response.headers["Content-Security-Policy"] = PRINT_CSP
    response.headers["Cache-Control"] = "no-store"
    return response
