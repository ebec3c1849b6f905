"""POST /api/v1/admin/projections/rebuild: rebuild the projections from the event store, as a background job."""
import logging

from flask import Response, json, url_for
from flask.views import MethodView

from motcua_shared.jobs import JobRunning
from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require
from motcua_shared.web.errors import PROBLEM_CONTENT_TYPE, TYPE_BASE
from motcua_shared.web.province_admin import require_province_admin

from ...jobs import jobs
from ...projection.rebuild import KIND
from . import blp
from .schemas import Job

log = logging.getLogger("motcua.reporting")


def _running(job: dict) -> Response:
    """409 `job_running`, with the running job's id and where to follow it (RFC 9457 extension members)."""
    body = {"type": TYPE_BASE + "job-running", "title": "Xung đột trạng thái", "status": 409, "code": "job_running",
            "detail": "Đang dựng lại số liệu; theo dõi lần đang chạy thay vì bắt đầu lần mới.", "job": job["id"]}
    return Response(json.dumps(body, ensure_ascii=False), status=409, mimetype=PROBLEM_CONTENT_TYPE,
                    headers={"Location": url_for("admin.JobView", job_id=job["id"])})


@blp.route("/projections/rebuild")
class RebuildView(MethodView):
    @require("admin")
    @blp.response(202, Job, headers={"Location": {"description": "The job: `GET /api/v1/admin/jobs/{id}`",
                                                  "schema": {"type": "string"}}})
    @blp.alt_response(409, description="`job_running`: a rebuild is already queued or running; `job` is its id "
                                       "(follow it instead).")
    @blp.doc(security=[{"bearer": []}])
    def post(self):
        """Dựng lại số liệu từ kho sự kiện

        Queues the rebuild and answers 202 at once with the job; the reporting worker runs it in
        resumable chunks (`GET /api/v1/admin/jobs/{id}` shows its progress). The reports keep the
        figures they had until the rebuilt ones replace them at the end, in one short transaction;
        events consumed meanwhile are neither lost nor counted twice. The same as `python -m
        motcua_reporting rebuild`. One rebuild at a time (409 `job_running`). Only a province
        administrator may start it (403 `province_admin_only` for a commune's or district's).
        """
        require_province_admin(current_principal(), to="dựng lại số liệu thống kê")
        try:
            job = jobs(runtime()).enqueue(KIND, by=current_principal().sub)
        except JobRunning as running:
            return _running(running.job)
        log.info("projections_rebuild_queued", extra={"job": job["id"], "by": current_principal().sub})
        return job, 202, {"Location": url_for("admin.JobView", job_id=job["id"])}
