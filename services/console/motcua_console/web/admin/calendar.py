"""/quan-tri/lich: the province's days off and make-up working days for a year, kept by intake.

Intake lets only an administrator of the province (unit 14) change them; its refusal
is shown as it is, so a commune's administrator sees why."""
from __future__ import annotations

from datetime import date

from flask import redirect, render_template, request, url_for

from motcua_shared.workcal import vietnam_today

from ...clients import Forbidden, Invalid, NotFound
from ...forms import Form, problem_message
from ...permissions import requires
from ..context import backends, banner
from . import bp

LABELS = {"day": "ngày", "kind": "loại ngày", "note": "ghi chú"}
KINDS = (("day_off", "Ngày nghỉ"), ("working_day", "Ngày làm việc (làm bù)"))


def _year() -> int:
    try:
        year = int(request.values.get("nam", ""))
    except ValueError:
        return vietnam_today().year
    return year if 2000 <= year <= 2100 else vietnam_today().year


def _render(form: Form, year: int, status: int = 200):
    overrides = backends().intake.overrides(year)["items"]
    return render_template("admin/calendar.html", form=form, year=year, overrides=overrides, kinds=KINDS,
                           kind_names=dict(KINDS)), status


@bp.route("/quan-tri/lich", methods=["GET", "POST"])
@requires("admin")
def calendar():
    year = _year()
    form = Form.from_request(request.form, labels=LABELS)
    if request.method == "GET":
        return _render(form, year)
    try:
        day = date.fromisoformat(form.get("day"))
    except ValueError:
        form.error("day", "Nhập ngày theo dạng ngày/tháng/năm.")
    if form.get("kind") not in dict(KINDS):
        form.error("kind", "Chọn loại ngày.")
    if not form.get("note"):
        form.error("note", "Nhập ghi chú (ngày lễ, hoặc văn bản quyết định ngày nghỉ, làm bù).")
    if form.ok:
        try:
            backends().intake.set_override(day.isoformat(), form.get("kind"), form.get("note"))
        except Invalid as exc:
            form.apply_problem(exc.problem, {"day": "day", "kind": "kind", "note": "note"})
        except Forbidden as exc:
            form.form_errors.append(exc.problem.detail if exc.problem and exc.problem.detail else problem_message(exc.problem))
            return _render(form, year, 403)
        else:
            banner(f"Đã lưu ngày {day:%d/%m/%Y}: {dict(KINDS)[form.get('kind')].lower()}.")
            return redirect(url_for("admin.calendar", nam=day.year), 303)
    return _render(form, year, 400)


@bp.post("/quan-tri/lich/<day>/xoa")
@requires("admin")
def remove_override(day: str):
    try:
        moment = date.fromisoformat(day)
    except ValueError:
        return _render(Form(labels=LABELS), _year(), 404)
    try:
        backends().intake.remove_override(moment.isoformat())
    except NotFound:
        banner(f"Ngày {moment:%d/%m/%Y} không còn trong lịch (có thể đã được xoá).", "info")
    except Forbidden as exc:
        form = Form(labels=LABELS)
        form.form_errors.append(exc.problem.detail if exc.problem and exc.problem.detail else problem_message(exc.problem))
        return _render(form, moment.year, 403)
    else:
        banner(f"Đã xoá ngày {moment:%d/%m/%Y} khỏi lịch; ngày đó tính theo lịch thông thường.")
    return redirect(url_for("admin.calendar", nam=moment.year), 303)
