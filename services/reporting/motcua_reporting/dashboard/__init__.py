"""The leaders' dashboard: one Vietnamese page, its script and style, and the vendored chart library.

The page holds no figures. Its script asks the report API for them with the officer's bearer
token, so the dashboard shows exactly what the API lets that officer see (their unit and below)
and nothing is public. The token comes from the login field, or from the URL fragment
(`/dashboard#token=...`, how a single sign-on portal can hand it over: a fragment never reaches a
server or its logs); it is kept in the tab's sessionStorage and the fragment is wiped at once.
Everything is served from here: the page works offline (no CDN) and its Content-Security-Policy
allows scripts, styles and requests to this origin only.
"""
from pathlib import Path

from motcua_shared.web.blueprint import Blueprint

PACKAGE = Path(__file__).resolve().parents[1]

blp = Blueprint("dashboard", __name__, url_prefix="/dashboard", description="Bảng theo dõi cho lãnh đạo.",
                static_folder=str(PACKAGE / "static"), template_folder=str(PACKAGE / "templates"))

from . import get_dashboard  # noqa: E402,F401
