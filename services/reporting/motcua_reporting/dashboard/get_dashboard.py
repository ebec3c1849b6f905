"""GET /dashboard: the page (the figures are fetched by its script from the report API)."""
from flask import make_response, render_template
from flask.views import MethodView

from . import blp

CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@blp.route("")
class DashboardView(MethodView):
    @blp.doc(responses={"200": {"description": "The dashboard page (HTML)", "content": {"text/html": {}}}})
    def get(self):
        """Bảng theo dõi giải quyết thủ tục hành chính

        Query parameters (all optional, read by the page's script): `unit` (default: the token's
        unit), `from` and `to` (default: this year so far). No token is needed for the page itself;
        its data comes from the report API with the officer's token.
        """
        response = make_response(render_template("dashboard.html"))
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response
