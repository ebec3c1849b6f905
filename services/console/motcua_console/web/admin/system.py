"""/quan-tri/he-thong: whether each service answers now, and the rebuild of reporting's figures."""
from __future__ import annotations

import httpx
from flask import current_app, redirect, render_template, url_for

from ...clients import ApiError, Forbidden
from ...config import BACKENDS
from ...permissions import requires
from ..context import backends, banner
from . import bp

NAMES = {"intake": "Tiếp nhận hồ sơ (intake)", "routing": "Luân chuyển, xử lý (routing)",
         "notification": "Thông báo (notification)", "postal": "Bưu chính (postal)",
         "reporting": "Báo cáo, thống kê (reporting)"}
HEALTH_TIMEOUT = 2.0  # seconds: one slow service must not hold the page


def _reachable(pool: httpx.Client) -> bool:
    try:
        return pool.get("/healthz", timeout=HEALTH_TIMEOUT).status_code == 200
    except httpx.HTTPError:
        return False


@bp.get("/quan-tri/he-thong")
@requires("admin")
def system():
    pools = current_app.extensions["console_pools"]
    health = [(name, NAMES.get(name, name), _reachable(pools[name])) for name in BACKENDS]
    return render_template("admin/system.html", health=health)


@bp.post("/quan-tri/he-thong/tinh-lai-bao-cao")
@requires("admin")
def rebuild_reports():
    try:
        rebuilt = backends().reporting.rebuild()
    except Forbidden:  # it locks every unit's figures: reporting lets only the province's administrator
        banner("Chỉ quản trị viên cấp tỉnh được tính lại số liệu báo cáo.", "error")
    except ApiError:
        banner("Chưa tính lại được số liệu báo cáo: dịch vụ báo cáo không thực hiện được lúc này. "
               "Vui lòng thử lại sau.", "error")
    else:
        banner(f"Đã tính lại số liệu báo cáo từ {rebuilt.get('events', 0)} sự kiện "
               f"({rebuilt.get('dossiers', 0)} hồ sơ).")
    return redirect(url_for("admin.system"), 303)
