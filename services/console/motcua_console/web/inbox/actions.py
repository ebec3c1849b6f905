"""What a specialist or leader does with a step of a dossier, each a GET form and its POST:
claim (`nhan`), complete (`hoan-thanh`), forward (`chuyen`), send back (`tra-lai`), and the leader's
apology with a new appointment (`xin-loi`, Mẫu 04). Routing validates and decides; a refusal comes
back on the same form with what was typed (400), a step someone else moved on with a form-level
message (409); success is a banner on the dossier's page."""
from __future__ import annotations

from datetime import date, datetime, time

from flask import abort, redirect, render_template, request, url_for

from motcua_shared.web.auth import HANDLERS
from motcua_shared.workcal import VIETNAM_TZ

from ...clients import Conflict, Invalid
from ...forms import Form, problem_message
from ...permissions import requires
from ..context import backends, banner
from ..dossiers.tasks import OUTCOMES, STEP_ACTIONS
from . import bp

LABELS = {"outcome": "kết quả xử lý", "note": "ý kiến", "to_officer": "cán bộ nhận", "to_agency": "cơ quan nhận",
          "legal_ground": "căn cứ pháp lý", "reason": "lý do chậm trả kết quả", "new_due_date": "ngày hẹn trả mới", "new_due_time": "giờ hẹn trả mới"}
# Refusals routing words precisely, said here precisely too.
SPECIFIC = {"new_due_not_later": "Ngày hẹn trả mới phải sau ngày hẹn hiện tại.",
            "invalid_agency": "Cơ quan nhận phải là một cơ quan khác của cùng đơn vị."}
STEP_PATH = "/ho-so/<code>/buoc/<step_id>"


def _step(code: str, step_id: str) -> tuple[dict, dict]:
    route = backends().routing.route(code)  # 404 when the dossier is not the officer's to see
    step = next((s for s in route.get("steps", []) if s.get("step_id") == step_id), None)
    if step is None:
        abort(404)
    return route, step


def _refused(form: Form, exc: Invalid | Conflict, fields: dict[str, str] | None = None) -> int:
    if isinstance(exc, Conflict):
        form.form_errors.append(problem_message(exc.problem))
        return 409
    for param in exc.problem.invalid_params:
        message = SPECIFIC.get(str(param.get("code")))
        name = (fields or {}).get(str(param.get("name")), str(param.get("name")))
        if message:
            form.error(name, message)
    form.apply_problem(exc.problem, fields)
    return 400


def _render(kind: str, title: str, form: Form, route: dict, step: dict | None, status: int = 200, **extra):
    return render_template("inbox/step_action.html", kind=kind, title=title, form=form, route=route, step=step,
                           step_actions=STEP_ACTIONS, outcomes=OUTCOMES, **extra), status


def _name(step: dict) -> str:
    return f"bước {step['sequence']} ({STEP_ACTIONS.get(step['action'], step['action']).lower()})"


def _done(code: str, message: str):
    banner(message)
    return redirect(url_for("dossiers.detail", code=code), 303)


def _step_page(kind: str, code: str, step_id: str, title: str, send, success, *, labels=None, check=None):
    """One step action: the form on GET; on POST, `check` (a refusal the console can say itself), then
    `send(step_id, form)` to routing, and `success(step, form)` as the banner on the dossier's page."""
    route, step = _step(code, step_id)
    form = Form.from_request(request.form, labels=labels or LABELS)
    if request.method == "GET":
        return _render(kind, title(step), form, route, step)
    if check and not check(form):
        return _render(kind, title(step), form, route, step, 400)
    try:
        send(step_id, form)
    except (Invalid, Conflict) as exc:
        return _render(kind, title(step), form, route, step, _refused(form, exc))
    return _done(code, success(step, form))


@bp.route(f"{STEP_PATH}/nhan", methods=["GET", "POST"])
@requires(*HANDLERS)
def claim(code: str, step_id: str):
    return _step_page(
        "claim", code, step_id, lambda step: f"Nhận xử lý {_name(step)} – hồ sơ {code}",
        lambda sid, form: backends().routing.claim(sid),
        lambda step, form: f"Đã nhận xử lý {_name(step)} của hồ sơ {code}.")


