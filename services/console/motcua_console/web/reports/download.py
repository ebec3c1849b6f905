"""GET /bao-cao/tai-ve: a report as reporting lays it out in CSV or XLSX, passed through with its file name."""
from __future__ import annotations

import re

from flask import Response, abort, request

from motcua_shared.web.auth import REPORT_READERS

from ...permissions import requires
from ..context import backends
from . import bp
from .query import FIGURE_NAMES, MECHANISMS, report_form, service_args

REPORTS = ("summary", "indicators", "dossiers")
FORMATS = ("csv", "xlsx")


@bp.get("/bao-cao/tai-ve")
@requires(*REPORT_READERS)
def download():
    name, fmt = request.args.get("bao-cao", ""), request.args.get("dinh-dang", "")
    if name not in REPORTS or fmt not in FORMATS:
        abort(404)
    filters = {}
    if name == "dossiers":
        figure, mechanism = request.args.get("figure", ""), request.args.get("mechanism") or None
        if figure not in FIGURE_NAMES or (mechanism and mechanism not in MECHANISMS):
            abort(404)
        filters = {"figure": figure, **({"mechanism": mechanism} if mechanism else {})}
    # A refused period or unit ends on the error page (the report page itself shows why, beside the field).
    found = backends().reporting.download(name, fmt, **service_args(report_form(request.args)), **filters)
    # Reporting's names are ASCII already (kind, unit code, dates); anything else is dropped, not trusted.
    filename = re.sub(r"[^A-Za-z0-9._-]", "", found.filename or "") or f"bao-cao.{fmt}"
    response = Response(found.content, content_type=found.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
