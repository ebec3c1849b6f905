"""/quan-tri/thu-tuc: the procedure catalogue as intake publishes it, searched by intake (accents and
case ignored, so "dang ky khai sinh" finds "Đăng ký khai sinh")."""
from __future__ import annotations

from flask import render_template, request

from ...clients import Invalid
from ...forms import Form
from ...permissions import requires
from ..context import backends
from . import bp

LEVELS = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã"}
ONLINE = {"full": "Toàn trình", "partial": "Một phần", "none": "Không trực tuyến"}
TIME_UNITS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "calendar_days": "ngày"}


@bp.get("/quan-tri/thu-tuc")
@requires("admin")
def procedures():
    form = Form.from_request(request.args, labels={"tim": "từ khoá"})
    search = form.get("tim")[:200]
    status = 200
    try:
        found = backends().intake.procedures(search=search or None)
    except Invalid as exc:
        form.apply_problem(exc.problem, {"search": "tim"})
        found, status = {"items": [], "total": 0}, 400
    return render_template("admin/procedures.html", form=form, found=found, levels=LEVELS, online=ONLINE,
                           time_units=TIME_UNITS), status
