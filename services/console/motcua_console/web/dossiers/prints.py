"""`/ho-so/<code>/in/<mau>`: a printable form, fetched from intake with the officer's own token and
passed through as intake rendered it, so each form opens with the console session alone (no service
token ever reaches the browser). The HTML is intake's: it may carry inline styles and a data: QR image,
and nothing else is allowed on that response."""
from __future__ import annotations

from flask import abort, make_response, render_template

from motcua_shared.web.auth import OFFICERS

from ...clients import Conflict
from ...permissions import requires
from ..context import backends
from . import bp
from .tasks import FORMS

PRINT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@bp.get("/ho-so/<code>/in/<mau>")
@requires(*OFFICERS)
def print_form(code: str, mau: str):
    if mau not in FORMS:
        abort(404)
    form, name = FORMS[mau]
    try:
        raw = backends().intake.form(code, form)
    except Conflict:
        return render_template("dossiers/no_form.html", code=code, name=name), 409
    response = make_response(raw.content)
    response.headers["Content-Type"] = raw.content_type or "text/html; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = PRINT_CSP
    return response
