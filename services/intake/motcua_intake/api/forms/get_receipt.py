"""GET /api/v1/dossiers/{code}/receipt: Mẫu 01, the receipt with the appointment."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require

from ...app import desk
from ...forms import render
from . import HTML_PAGE, READERS, blp
from .readable import readable_dossier


@blp.route("/dossiers/<string:code>/receipt")
class Receipt(MethodView):
    @require(*READERS)
    @blp.doc(security=[{"bearer": []}], responses=HTML_PAGE)
    def get(self, code):
        """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)

        With the dossier's QR code at the top left (Circular 01/2023). 409 `not_received` before a desk
        has received the dossier.
        """
        with runtime().sessions() as session:
            return render.receipt(desk(), readable_dossier(session, code))
