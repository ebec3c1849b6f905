"""GET /api/v1/dossiers/{code}/refusal: Mẫu 03, the refusal with its reasons."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require

from ... import trail
from ...app import desk
from ...forms import render
from . import HTML_PAGE, READERS, blp
from .readable import readable_dossier


@blp.route("/dossiers/<string:code>/refusal")
class RefusalForm(MethodView):
    @require(*READERS)
    @blp.doc(security=[{"bearer": []}], responses=HTML_PAGE)
    def get(self, code):
        """Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)

        For a dossier refused at reception, or not in the desk's competence (with the unit the citizen
        was sent to); 409 `not_refused` otherwise.
        """
        with runtime().sessions() as session:
            dossier = readable_dossier(session, code)
            decision = trail.latest(session, code, "redirect" if dossier["redirected_to"] else "refuse")
            return render.refusal(desk(), dossier, decision)
