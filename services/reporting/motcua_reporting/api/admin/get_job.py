"""GET /api/v1/admin/jobs/{id}: a background job and its progress."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require
from motcua_shared.web.errors import NotFound
from motcua_shared.web.province_admin import require_province_admin

from ...jobs import jobs
from . import blp
from .schemas import Job


@blp.route("/jobs/<string(length=36):job_id>")
class JobView(MethodView):
    @require("admin")
    @blp.response(200, Job)
    @blp.alt_response(404, description="`job_not_found`: no job has this id.")
    @blp.doc(security=[{"bearer": []}])
    def get(self, job_id):
        """Tiến độ một công việc nền

        `state` queued, running, done or failed; `progress.done` of `progress.total` (the total is
        known after the first chunk and may grow once, when the rebuild moves from events to
        dossiers); `result` the figures once done, `error` why it failed.
        """
        require_province_admin(current_principal(), to="xem tiến độ dựng lại số liệu")
        job = jobs(runtime()).get(job_id)
        if job is None:
            raise NotFound("Không tìm thấy công việc.", code="job_not_found")
        return job
