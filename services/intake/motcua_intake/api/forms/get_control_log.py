"""GET /api/v1/dossiers/{code}/control-log: Mẫu 05, one row per hand-over."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require

from ... import trail
from ...app import desk
from ...forms import render
from . import HTML_PAGE, READERS, blp
from .readable import readable_dossier


@blp.route("/dossiers/<string:code>/control-log")
class ControlLog(MethodView):
    @require(*READERS)
    @blp.doc(security=[{"bearer": []}], responses=HTML_PAGE)
    def get(self, code):
        """Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05)

        Written automatically from the dossier's history: each hand-over between the citizen, the desk,
        the processing agency and the post, with its time and, for the result, whether it came early, on
        time or late.
        """
        with runtime().sessions() as session:
            dossier = readable_dossier(session, code)
            return render.control_log(desk(), dossier, trail.rows(session, code))
