"""/tiep-nhan: receiving a dossier at the counter (or one that came by post).

The procedure list is intake's published catalogue; the sector (for grouping), the papers each
procedure asks for and its time limit (told to the citizen at the counter) come from the shared reference
catalogue, which intake itself is built on and which the console keeps on intake's version (reference.py).
Choosing a procedure and pressing "Cập nhật danh sách giấy tờ" re-renders the form with its papers
without sending anything to intake. A hidden Idempotency-Key, made when the form is first shown and
carried on every re-render, makes a second press of Enter answer the same dossier instead of a new one.
"""
from __future__ import annotations

import re
import uuid

from flask import redirect, render_template, request
from markupsafe import Markup

from motcua_shared.reference import UnknownProcedure, fold, load_catalogue

from ...clients import Conflict, Invalid
from ...forms import Form, problem_message
from ...permissions import requires
from ..context import backends, banner, officer
from ..dossiers.deadline_explained import time_limit
from . import bp

COPY_TYPES = (("original", "Bản chính"), ("copy", "Bản sao"), ("electronic", "Bản điện tử"))
CHANNELS = (("counter", "Nộp trực tiếp tại quầy"), ("postal", "Nộp qua bưu chính"))
RETURN_METHODS = (("counter", "Nhận tại quầy"), ("postal", "Gửi qua bưu chính"))
OTHER_SECTOR = "Lĩnh vực khác"

LABELS = {
    "procedure": "thủ tục hành chính",
    "applicant_full_name": "họ và tên người nộp",
    "applicant_id_number": "số định danh cá nhân",
    "applicant_phone": "số điện thoại di động",
    "applicant_email": "thư điện tử",
    "applicant_address": "địa chỉ",
    "channel": "hình thức nộp",
    "return_method": "hình thức nhận kết quả",
    "delivery_address": "địa chỉ nhận kết quả qua bưu chính",
}
# intake's names for what was refused -> the fields of this page
FIELDS = {
    "procedure_code": "procedure",
    "applicant.full_name": "applicant_full_name",
    "applicant.id_number": "applicant_id_number",
    "applicant.phone": "applicant_phone",
    "applicant.email": "applicant_email",
    "applicant.address": "applicant_address",
    "channel": "channel",
    "return_method": "return_method",
    "delivery_address": "delivery_address",
}
REUSED = ("Biểu mẫu này đã được gửi và một hồ sơ đã được tiếp nhận từ lần gửi trước (xem ở Quầy tiếp nhận). "
          "Nếu đây đúng là một hồ sơ khác, kiểm tra lại rồi bấm \"Tiếp nhận hồ sơ\" lần nữa.")
DOC_KEY = re.compile(r"^doc\.(\d+)\.name$")
MAX_ROWS = 50


def _catalogue_items(search: str) -> list[dict]:
    answer = backends().intake.procedures()
    items = answer.get("items", [])
    if search:
        words = fold(search).split()
        items = [p for p in items if all(w in fold(f"{p['code']} {p['name']} {_sector(p['code'])}") for w in words)]
    return items


def _sector(code: str) -> str:
    try:
        return load_catalogue().get(code).sector
    except UnknownProcedure:
        return OTHER_SECTOR


