"""GET /api/v1/dossiers/{code}/stop-notice: the notice of the agency's stop (Thông báo dừng giải quyết hồ sơ)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require

from ... import trail
from ...app import desk
from ...forms import stop_notice
from . import HTML_PAGE, READERS, blp
from .readable import readable_dossier


@blp.route("/dossiers/<string:code>/stop-notice")
class StopNoticeForm(MethodView):
    @require(*READERS)
    @blp.doc(security=[{"bearer": []}], responses=HTML_PAGE)
    def get(self, code):
        """Thông báo dừng giải quyết hồ sơ

        The result the citizen receives when the competent agency stopped processing: the ground and the
        reason. 409 `not_stopped` for any dossier the agency did not stop (a withdrawn one included).
        """
        with runtime().sessions() as session:
            dossier = readable_dossier(session, code)
            return stop_notice.stop_notice(desk(), dossier, trail.latest(session, code, "stop"))
