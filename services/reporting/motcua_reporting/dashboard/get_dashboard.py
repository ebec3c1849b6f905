"""GET /dashboard: the page (the figures are fetched by its script from the report API)."""
from flask import make_response, render_template
from flask.views import MethodView

from . import blp


@blp.route("")
class DashboardView(MethodView):
    @blp.doc(responses={"200": {"description": "The dashboard page (HTML)", "content": {"text/html": {}}}})
    def get(self):
        """Bảng theo dõi giải quyết thủ tục hành chính

        Query parameters (all optional, read by the page's script): `unit` (default: the token's
        unit), `from` and `to` (default: this year so far). No token is needed for the page itself;
        its data comes from the report API with the officer's token.
        """
        # Its Content-Security-Policy (scripts and styles from here only) is every page's:
        # motcua_shared.web.security_headers.
        response = make_response(render_template("dashboard.html"))
        response.headers["Cache-Control"] = "no-store"
        return response
