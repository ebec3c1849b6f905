"""/ho-so/<code>/kenh-thong-bao: the channels the citizen chooses at the desk for this dossier's messages.

notification records the choice (PUT /api/v1/dossiers/<code>/channels) and cancels the messages still
waiting on a declined channel. It keeps no readable choice, so the page starts from the addresses the
citizen gave on the dossier. Intake is read first: a dossier of another unit, or none, is the console's
404 page before anything is sent to notification."""
from __future__ import annotations

from flask import redirect, render_template, request

from ...clients import Conflict, Invalid, NotFound
from ...forms import Form, problem_message
from ...permissions import requires
from ..context import backends, banner
from . import bp

CHANNELS = (("sms", "Tin nhắn SMS"), ("email", "Thư điện tử"))
NAMES = dict(CHANNELS)
LABELS = {"kenh": "kênh nhận thông báo", "khong_nhan": "xác nhận không nhận thông báo"}
CONSEQUENCE = ("Từ nay các thông báo của hồ sơ này chỉ gửi qua kênh được chọn; tin nhắn đang chờ gửi qua kênh "
               "bỏ chọn sẽ bị hủy.")
# notification answers 404 for a dossier it has not heard of yet (its events arrive shortly after reception).
NOT_YET_KNOWN = ("Dịch vụ thông báo chưa nhận được thông tin về hồ sơ này (thường chỉ chậm vài phút sau khi "
                 "tiếp nhận), nên chưa ghi nhận được kênh. Vui lòng thử lại sau ít phút.")


def _registered(dossier: dict) -> list[str]:
    """The channels the citizen gave an address for: what the page offers ticked at first."""
    applicant = dossier.get("applicant") or {}
    return [channel for channel, key in (("sms", "phone"), ("email", "email")) if applicant.get(key)]


def _checked(form: Form) -> list[str]:
    chosen = form.getlist("kenh")
    if any(value not in NAMES for value in chosen):
        form.error("kenh", "Chọn kênh trong danh sách.")
    elif not chosen and form.get("khong_nhan") != "co":
        # Both unticked is a valid choice (no messages at all): only on purpose, never by a slip.
        form.error("kenh", "Chọn ít nhất một kênh, hoặc đánh dấu xác nhận công dân không nhận thông báo nào.")
    return [value for value in chosen if value in NAMES]


def _done(code: str, answer: dict) -> str:
    chosen = [name for channel, name in CHANNELS if answer.get(channel)]
    said = (f"Đã ghi nhận kênh nhận thông báo của hồ sơ {code}: {' và '.join(chosen)}." if chosen else
            f"Đã ghi nhận công dân không nhận thông báo nào của hồ sơ {code}.")
    cancelled = int(answer.get("cancelled") or 0)
    if cancelled:
        said += f" Đã hủy {cancelled} tin nhắn đang chờ gửi qua kênh bỏ chọn."
    else:
        said += " Không có tin nhắn đang chờ gửi nào bị hủy."
    return said


@bp.route("/ho-so/<code>/kenh-thong-bao", methods=["GET", "POST"])
@requires("receptionist")
def channels(code: str):
    services = backends()
    dossier = services.intake.dossier(code)  # NotFound (unknown or another unit's) -> the 404 page
    code = dossier["code"]
    form = Form(labels=LABELS)
    chosen = _registered(dossier)
    status = 200
    if request.method == "POST":
        form = Form.from_request(request.form, labels=LABELS)
        chosen = _checked(form)
        if not form.ok:
            status = 400
        else:
            try:
                answer = services.notification.set_channels(code, {"sms": "sms" in chosen,
                                                                   "email": "email" in chosen})
            except Invalid as exc:
                form.apply_problem(exc.problem, {"sms": "kenh", "email": "kenh"})
                status = 400
            except NotFound:
                form.form_errors.append(NOT_YET_KNOWN)
                status = 409
            except Conflict as exc:
                form.form_errors.append(problem_message(exc.problem))
                status = 409
            else:
                banner(_done(code, answer))
                return redirect(f"/ho-so/{code}", 303)
    return render_template("desk/channels.html", code=code, dossier=dossier, form=form, options=CHANNELS,
                           chosen=chosen, consequence=CONSEQUENCE), status
