"""POST /api/v1/opt-outs: an address asks for no more messages (recorded at the desk)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require
from motcua_shared.web.errors import Invalid

from ... import addresses, preferences
from ...clock import aware
from ..common import DESK, now, options
from . import blp
from .schemas import OptOut, OptOutRequest


@blp.route("")
class OptOuts(MethodView):
    @require(*DESK)
    @blp.arguments(OptOutRequest)
    @blp.response(201, OptOut)
    @blp.alt_response(200, schema=OptOut, description="The address had already opted out.")
    @blp.doc(security=[{"bearer": []}])
    def post(self, body):
        """Ngừng gửi thông báo đến một địa chỉ

        Every message to this address not yet sent is cancelled when its turn comes, and none is
        written for it any more. Idempotent: the same address answers 200 with the existing opt-out.
        """
        try:
            address = addresses.address(options().secret, body["channel"], body["address"])
        except addresses.InvalidAddress as exc:
            raise Invalid(invalid_params=[{"name": "address", "code": "invalid_format", "reason": str(exc)}]) from None
        with runtime().sessions.begin() as session:
            row, created = preferences.opt_out(session, address, source=preferences.OFFICER, at=now())
        view = {"id": row["id"], "channel": row["channel"], "address": row["address_masked"],
                "source": row["source"], "created_at": aware(row["created_at"])}
        return view, 201 if created else 200
