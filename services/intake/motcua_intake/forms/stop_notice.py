"""Thông báo dừng giải quyết hồ sơ: the written notice of the agency's stop, the result the citizen
receives in place of a decision (item 5 of the forms of Circular 03/2025/TT-VPCP, Appendix I; Circular
01/2018 had no form for it). Filled from the dossier's `stop` history row (stops.py)."""
from __future__ import annotations

from flask import Response, render_template

from motcua_shared.events.catalogue.stop import GROUND_LABELS
from motcua_shared.web.errors import Conflict

from ..desk import Desk
from . import render
from . import vietnamese as vn


def stop_notice(desk: Desk, dossier: dict, entry: dict | None) -> Response:
    """409 `not_stopped` unless the agency stopped the dossier (a withdrawal has no such notice)."""
    if dossier["status"] != "stopped" or entry is None:
        raise Conflict("Hồ sơ không bị dừng giải quyết.", code="not_stopped")
    context = render._common(desk, dossier, entry["occurred_at"])
    on = vn.local(dossier["received_at"] or entry["occurred_at"]).date()
    return render.page(render_template(
        "forms/stop_notice.html", **context, agency=render.deciding_agency(desk, context["procedure"], dossier, on),
        received=vn.day(dossier["received_at"]).capitalize(), stopped=vn.clock(entry["occurred_at"]),
        ground=GROUND_LABELS.get(dossier["stop_ground"] or "", ""), reason=entry["note"] or ""))
