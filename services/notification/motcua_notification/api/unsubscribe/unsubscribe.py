"""/api/v1/unsubscribe?t=<token>: the link at the foot of every e-mail, and its one-click POST (RFC 8058).

GET only shows a page with a button: mail scanners open links, and opening a link must never change
anything. POST records the opt-out. The token is signed with NOTIFICATION_SECRET and names only the
address's key, never the address.
"""
from flask.views import MethodView

from motcua_shared.web.app import runtime

from ... import addresses, preferences
from ..common import now, options
from ..link_pages import PAGE, Token, masked_address, page
from . import blp


_TEMPLATE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ngừng nhận thư thông báo</title>
<style nonce="{{ csp_nonce() }}">
body{font-family:Arial,Helvetica,sans-serif;max-width:36em;margin:2em auto;line-height:1.5}
h1{font-size:1.3em}
</style></head>
<body>
<h1>Ngừng nhận thư thông báo về hồ sơ</h1>
{% if state == "ask" %}
<p>Địa chỉ {{ masked }} sẽ không nhận thư thông báo về hồ sơ thủ tục hành chính nữa.</p>
<form method="post"><button type="submit">Xác nhận ngừng nhận thư</button></form>
{% elif state == "done" %}
<p>Đã ghi nhận: địa chỉ {{ masked }} sẽ không nhận thư thông báo nữa. Ông/Bà vẫn tra cứu được hồ sơ
trên cổng dịch vụ công, và có thể đề nghị nhận lại thông báo tại bộ phận một cửa.</p>
{% else %}
<p>Liên kết không hợp lệ hoặc đã bị thay đổi. Vui lòng dùng đúng liên kết trong thư.</p>
{% endif %}
</body></html>
"""


@blp.route("")
class Unsubscribe(MethodView):
    @blp.arguments(Token, location="query")
    @blp.doc(responses=PAGE)
    def get(self, query):
        """Trang ngừng nhận thư"""
        key = addresses.key_from_unsubscribe_token(options().secret, query["t"])
        if key is None:
            return _page("invalid", status=404)
        with runtime().sessions() as session:
            return _page("ask", masked_address(session, key) or "này")

    @blp.arguments(Token, location="query")
    @blp.doc(responses=PAGE)
    def post(self, query):
        """Ngừng nhận thư (cũng là One-Click của RFC 8058)"""
        key = addresses.key_from_unsubscribe_token(options().secret, query["t"])
        if key is None:
            return _page("invalid", status=404)
        with runtime().sessions.begin() as session:
            masked = masked_address(session, key)
            preferences.opt_out(session, addresses.Address(addresses.EMAIL, "", key, masked or "?"),
                                source=preferences.UNSUBSCRIBE_LINK, at=now())
        return _page("done", masked or "này")


def _page(state: str, masked: str = "", status: int = 200):
    return page(_TEMPLATE, state, masked, status)
