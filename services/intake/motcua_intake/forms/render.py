"""Filling the printed forms from a dossier and its history; each function answers the HTML page."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import Response, render_template

from motcua_shared.reference import FeeBasis, Procedure, RouteNotApplicable, UnknownAgency, UnknownProcedure, \
    UnknownUnit, resolve_route
from motcua_shared.web.errors import Conflict

from .. import reference
from ..desk import Desk
from . import handovers, qr
from . import vietnamese as vn

OFFICE = "Bộ phận tiếp nhận và trả kết quả"
HTML = "text/html; charset=utf-8"


def page(html: str) -> Response:
    response = Response(html, content_type=HTML)
    # Forms carry personal data: never kept by a shared proxy or a browser's back-forward cache.
    response.headers["Cache-Control"] = "no-store"
    return response


def _header(desk: Desk, unit_code: str, on: date, dated: datetime) -> dict:
    unit = desk.units.find(unit_code, on)
    name = unit.name if unit else unit_code
    place = name[len(unit.kind) + 1:] if unit and name.lower().startswith(unit.kind) else name
    return {"authority": f"UBND {name}", "office": OFFICE, "unit_name": name, "place": place,
            "dated": vn.day(dated)}


def _procedure(desk: Desk, dossier: dict) -> Procedure:
    try:
        return desk.catalogue.get(dossier["procedure_code"])
    except UnknownProcedure:
        raise Conflict("Thủ tục của hồ sơ không còn trong danh mục.", code="procedure_retired") from None


def _common(desk: Desk, dossier: dict, dated: datetime) -> dict:
    day = vn.local(dossier["received_at"] or dossier["submitted_at"]).date()
    return {"code": dossier["code"], "d": dossier, "qr": qr.svg(dossier["code"]),
            "procedure": _procedure(desk, dossier), **_header(desk, dossier["receiving_unit"], day, dated)}


def deciding_agency(desk: Desk, procedure: Procedure, dossier: dict, on: date) -> str:
    """The agency in charge (cơ quan chủ trì): the one acting at the level that decides."""
    try:
        steps = resolve_route(procedure, dossier["competent_unit"], on, units=desk.units,
                              agencies=reference.agencies())
    except (RouteNotApplicable, UnknownAgency, UnknownUnit):
        return desk.unit_name(dossier["competent_unit"], on)
    deciding = procedure.level_on(on)
    names = [agency.name for step in steps if step.level == deciding for agency in step.agencies]
    return "; ".join(names) or desk.unit_name(dossier["competent_unit"], on)


def _masked(id_number: str) -> str:
    return "*" * (len(id_number) - 4) + id_number[-4:]


def receipt(desk: Desk, dossier: dict) -> Response:
    """Mẫu 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả: only for a dossier a desk has received."""
    if dossier["received_at"] is None:
        raise Conflict("Hồ sơ chưa được tiếp nhận nên chưa có giấy hẹn trả kết quả.", code="not_received")
    context = _common(desk, dossier, dossier["received_at"])
    procedure = context["procedure"]
    on = vn.local(dossier["received_at"]).date()
    return page(render_template(
        "forms/receipt.html", **context, id_masked=_masked(desk.identity_numbers.decrypt(dossier["applicant_id_encrypted"])),
        channel=vn.CHANNELS[dossier["channel"]], copy_types=vn.COPY_TYPES,
        time_limit=vn.time_limit(procedure.processing_time.value, procedure.processing_time.unit),
        received=vn.clock(dossier["received_at"]),
        due=vn.clock(dossier["due_at"]), fee=_fee(procedure, dossier["fee_vnd"]),
        return_place=_return_place(dossier), agency=deciding_agency(desk, procedure, dossier, on),
        book=on.year, lookup_url=f"{desk.base_url}/tra-cuu"))


def _fee(procedure: Procedure, amount: int) -> str:
    """The fee line of the receipt. A fee the catalogue could not find published is 0 there meaning
    "not known": printing it as "Miễn lệ phí" would tell the citizen it is free."""
    if amount == 0 and procedure.fee_basis is FeeBasis.UNPUBLISHED:
        return "Theo mức thu do Hội đồng nhân dân tỉnh quy định"
    return vn.money(amount)


def _return_place(dossier: dict) -> str:
    place = vn.RETURN_PLACES[dossier["return_method"]]
    return f"{place}, tới địa chỉ: {dossier['delivery_address']}" if dossier["return_method"] == "postal" else place


def supplement_request(desk: Desk, dossier: dict, request: dict | None) -> Response:
    """Mẫu 02, from the latest supplement request (at reception or from processing)."""
    if request is None:
        raise Conflict("Hồ sơ chưa có yêu cầu bổ sung.", code="no_supplement_request")
    details = request["details"] or {}
    return page(render_template(
        "forms/supplement_request.html", **_common(desk, dossier, request["occurred_at"]),
        stage=details.get("stage"), items=details.get("items") or [], note=request["note"],
        requested=vn.clock(request["occurred_at"]), officer=request["actor_name"] or ""))


def refusal(desk: Desk, dossier: dict, decision: dict | None) -> Response:
    """Mẫu 03, for a dossier refused at reception or sent to the competent unit."""
    if dossier["status"] != "refused" or decision is None:
        raise Conflict("Hồ sơ không bị từ chối tiếp nhận.", code="not_refused")
    on = vn.local(decision["occurred_at"]).date()
    redirected = desk.unit_name(dossier["redirected_to"], on) if dossier["redirected_to"] else None
    return page(render_template(
        "forms/refusal.html", **_common(desk, dossier, decision["occurred_at"]), reason=decision["note"],
        redirected_to=redirected, officer=decision["actor_name"] or ""))


def control_log(desk: Desk, dossier: dict, history: list[dict]) -> Response:
    """Mẫu 05, one row per hand-over."""
    rows = [{**row, "at_text": vn.short(row["at"])} for row in handovers.rows(desk, dossier, history)]
    return page(render_template(
        "forms/control_log.html", **_common(desk, dossier, datetime.now(timezone.utc)), rows=rows,
        due=vn.clock(dossier["due_at"]) or "chưa có (hồ sơ chưa được tiếp nhận)",
        rescheduled=vn.clock(dossier["rescheduled_due_at"])))


def logbook(desk: Desk, unit: str, period: tuple[date, date], rows: list[dict]) -> Response:
    """Mẫu 06, Sổ theo dõi hồ sơ of one desk for a period."""
    start, end = period
    header = _header(desk, unit, end, datetime.now(timezone.utc))
    return page(render_template(
        "forms/logbook.html", **header, code=None, qr=None, rows=rows,
        period_from=f"{start:%d/%m/%Y}", period_to=f"{end:%d/%m/%Y}"))


def logbook_row(entry: dict) -> dict:
    contact = "; ".join(part for part in (entry["address"], entry["phone"]) if part)
    note = entry["status_label"] + (" — quá hạn" if entry["overdue"] else "")
    return {"number": entry["number"], "code": entry["code"], "procedure": entry["procedure_name"],
            "applicant": entry["applicant_name"], "contact": contact, "agency": entry["agency"],
            "received": vn.short(entry["received_at"]), "due": vn.short(entry["due_at"]),
            "transferred": vn.short(entry["transferred_at"]), "returned": vn.short(entry["returned_at"]),
            "note": note}