def _grouped(items: list[dict]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(sector, [(code, name)]) sorted by sector, for the <optgroup>s."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for item in items:
        groups.setdefault(_sector(item["code"]), []).append((item["code"], f"{item['name']} ({item['code']})"))
    return sorted(groups.items(), key=lambda pair: fold(pair[0]))


def _checklist(code: str) -> list[dict]:
    """The papers the procedure asks for, as rows of the form."""
    try:
        procedure = load_catalogue().get(code)
    except UnknownProcedure:
        return []
    return [{"name": d.name, "copy_type": str(d.copy_type), "count": str(d.count), "condition": d.condition}
            for d in procedure.documents]


def _typed_rows(form: Form) -> list[dict]:
    indices = sorted(int(m.group(1)) for key in form.values.keys() if (m := DOC_KEY.match(key)))
    return [{"name": form.get(f"doc.{i}.name"), "copy_type": form.get(f"doc.{i}.copy_type"),
             "count": form.get(f"doc.{i}.count"), "condition": ""} for i in indices[:MAX_ROWS]]


def _load_rows_into(form: Form, rows: list[dict]) -> None:
    """Replace the document rows of the form with `rows` (numbered from 0)."""
    for key in [k for k in form.values.keys() if k.startswith("doc.")]:
        form.values.poplist(key)
    for i, row in enumerate(rows):
        for part in ("name", "copy_type", "count"):
            form.values[f"doc.{i}.{part}"] = row[part]


def _labels(rows: list[dict]) -> dict[str, str]:
    labels = dict(LABELS)
    for i in range(len(rows)):
        labels[f"doc.{i}.name"] = f"tên giấy tờ {i + 1}"
        labels[f"doc.{i}.copy_type"] = f"loại bản của giấy tờ {i + 1}"
        labels[f"doc.{i}.count"] = f"số lượng của giấy tờ {i + 1}"
    return labels


def _body(form: Form, unit: str) -> tuple[dict, list[int]]:
    """intake's DossierCreate from the form; also which page rows became which `documents.N`."""
    documents, sent_rows = [], []
    for i, row in enumerate(_typed_rows(form)):
        count = row["count"]
        if count in ("", "0"):
            continue  # not handed in
        documents.append({"name": row["name"], "copy_type": row["copy_type"],
                          "count": int(count) if count.isdigit() else count})
        sent_rows.append(i)
    postal = form.get("return_method") == "postal"
    body = {
        "procedure_code": form.get("procedure"),
        "channel": form.get("channel") or "counter",
        "receiving_unit": unit,
        "return_method": form.get("return_method") or "counter",
        "delivery_address": (form.get("delivery_address") or None) if postal else None,
        "applicant": {
            "full_name": form.get("applicant_full_name"),
            "id_number": form.get("applicant_id_number"),
            "phone": form.get("applicant_phone") or None,
            "email": form.get("applicant_email") or None,
            "address": form.get("applicant_address") or None,
        },
        "documents": documents,
    }
    return body, sent_rows


@bp.route("/tiep-nhan", methods=["GET", "POST"])
@requires("receptionist")
def reception():
    me = officer()
    search = request.args.get("thu-tuc", "").strip()
    if request.method == "GET":
        form = Form(labels=LABELS)
        form.values["idempotency_key"] = str(uuid.uuid4())
        chosen = request.args.get("procedure", "")
        if chosen:
            form.values["procedure"] = chosen
            _load_rows_into(form, _checklist(chosen))
        return _render(form, search)

    form = Form.from_request(request.form)
    if not form.get("idempotency_key"):
        form.values["idempotency_key"] = str(uuid.uuid4())
    if request.form.get("action") == "refresh":
        # Only re-render with the chosen procedure's papers: nothing goes to intake.
        _load_rows_into(form, _checklist(form.get("procedure")))
        return _render(form, search)

    form.labels = _labels(_typed_rows(form))
    if not form.get("procedure"):
        form.error("procedure", "Chọn thủ tục hành chính.")
        return _render(form, search, 400)
    body, sent_rows = _body(form, me.unit)
    try:
        created = backends().intake.submit(body, form.get("idempotency_key"))
    except Invalid as exc:
        names = dict(FIELDS)
        for position, row in enumerate(sent_rows):
            for part in ("name", "copy_type", "count"):
                names[f"documents.{position}.{part}"] = f"doc.{row}.{part}"
        form.apply_problem(exc.problem, names)
        return _render(form, search, 400)
    except Conflict as exc:
        if exc.problem and exc.problem.code == "idempotency_key_reused":
            # This form was already sent once (and a dossier received), then changed and sent again: say
            # so, and give the form a new key so that a deliberate second press receives a new dossier.
            form.form_errors.append(REUSED)
            form.values["idempotency_key"] = str(uuid.uuid4())
        else:
            form.form_errors.append(problem_message(exc.problem))
        return _render(form, search, 409)
    code = created["code"]
    banner(Markup('Đã tiếp nhận hồ sơ {code}. <a href="/ho-so/{path}/in/giay-tiep-nhan">In giấy tiếp nhận hồ sơ '
                  'và hẹn trả kết quả (Mẫu 01)</a>').format(code=code, path=code))
    return redirect(f"/ho-so/{code}", 303)


def _render(form: Form, search: str, status: int = 200):
    rows = _typed_rows(form)
    form.labels = _labels(rows)
    items = _catalogue_items(search)
    chosen = form.get("procedure")
    if chosen and chosen not in {item["code"] for item in items}:
        # keep the chosen procedure selectable even when the search hides it
        items = items + [p for p in _catalogue_items("") if p["code"] == chosen]
    conditions = {row["name"]: row["condition"] for row in _checklist(chosen)} if chosen else {}
    return render_template("desk/reception.html", form=form, search=search, groups=_grouped(items),
                           rows=rows, conditions=conditions, copy_types=COPY_TYPES, channels=CHANNELS,
                           return_methods=RETURN_METHODS, unit=officer().unit, found=len(items),
                           limit=time_limit(chosen) if chosen else None), status
