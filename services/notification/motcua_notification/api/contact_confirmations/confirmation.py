"""/api/v1/contact-confirmations?t=<token>: the link in the receipt e-mail to an address a citizen typed.

Until confirmed, such an address gets the receipt only (contacts.py). GET only shows a page with a
button: mail scanners open links, and a scanner's visit must not confirm an address for its owner.
POST confirms it. The token is signed with NOTIFICATION_SECRET and names only the address's key.
"""
from flask.views import MethodView

from motcua_shared.web.app import runtime

from ... import addresses, contacts
from ..common import now, options
from ..link_pages import PAGE, Token, masked_address, page
from . import blp


_TEMPLATE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Xác nhận địa chỉ thư điện tử</title>
<style nonce="{{ csp_nonce() }}">
body{font-family:Arial,Helvetica,sans-serif;max-width:36em;margin:2em auto;line-height:1.5}
h1{font-size:1.3em}
</style></head>
<body>
<h1>Xác nhận địa chỉ thư điện tử</h1>
{% if state == "ask" %}
<p>Nếu Ông/Bà là người đã nộp hồ sơ và {{ masked }} là địa chỉ thư của Ông/Bà, hãy xác nhận để nhận các
thông báo tiếp theo về hồ sơ qua địa chỉ này.</p>
<form method="post"><button type="submit">Xác nhận địa chỉ này</button></form>
<p>Nếu Ông/Bà không nộp hồ sơ nào, hãy bỏ qua thư: địa chỉ này sẽ không nhận thêm thông báo.</p>
{% elif state == "done" %}
<p>Đã xác nhận: địa chỉ {{ masked }} sẽ nhận các thông báo về hồ sơ của Ông/Bà.</p>
{% else %}
<p>Liên kết không hợp lệ hoặc đã bị thay đổi. Vui lòng dùng đúng liên kết trong thư.</p>
{% endif %}
</body></html>
"""


@blp.route("")
class ContactConfirmation(MethodView):
    @blp.arguments(Token, location="query")
    @blp.doc(responses=PAGE)
    def get(self, query):
        """Trang xác nhận địa chỉ thư điện tử"""
        key = contacts.key_from_confirmation_token(options().secret, query["t"])
        if key is None:
            return _page("invalid", status=404)
        with runtime().sessions() as session:
            return _page("ask", masked_address(session, key) or "này")

    @blp.arguments(Token, location="query")
    @blp.doc(responses=PAGE)
    def post(self, query):
        """Xác nhận địa chỉ thư điện tử"""
        key = contacts.key_from_confirmation_token(options().secret, query["t"])
        if key is None:
            return _page("invalid", status=404)
        with runtime().sessions.begin() as session:
            # Only e-mails carry the link (an SMS has no room for it), so the key is an e-mail address's.
            contacts.confirm_key(session, key, addresses.EMAIL, now=now())
            masked = masked_address(session, key)
        return _page("done", masked or "này")


def _page(state: str, masked: str = "", status: int = 200):
    return page(_TEMPLATE, state, masked, status)
