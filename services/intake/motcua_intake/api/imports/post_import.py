"""POST /api/v1/imports: upload a file of past dossiers (multipart field `file`)."""
import hashlib
import logging
from datetime import datetime

from flask import Response, json, request
from flask.views import MethodView

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require
from motcua_shared.web.errors import PROBLEM_CONTENT_TYPE, TYPE_BASE, ApiError, Invalid
from motcua_shared.workcal import VIETNAM_TZ

from ...app import desk
from ..calendar.province_admin import require_province_admin
from ...imports import report, staging
from ...imports.reading import format_of
from . import blp
from .schemas import Import, ImportChecked, ImportQuery
from .upload_limit import too_large

log = logging.getLogger("motcua.intake.imports")
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "CSV (UTF-8, `,` or `;`), XLSX (first sheet) or JSON lines; "
                                           "at most INTAKE_IMPORT_MAX_BYTES."}}}}}}


class UnsupportedFile(ApiError):
    status, code, title = 415, "unsupported_file", "Kiểu tệp không được hỗ trợ"


def _invalid(problems, total: int) -> Response:
    """422 `import_invalid`: the report, first 1000 problems, and how many there are in all."""
    body = {"type": TYPE_BASE + "import-invalid", "title": "Tệp nhập có lỗi", "status": 422, "code": "import_invalid",
            "detail": f"Tệp có {total} lỗi; chưa nhập hồ sơ nào. Sửa các dòng được nêu rồi gửi lại cả tệp.",
            "invalid_params": report.invalid_params(problems), "errors_total": total}
    return Response(json.dumps(body, ensure_ascii=False), status=422, mimetype=PROBLEM_CONTENT_TYPE)


def _upload() -> tuple[str, bytes]:
    if request.mimetype != "multipart/form-data":
        raise UnsupportedFile("Gửi tệp trong trường `file` của một biểu mẫu multipart/form-data.")
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("Thiếu tệp nhập.", invalid_params=[
            {"name": "file", "code": "required", "reason": "Gửi tệp trong trường `file`."}])
    limit = runtime().settings.intake_import_max_bytes
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large(limit)
    filename = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1] or "import"
    if format_of(filename, data) is None:
        raise UnsupportedFile("Tệp phải là CSV, XLSX hoặc JSON lines (.csv, .xlsx, .jsonl).")
    return filename, data


@blp.route("")
class ImportUpload(MethodView):
    @require("admin")
    @blp.arguments(ImportQuery, location="query")
    @blp.response(201, Import)
    @blp.alt_response(200, schema=Import, description="This file was imported (or staged) before: the same import; "
                                                      "nothing changes. With `check=true` and a new valid file: "
                                                      "ImportChecked, nothing stored.")
    @blp.alt_response(413, description="`file_too_large`: beyond INTAKE_IMPORT_MAX_BYTES.")
    @blp.alt_response(415, description="`unsupported_file`: not a multipart upload of a CSV, XLSX or JSON-lines file.")
    @blp.doc(security=[{"bearer": []}], requestBody=UPLOAD_BODY)
    def post(self, query):
        """Nhập hồ sơ lịch sử từ tệp

        The whole file is checked first. Any problem answers 422 `import_invalid` with the report
        (`invalid_params`: field, line, code and a Vietnamese reason; the first 1000, `errors_total` counts
        them all) and stores nothing. A valid file is staged at once (201) and applied in the background
        by the intake worker, part by part; follow it with `GET /api/v1/imports/{id}`. The same file again
        answers 200 with the import made before. `check=true` checks only. A province's administrator (unit
        14) only: a file holds dossiers of every unit.
        """
        actor = require_province_admin(datetime.now(VIETNAM_TZ).date(), to="nhập hồ sơ lịch sử")
        filename, data = _upload()
        sha256 = hashlib.sha256(data).hexdigest()
        sessions = runtime().sessions
        with sessions() as session:
            existing = staging.find(session, sha256)
        if existing is not None:
            return existing, 200
        from ...imports.validation import check_file

        with sessions() as session:
            checked = check_file(data, filename, session=session, today=datetime.now(VIETNAM_TZ).date(), desk=desk())
        if checked.problems:
            return _invalid(checked.problems, max(checked.problems_total, len(checked.problems)))
        if query["check"]:
            return Response(json.dumps(ImportChecked().dump({
                "filename": filename, "sha256": sha256, "total": checked.total, "to_apply": len(checked.records),
                "already": checked.already}), ensure_ascii=False), status=200, mimetype="application/json")
        with sessions.begin() as session:
            staged = staging.stage(session, checked, filename=filename, sha256=sha256, created_by=actor)
        if staged.problems:
            return _invalid(staged.problems, len(staged.problems))
        if staged.created:
            log.info("import_staged", extra={"import_id": staged.row["id"], "total": checked.total,
                                             "to_apply": len(checked.records)})
        return staged.row, 201 if staged.created else 200
