"""Mẫu 04 (Circular 01/2018/TT-VPCP), Phiếu xin lỗi và hẹn lại ngày trả kết quả: filled from the
apology routing sent (Decree 61: at least one working day before the appointment, at most once),
which intake keeps in the dossier's history (processing.apologised)."""
from __future__ import annotations

from datetime import datetime

from flask import Response, render_template

from motcua_shared.web.errors import NotFound

from ..desk import Desk
from . import render
from . import vietnamese as vn


def apology(desk: Desk, dossier: dict, entry: dict | None) -> Response:
    """The slip for the dossier's apology; 404 `no_apology` when it has none (nothing to print,
    unlike Mẫu 02/03 whose 409 says the dossier is not in that state yet: most dossiers never get one)."""
    if entry is None:
        raise NotFound("Hồ sơ không có phiếu xin lỗi và hẹn lại ngày trả kết quả.", code="no_apology")
    details = entry["details"] or {}
    context = render._common(desk, dossier, entry["occurred_at"])
    on = vn.local(dossier["received_at"] or entry["occurred_at"]).date()
    return render.page(render_template(
        "forms/apology.html", **context,
        agency=render.deciding_agency(desk, context["procedure"], dossier, on),
        received=vn.day(dossier["received_at"]).capitalize(),
        original_due=vn.clock(_moment(details.get("original_due_at"))),
        new_due=vn.clock(_moment(details.get("new_due_at"))), reason=entry["note"] or ""))


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
