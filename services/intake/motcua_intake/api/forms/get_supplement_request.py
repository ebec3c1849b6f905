"""GET /api/v1/dossiers/{code}/supplement-request: Mẫu 02, the latest supplement request."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require

from ... import trail
from ...app import desk
from ...forms import render
from . import HTML_PAGE, READERS, blp
from .readable import readable_dossier


@blp.route("/dossiers/<string:code>/supplement-request")
class SupplementRequestForm(MethodView):
    @require(*READERS)
    @blp.doc(security=[{"bearer": []}], responses=HTML_PAGE)
    def get(self, code):
        """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)

        The latest request, whether made at reception or by the processing agency; 409
        `no_supplement_request` when there is none.
        """
        with runtime().sessions() as session:
            dossier = readable_dossier(session, code)
            request = trail.latest(session, code, "request_supplement", "processing_supplement")
            return render.supplement_request(desk(), dossier, request)
