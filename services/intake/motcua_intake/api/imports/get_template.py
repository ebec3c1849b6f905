"""GET /api/v1/imports/templates/{name}: the templates of an import file (docs/import.md), the same six
Sông Mã dossiers of 2019 as CSV, XLSX and JSON lines. They ship inside intake, so an installation from
the image serves them (the console's download links come here)."""
from pathlib import Path

from flask import Response
from flask.views import MethodView

from motcua_shared.web.auth import require
from motcua_shared.web.errors import NotFound

from . import blp

TEMPLATES = Path(__file__).resolve().parents[2] / "imports" / "templates"
# The only names served: nothing else under the package is reachable through this path.
KINDS = {
    "mau-nhap-ho-so.csv": "text/csv; charset=utf-8",
    "mau-nhap-ho-so.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "mau-nhap-ho-so.jsonl": "application/jsonl; charset=utf-8",
}


@blp.route("/templates/<string:name>")
class ImportTemplate(MethodView):
    @require("admin")
    @blp.doc(security=[{"bearer": []}], responses={"200": {"description": "The template file", "content": {
        kind.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for kind in KINDS.values()}}})
    def get(self, name):
        """Tệp mẫu nhập hồ sơ lịch sử

        `mau-nhap-ho-so.csv`, `mau-nhap-ho-so.xlsx` or `mau-nhap-ho-so.jsonl`.
        """
        if name not in KINDS:
            raise NotFound("Không có tệp mẫu này.", code="template_not_found")
        return Response((TEMPLATES / name).read_bytes(), mimetype=KINDS[name], headers={
            "Content-Disposition": f'attachment; filename="{name}"'})
