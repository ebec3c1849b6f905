"""/buu-chinh/<shipment_id>: one shipment, its whole history, and the form for what the post said by
phone (POST /buu-chinh/<shipment_id>/bao-cao). postal runs a reported status through the same machine
as the partner's own reports: it refuses a time that cannot be true (field error) and a status that
would change nothing (409, shown on the same page with what was typed). An unknown shipment and
another unit's are alike a 404 from postal, the console's 404 page."""
from __future__ import annotations

from datetime import date, datetime, time

from flask import redirect, render_template, request, url_for

from motcua_shared.workcal import VIETNAM_TZ

from ...auth import accounts
from ...clients import Conflict, Invalid
from ...formatting import when
from ...forms import Form
from ...permissions import requires
from ..context import backends, banner, officer, runtime
from . import bp
from .words import DIRECTION_NAMES, REPORTABLE, REPORTABLE_NAMES, SOURCES

REPORTERS = ("receptionist", "leader")
LABELS = {"status": "trạng thái bưu điện báo", "date": "ngày", "time": "giờ",
          "tracking_number": "số hiệu bưu gửi", "note": "nội dung bưu điện báo"}
# postal's field names -> the form's (its one time is typed as a date and a time).
FIELDS = {"status": "status", "occurred_at": "date", "tracking_number": "tracking_number", "note": "note"}


def _form_for_get() -> Form:
    form = Form(labels=LABELS)
    form.values["date"] = datetime.now(VIETNAM_TZ).date().isoformat()  # most calls are about today
    return form


def _occurred_at(form: Form) -> str | None:
    """The date and time as typed, in Vietnam's time, as an ISO instant with its offset."""
    try:
        day = date.fromisoformat(form.get("date"))
    except ValueError:
        form.error("date", "Nhập ngày theo dạng ngày/tháng/năm.")
        day = None
    try:
        moment = time.fromisoformat(form.get("time"))
    except ValueError:
        form.error("time", "Nhập giờ theo dạng giờ:phút, ví dụ 09:30.")
        moment = None
    if day is None or moment is None:
        return None
    return datetime.combine(day, moment.replace(second=0, microsecond=0), tzinfo=VIETNAM_TZ).isoformat()


def _check(form: Form) -> None:
    """What the form itself needs before postal can be asked (postal checks the rest)."""
    if form.get("status") not in REPORTABLE_NAMES:
        form.error("status", "Chọn trạng thái bưu điện báo.")
    if not form.get("note"):
        form.error("note", "Nhập nội dung bưu điện báo: ai báo, báo gì.")


def _actor_names(shipment: dict) -> dict[str, str]:
    """Officers' names for the entries the desk recorded (postal knows them by account id)."""
    names = {}
    for entry in shipment.get("history", []):
        actor = entry.get("actor")
        if entry.get("source") == "manual" and actor and actor not in names and len(actor) <= 36:
            account = accounts.get(runtime(), actor)
            names[actor] = account.full_name if account else actor
    return names


def _render(shipment: dict, form: Form, status: int = 200):
    may_report = officer().has(*REPORTERS)
    return render_template("postal/shipment.html", shipment=shipment, form=form, may_report=may_report,
                           reportable=REPORTABLE, sources=SOURCES, direction_names=DIRECTION_NAMES,
                           actor_names=_actor_names(shipment)), status


@bp.get("/buu-chinh/<shipment_id>")
@requires("receptionist", "leader", "auditor")
def shipment(shipment_id: str):
    return _render(backends().postal.shipment(shipment_id), _form_for_get())


@bp.post("/buu-chinh/<shipment_id>/bao-cao")
@requires(*REPORTERS)
def report(shipment_id: str):
    postal = backends().postal
    shipment = postal.shipment(shipment_id)  # NotFound (unknown, or another unit's) -> the 404 page
    form = Form.from_request(request.form, labels=LABELS)
    occurred_at = _occurred_at(form)
    _check(form)
    if not form.ok:
        return _render(shipment, form, 400)
    body = {"status": form.get("status"), "occurred_at": occurred_at, "note": form.get("note"),
            "tracking_number": form.get("tracking_number") or None}
    try:
        postal.report(shipment_id, body)
    except Invalid as exc:
        _apply_refusal(form, exc, shipment)
        return _render(shipment, form, 400)
    except Conflict as exc:
        # postal says, in Vietnamese, where the shipment is and why this status changes nothing.
        detail = exc.problem.detail if exc.problem else ""
        form.form_errors.append(f"Chưa ghi nhận. {detail}" if detail else
                                "Chưa ghi nhận: trạng thái này không làm thay đổi gì (bưu gửi đã ở trạng thái đó "
                                "hoặc đã đi xa hơn).")
        return _render(shipment, form, 409)
    banner(f"Đã ghi nhận trạng thái \"{REPORTABLE_NAMES[body['status']]}\" của bưu gửi hồ sơ "
           f"{shipment['dossier_code']}.")
    return redirect(url_for("postal.shipment", shipment_id=shipment_id), 303)


def _apply_refusal(form: Form, exc: Invalid, shipment: dict) -> None:
    problem = exc.problem
    implausible = [p for p in (problem.invalid_params if problem else ()) if p.get("code") == "implausible_time"]
    if implausible:
        # The time cannot be true: later than now, or before the post was asked (postal's reasons).
        form.error("date", "Thời điểm không hợp lệ: không được muộn hơn hiện tại và không được sớm hơn lúc yêu cầu "
                           f"bưu điện ({when(shipment['requested_at'])}).")
        return
    if problem is not None:
        form.apply_problem(problem, FIELDS)
    else:
        form.form_errors.append("Chưa ghi nhận được; vui lòng thử lại.")
