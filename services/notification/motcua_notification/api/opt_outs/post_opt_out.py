"""POST /api/v1/opt-outs: an address asks for no more messages (recorded at the desk)."""
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import current_principal, require
from motcua_shared.web.errors import Invalid, NotFound

from ... import addresses, preferences
from ..common import DESK, now, options
from . import blp
from .schemas import OptOutRecorded, OptOutRequest
from .scope import may_opt_out


@blp.route("")
class OptOuts(MethodView):
    @require(*DESK)
    @blp.arguments(OptOutRequest)
    @blp.response(200, OptOutRecorded)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body):
        """Ngừng gửi thông báo đến một địa chỉ

        Every message to this address not yet sent is cancelled when its turn comes, and none is
        written for it any more. Idempotent, and the answer is the same (200, same body) whether the
        address had already opted out or not: it tells nobody what the citizen asked before. A desk
        opts out the addresses of dossiers in its scope; another address answers 404
        `address_not_found` (the province's administrator may opt out any address).
        """
        try:
            address = addresses.address(options().secret, body["channel"], body["address"])
        except addresses.InvalidAddress as exc:
            raise Invalid(invalid_params=[{"name": "address", "code": "invalid_format", "reason": str(exc)}]) from None
        with runtime().sessions.begin() as session:
            if not may_opt_out(session, current_principal(), address):
                raise NotFound("Không có hồ sơ nào trong phạm vi của bạn dùng địa chỉ này.", code="address_not_found")
            row, _created = preferences.opt_out(session, address, source=preferences.OFFICER, at=now())
        return {"id": row["id"], "channel": row["channel"], "address": address.masked}
