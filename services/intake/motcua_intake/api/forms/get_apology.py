"""GET /api/v1/dossiers/{code}/apology: Mẫu 04, the apology with the new appointment."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require

from ... import trail
from ...app import desk
from ...forms import apology
from . import HTML_PAGE, READERS, blp
from .readable import readable_dossier


@blp.route("/dossiers/<string:code>/apology")
class ApologyForm(MethodView):
    @require(*READERS)
    @blp.doc(security=[{"bearer": []}], responses=HTML_PAGE)
    def get(self, code):
        """Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)

        From the apology routing sent when the dossier could not be finished by its appointment (at
        least one working day before it, at most once): the original appointment, the reason and the
        new one. 404 `no_apology` when the dossier has none.
        """
        with runtime().sessions() as session:
            dossier = readable_dossier(session, code)
            return apology.apology(desk(), dossier, trail.latest(session, code, "apology"))
