"""/quan-tri/nhap-ho-so: the administrator brings a district's past dossiers in from a file (CSV, XLSX or
JSON lines, docs/import.md), sees intake's report when the file has problems, and follows an import's
progress while intake's worker applies it.

Intake is the authority on the file: it validates it whole, stores nothing when anything is wrong, and
answers the same import for the same file. The console only carries the file and shows the answers."""
from __future__ import annotations

import re

from flask import Response, abort, g, jsonify, redirect, render_template, request, url_for

from ...clients import Forbidden
from ...clients.intake import FileTooLarge, ImportRejected, UnsupportedFile
from ...forms import Form
from ...formatting import number, size, when
from ...permissions import requires
from ..context import backends, banner, runtime
from . import bp

ACCEPTED = (".csv", ".xlsx", ".jsonl")
STATUS_TEXT = {"pending": "Đang chờ nhập", "applying": "Đang nhập", "done": "Hoàn tất"}
POLL_SECONDS = 2

# The template files: intake owns the file's format and serves its templates.
TEMPLATES = ("mau-nhap-ho-so.csv", "mau-nhap-ho-so.xlsx", "mau-nhap-ho-so.jsonl")

# The report names a record's field as the JSON lines form does (docs/import.md); the page names it by
# its column in the CSV/XLSX template, which is what the officer who prepared the file sees.
FIELDS = {
    "code": "Mã hồ sơ", "procedure_code": "Mã thủ tục", "channel": "Kênh tiếp nhận",
    "receiving_unit": "Đơn vị tiếp nhận", "competent_unit": "Cơ quan giải quyết",
    "applicant": "Người nộp", "applicant.full_name": "Họ tên người nộp", "applicant.id_number": "Số CCCD/CMND",
    "applicant.phone": "Số điện thoại", "applicant.email": "Email", "applicant.address": "Địa chỉ",
    "return_method": "Hình thức nhận kết quả", "delivery_address": "Địa chỉ nhận kết quả",
    "documents": "Thành phần hồ sơ", "received_at": "Ngày tiếp nhận", "received_by": "Cán bộ tiếp nhận",
    "due_at": "Ngày hẹn trả", "steps": "Các bước xử lý", "supplements": "Các lần bổ sung",
    "processed_at": "Ngày có kết quả", "result": "Kết quả", "result_note": "Ghi chú kết quả",
    "returned_at": "Ngày trả kết quả", "returned_by": "Hình thức trả kết quả",
    "withdrawn_at": "Ngày rút hồ sơ", "withdrawal_reason": "Lý do rút",
    "file": "—",  # the file or the line as a whole (unreadable, not JSON, a column missing)
}
STEP_FIELDS = {"unit": "Đơn vị", "agency": "Cơ quan", "agency_name": "Cơ quan", "action": "Công việc",
               "assigned_at": "Ngày nhận", "due_at": "Hạn xử lý", "completed_at": "Ngày hoàn thành", "outcome": "Kết quả",
               "handled_by": "Người xử lý", "note": "Ghi chú"}
SUPPLEMENT_FIELDS = {"requested_at": "Ngày yêu cầu", "received_at": "Ngày nhận", "note": "Nội dung",
                     "items": "Giấy tờ cần bổ sung"}
REPEATED = re.compile(r"^(steps|supplements)(?:\.(\d+)|\[(\d+)\])(?:\.(\w+))?$")


def field_label(name: str) -> str:
    """`received_at` → "Ngày tiếp nhận", `steps.1.completed_at` → "Bước 1 - Ngày hoàn thành" (groups are
    counted from 1, as the template's columns are); a name intake gives as a column header stays as is."""
    if not name:
        return "—"
    if name in FIELDS:
        return FIELDS[name]
    found = REPEATED.match(name)
    if found:
        group, index, bracket, inner = found.groups()
        position = int(index if index is not None else bracket)
        title, names = ("Bước", STEP_FIELDS) if group == "steps" else ("Bổ sung", SUPPLEMENT_FIELDS)
        return f"{title} {position} - {names.get(inner, inner)}" if inner else f"{title} {position}"
    return name


def _limit() -> int:
    return runtime().settings.console_import_max_bytes


PROVINCE_ONLY = ("Chỉ quản trị viên cấp tỉnh được nhập hồ sơ "
                 "lịch sử, vì một tệp chứa hồ sơ của nhiều đơn vị.")


def _render(form: Form, status: int = 200, *, report: ImportRejected | None = None, checked: dict | None = None,
            filename: str = ""):
    try:
        items = backends().intake.imports()
    except Forbidden:  # intake's rule: a commune's or district's administrator may not
        form.form_errors[:] = [PROVINCE_ONLY]
        return render_template("admin/imports.html", form=form, imports=[], refused=True, status_text=STATUS_TEXT,
                               limit=_limit(), accepted=",".join(ACCEPTED)), 403
    rows = [{"line": p.line, "field": field_label(p.field), "reason": p.reason or p.code} for p in report.problems] \
        if report else []
    return render_template("admin/imports.html", form=form, imports=items, status_text=STATUS_TEXT,
                           report=report, rows=rows, checked=checked, filename=filename, limit=_limit(),
                           accepted=",".join(ACCEPTED)), status


