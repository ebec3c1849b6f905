"""/quan-tri/he-thong: whether each service answers now, and the rebuild of reporting's figures, which
reporting runs as a background job: its page shows the progress (console.js polls; without the script
the page reloads itself)."""
from __future__ import annotations

import re

import httpx
from flask import abort, current_app, jsonify, redirect, render_template, url_for

from ...clients import ApiError, Forbidden, NotFound
from ...config import BACKENDS
from ...formatting import number, when
from ...permissions import requires
from ..context import backends, banner
from . import bp

NAMES = {"intake": "Tiếp nhận hồ sơ (intake)", "routing": "Luân chuyển, xử lý (routing)",
         "notification": "Thông báo (notification)", "postal": "Bưu chính (postal)",
         "reporting": "Báo cáo, thống kê (reporting)"}
HEALTH_TIMEOUT = 2.0  # seconds: one slow service must not hold the page
POLL_SECONDS = 2
JOB_ID = re.compile(r"[0-9a-f-]{36}")
STATE_TEXT = {"queued": "Đang chờ", "running": "Đang tính lại", "done": "Hoàn tất", "failed": "Không thành công"}
STAGE_TEXT = {"events": "đọc kho sự kiện", "dossiers": "tính số liệu từng hồ sơ", "swap": "thay số liệu cũ"}


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
        job = backends().reporting.rebuild()
    except Forbidden:  # it replaces every unit's figures: reporting lets only the province's administrator
        banner("Chỉ quản trị viên cấp tỉnh được tính lại số liệu báo cáo.", "error")
    except ApiError:
        banner("Chưa tính lại được số liệu báo cáo: dịch vụ báo cáo không thực hiện được lúc này. "
               "Vui lòng thử lại sau.", "error")
    else:
        return redirect(url_for("admin.rebuild_status", job_id=job["id"]), 303)
    return redirect(url_for("admin.system"), 303)


def progress(job: dict) -> dict:
    """How far the rebuild is, for its page and its JSON endpoint alike (the fields console.js reads)."""
    state = job.get("state") or ""
    done = state in ("done", "failed")
    counts = job.get("progress") or {}
    applied, goal = int(counts.get("done") or 0), int(counts.get("total") or 0)
    status = STATE_TEXT.get(state, state)
    result = job.get("result") or {}
    if state == "done":
        summary = (f"Hoàn tất: đã tính lại số liệu từ {number(result.get('events', 0))} sự kiện "
                   f"({number(result.get('dossiers', 0))} hồ sơ).")
    elif state == "failed":
        summary = ("Tính lại không thành công; số liệu báo cáo cũ được giữ nguyên. "
                   "Vui lòng thử lại hoặc báo quản trị hệ thống.")
    elif state == "queued":
        summary = "Đang chờ dịch vụ báo cáo bắt đầu."
    else:
        stage = STAGE_TEXT.get(job.get("stage") or "", "")
        summary = f"{status}{': ' + stage if stage else ''}: {number(applied)} / {number(goal)}."
    return {"status": state, "status_text": status, "done": done, "failed": state == "failed",
            "applied": goal if state == "done" else applied, "goal": goal, "summary": summary,
            "finished_at": when(job.get("finished_at"))}


def _job(job_id: str) -> dict:
    if not JOB_ID.fullmatch(job_id):
        abort(404)
    try:
        return backends().reporting.job(job_id)
    except NotFound:
        abort(404)


@bp.get("/quan-tri/he-thong/tinh-lai-bao-cao/<job_id>")
@requires("admin")
def rebuild_status(job_id: str):
    job = _job(job_id)
    return render_template("admin/rebuild.html", job=job, progress=progress(job), poll_seconds=POLL_SECONDS)


@bp.get("/quan-tri/he-thong/tinh-lai-bao-cao/<job_id>/tien-do")
@requires("admin")
def rebuild_progress(job_id: str):
    """What console.js polls every two seconds on the rebuild's page."""
    return jsonify(progress(_job(job_id)))
