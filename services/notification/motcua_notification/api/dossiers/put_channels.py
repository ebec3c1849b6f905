"""PUT /api/v1/dossiers/{code}/channels: the channels the citizen chose for this dossier."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require

from ... import preferences
from ..common import DESK, now
from . import blp
from .lookup import dossier_in_scope
from .schemas import Channels, ChannelsChosen


@blp.route("/<string:code>/channels")
class DossierChannels(MethodView):
    @require(*DESK)
    @blp.arguments(Channels)
    @blp.response(200, ChannelsChosen)
    @blp.doc(security=[{"bearer": []}])
    def put(self, body, code):
        """Kênh nhận thông báo của hồ sơ

        Recorded at the desk with the citizen: from now on this dossier's messages go only to the chosen
        channels (both false: none), and its messages on a declined channel not sent yet are cancelled.
        """
        at = now()
        with runtime().sessions.begin() as session:
            dossier_in_scope(session, code)
            cancelled = preferences.choose_channels(session, code, sms=body["sms"], email=body["email"],
                                                    by=current_principal().sub, at=at)
        return {"dossier_code": code, "sms": body["sms"], "email": body["email"], "chosen_at": at,
                "cancelled": cancelled}
