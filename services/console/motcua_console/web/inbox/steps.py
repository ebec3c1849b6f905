"""`/cong-viec`: the officer's steps from routing's work inbox, one tab per routing `status` filter,
the soonest deadline first, due today and overdue said in words (overdue is routing's answer)."""
from __future__ import annotations

from flask import render_template, request

from motcua_shared.web.auth import HANDLERS

from ...permissions import requires
from ..context import backends
from ..dossiers.deadlines import due_in_words
from ..dossiers.search import _page
from ..dossiers.tasks import STEP_ACTIONS, STEP_STATUSES
from . import bp

# routing's GET /api/v1/steps `status` values, as tabs in the order of an officer's work.
TABS = (("unclaimed", "Chưa nhận"), ("mine", "Của tôi"), ("open", "Đang mở"), ("closed", "Đã xong"))
DEFAULT_TAB = "open"
PAGE_SIZE = 50
FAR = "9999"  # sorts steps without a deadline last


@bp.get("/cong-viec")
@requires(*HANDLERS)
def steps():
    tab = request.args.get("tab", DEFAULT_TAB)
    if tab not in dict(TABS):
        tab = DEFAULT_TAB
    page = _page(request.args.get("page"))
    found = backends().routing.steps(status=tab, page=page, page_size=PAGE_SIZE)
    items = found.get("items", [])
    if tab != "closed":
        items = sorted(items, key=lambda s: s.get("due_at") or FAR)
    rows = [{**s, "due": due_in_words(s.get("due_at"), s.get("overdue")) if tab != "closed" else None}
            for s in items]
    return render_template("inbox/steps.html", tabs=TABS, tab=tab, rows=rows, found=found, page=page,
                           page_size=PAGE_SIZE, step_actions=STEP_ACTIONS, step_statuses=STEP_STATUSES)