@bp.route("/quan-tri/nhap-ho-so", methods=["GET", "POST"])
@requires("admin")
def imports():
    form = Form(labels={"file": "tệp"})
    if request.method == "GET":
        return _render(form)
    too_large = f"Tệp lớn hơn giới hạn {size(_limit())}; hãy chia thành nhiều tệp nhỏ hơn."
    if g.get("upload_too_large"):  # not even read (app._begin)
        form.error("file", too_large)
        return _render(form, 413)
    form = Form.from_request(request.form, labels={"file": "tệp"})
    check = form.get("check") == "true"
    upload = request.files.get("file")
    filename = (upload.filename or "").strip() if upload else ""
    content = upload.read() if upload and filename else b""
    if not filename:
        form.error("file", "Chọn tệp hồ sơ cần nhập (CSV, XLSX hoặc JSON lines).")
    elif not content:
        form.error("file", f"Tệp {filename} không có dữ liệu.")
    elif len(content) > _limit():
        form.error("file", too_large)
    if not form.ok:
        return _render(form, 413 if len(content) > _limit() else 400, filename=filename)
    try:
        answer = backends().intake.upload_import(content, filename, check=check,
                                                 timeout=runtime().settings.console_import_timeout)
    except Forbidden:
        return _render(form)  # says why, as a GET does
    except ImportRejected as exc:
        form.form_errors.append(_report_sentence(exc.total))
        return _render(form, 422, report=exc, filename=filename)
    except FileTooLarge:  # intake's own limit is lower than the console's: say so without a figure
        form.error("file", "Tệp lớn hơn giới hạn mà dịch vụ tiếp nhận hồ sơ cho phép; "
                           "hãy chia thành nhiều tệp nhỏ hơn.")
        return _render(form, 413, filename=filename)
    except UnsupportedFile:
        form.error("file", f"Tệp {filename} không phải CSV, XLSX hay JSON lines; hãy lưu tệp theo một "
                           "trong các mẫu dưới đây.")
        return _render(form, 415, filename=filename)
    body = answer.body
    if check and "id" not in body:  # checked only (a file imported before answers its import instead)
        return _render(form, checked=body, filename=filename)
    if answer.created:
        banner(f"Đã nhận tệp {filename}: {number(body.get('total', 0))} hồ sơ hợp lệ, đang được nhập.")
    else:
        banner(f"Tệp {filename} đã được nhập trước đây (lúc {when(body.get('created_at'))}); "
               "không có gì thay đổi.", "info")
    return redirect(url_for("admin.import_status", import_id=body["id"]), 303)


def _report_sentence(total: int) -> str:
    return f"Tệp có {number(total)} lỗi; chưa nhập hồ sơ nào."


def progress(item: dict) -> dict:
    """How far an import is, for its page and its JSON endpoint alike: the records to apply (those not
    already in intake) and how many are applied."""
    total = int(item.get("total") or 0)
    already = int(item.get("already") or 0)
    applied = int(item.get("applied") or 0)
    done = item.get("status") == "done"
    goal = max(total - already, applied, 0)
    if done:
        applied = goal
    status = STATUS_TEXT.get(item.get("status"), item.get("status") or "")
    summary = (f"Hoàn tất: đã nhập {number(applied)} hồ sơ" if done
               else f"{status}: {number(applied)} / {number(goal)} hồ sơ")
    if already:
        summary += f" ({number(already)} hồ sơ đã có từ trước, bỏ qua)"
    return {"status": item.get("status"), "status_text": status, "done": done, "total": total,
            "already": already, "applied": applied, "goal": goal, "summary": summary + ".",
            "finished_at": when(item.get("finished_at"))}


@bp.get("/quan-tri/nhap-ho-so/<import_id>")
@requires("admin")
def import_status(import_id: str):
    item = backends().intake.import_status(import_id)
    return render_template("admin/import.html", item=item, progress=progress(item), poll_seconds=POLL_SECONDS)


@bp.get("/quan-tri/nhap-ho-so/<import_id>/tien-do")
@requires("admin")
def import_progress(import_id: str):
    """What console.js polls every two seconds on the import's page."""
    return jsonify(progress(backends().intake.import_status(import_id)))


@bp.get("/quan-tri/nhap-ho-so/mau/<name>")
@requires("admin")
def import_template(name: str):
    if name not in TEMPLATES:
        abort(404)
    found = backends().intake.import_template(name)
    return Response(found.content, mimetype=found.content_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
