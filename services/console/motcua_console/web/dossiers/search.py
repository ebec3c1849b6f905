"""`/ho-so`: find dossiers by code or applicant (accents ignored: intake folds them) and filters, as a
GET form so a search is a link that can be bookmarked or sent. The header search box of every page
lands here too: a desk QR scanner types a dossier's code and Enter, so a `q` that is exactly one
existing code goes straight to that dossier's page."""
from __future__ import annotations

import re

from flask import redirect, render_template, request, url_for

from motcua_shared.web.auth import OFFICERS

from ...clients import Invalid, NotFound
from ...formatting import status_text
from ...forms import Form
from ...permissions import requires
from ..context import backends
from . import bp
from .deadlines import due_in_words

# `<agency>-<yymmdd>-<nnnn>` (intake's sequences.dossier_code): only such a q is tried as a code.
CODE = re.compile(r"^[A-Za-z0-9.]+-\d{6}-\d{4}$")
PAGE_SIZE = 20
FILTERS = ("q", "status", "procedure", "channel", "received_from", "received_to")
LABELS = {"q": "mã hồ sơ hoặc tên người nộp", "status": "trạng thái", "procedure": "mã thủ tục",
          "channel": "hình thức nộp", "received_from": "ngày tiếp nhận từ", "received_to": "ngày tiếp nhận đến",
          "page": "trang"}
STATUSES = ("submitted", "received", "in_progress", "supplement_required", "awaiting_payment",
            "withdrawal_requested", "processed", "returned", "refused", "stopped")
CHANNELS = (("counter", "Trực tiếp tại quầy"), ("online", "Trực tuyến"), ("postal", "Qua bưu chính"))


@bp.get("/ho-so")
@requires(*OFFICERS)
def search():
    form = Form.from_request(request.args, labels=LABELS)
    query = {name: form.get(name) for name in FILTERS if form.get(name)}
    page = _page(form.get("page"))

    code = query.get("q", "")
    if CODE.match(code) and len(query) == 1:
        try:
            found = backends().intake.dossier(code)
        except NotFound:
            found = None
        if found:
            return redirect(url_for("dossiers.detail", code=found["code"]), 303)

    results, status = None, 200
    try:
        results = backends().intake.dossiers(**query, page=page, page_size=PAGE_SIZE)
    except Invalid as exc:
        form.apply_problem(exc.problem)
        status = 400
    rows = [{**item, "due": due_in_words(item.get("rescheduled_due_at") or item.get("due_at"), item.get("overdue"))}
            for item in (results or {}).get("items", [])]
    return render_template("dossiers/search.html", form=form, query=query, results=results, rows=rows,
                           page=page, page_size=PAGE_SIZE, channels=CHANNELS,
                           statuses=[(s, status_text(s)) for s in STATUSES],
                           channel_names=dict(CHANNELS)), status


def _page(value: str) -> int:
    try:
        return min(max(int(value), 1), 100000)
    except (TypeError, ValueError):
        return 1