def _completion(form: Form) -> dict:
    # `legal_ground` only when typed: routing asks for it on a second supplement request (issue 14).
    ground = {"legal_ground": form.get("legal_ground")} if form.get("legal_ground") else {}
    return {"outcome": form.get("outcome"), "note": form.get("note") or None, **ground}


@bp.route(f"{STEP_PATH}/hoan-thanh", methods=["GET", "POST"])
@requires(*HANDLERS)
def complete(code: str, step_id: str):
    return _step_page(
        "complete", code, step_id, lambda step: f"Hoàn thành {_name(step)} – hồ sơ {code}",
        lambda sid, form: backends().routing.complete(sid, _completion(form)),
        lambda step, form: (f"Đã hoàn thành {_name(step)} của hồ sơ {code}: "
                            f"{OUTCOMES.get(form.get('outcome'), form.get('outcome')).lower()}."))


def _forwarding(form: Form) -> dict:
    return {"to_officer": form.get("to_officer") or None, "to_agency": form.get("to_agency") or None,
            "note": form.get("note") or None}


def _one_receiver(form: Form) -> bool:
    body = _forwarding(form)
    if bool(body["to_officer"]) == bool(body["to_agency"]):
        # Routing's rule too ("exactly one"), said here in words an officer can act on.
        form.error("to_officer", "Nhập cán bộ nhận hoặc cơ quan nhận (chỉ một trong hai).")
        return False
    return True


@bp.route(f"{STEP_PATH}/chuyen", methods=["GET", "POST"])
@requires(*HANDLERS)
def forward(code: str, step_id: str):
    return _step_page(
        "forward", code, step_id, lambda step: f"Chuyển {_name(step)} – hồ sơ {code}",
        lambda sid, form: backends().routing.forward(sid, _forwarding(form)),
        lambda step, form: f"Đã chuyển {_name(step)} của hồ sơ {code}.", check=_one_receiver)


@bp.route(f"{STEP_PATH}/tra-lai", methods=["GET", "POST"])
@requires(*HANDLERS)
def send_back(code: str, step_id: str):
    return _step_page(
        "send_back", code, step_id, lambda step: f"Trả lại bước trước – hồ sơ {code}",
        lambda sid, form: backends().routing.send_back(sid, {"note": form.get("note")}),
        lambda step, form: f"Đã trả hồ sơ {code} về bước trước.", labels={**LABELS, "note": "lý do trả lại"})


@bp.route("/ho-so/<code>/xin-loi", methods=["GET", "POST"])
@requires("leader")
def apology(code: str):
    route = backends().routing.route(code)
    title = f"Xin lỗi và hẹn lại ngày trả kết quả – hồ sơ {code}"
    form = Form.from_request(request.form, labels=LABELS)
    if request.method == "GET":
        return _render("apology", title, form, route, None)
    new_due = _moment(form.get("new_due_date"), form.get("new_due_time") or "17:00")
    if new_due is None:
        form.error("new_due_date", "Nhập ngày hẹn trả mới theo dạng ngày/tháng/năm.")
        return _render("apology", title, form, route, None, 400)
    try:
        backends().routing.apology(code, {"new_due_at": new_due.isoformat(), "reason": form.get("reason")})
    except (Invalid, Conflict) as exc:
        return _render("apology", title, form, route, None,
                       _refused(form, exc, {"new_due_at": "new_due_date", "reason": "reason"}))
    return _done(code, f"Đã ghi văn bản xin lỗi (Mẫu 04) và hẹn trả mới lúc "
                       f"{new_due:%H:%M %d/%m/%Y} cho hồ sơ {code}.")


def _moment(day: str, at: str) -> datetime | None:
    """The new appointment in the province's time: a date from the date field, 17:00 unless a time is given."""
    try:
        return datetime.combine(date.fromisoformat(day), time.fromisoformat(at), tzinfo=VIETNAM_TZ)
    except ValueError:
        return None
