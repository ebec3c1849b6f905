"""The desk's actions on one dossier: each a page that says what will happen (GET) and a POST that asks
intake to do it. intake decides whether the dossier's status allows it; a refusal is shown on the same
page with what was typed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask import redirect, render_template, request

from motcua_shared.events.catalogue.stop import GROUND_LABELS
from markupsafe import Markup

from ...clients import Conflict, Invalid
from ...forms import Form, problem_message
from ...permissions import requires
from ...units import unit_choices
from ..context import backends, banner
from . import bp

SMS = "Công dân sẽ nhận tin nhắn SMS và thư điện tử (nếu đã đăng ký) báo việc này."
RETURN_METHODS = (("counter", "Trả trực tiếp tại quầy"), ("online", "Trả trực tuyến"))
# The agency's stop and the financial obligation (issue 14): intake's codes in the officer's words.
STOP_GROUNDS = tuple(GROUND_LABELS.items())
OBLIGATIONS = (("fee", "Phí"), ("charge", "Lệ phí"), ("tax", "Thuế, tiền sử dụng đất"))
PAYMENT_METHODS = (("cash", "Tiền mặt tại quầy"), ("bank_transfer", "Chuyển khoản"),
                   ("online_national", "Trực tuyến trên Cổng Dịch vụ công quốc gia"),
                   ("online_local", "Trực tuyến qua cổng thanh toán của tỉnh"), ("postal_cod", "Thu hộ qua bưu chính"))
# Who decides for the competent agency: its officers, or the desk recording the agency's written decision.
AGENCY = ("receptionist", "specialist", "leader")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _optional(text: str) -> str | None:
    return text or None


def _amount(text: str) -> int | str:
    """"1.500.000" or "1 500 000" as typed in Vietnam: the integer; anything else goes as typed, so intake
    refuses it with its own message beside the field."""
    digits = text.replace(".", "").replace(" ", "").replace(",", "")
    return int(digits) if digits.isdigit() else text


@dataclass(frozen=True)
class Action:
    endpoint: str
    slug: str           # the page's path under /ho-so/<code>/
    intake: str         # intake's action under /api/v1/dossiers/<code>/
    title: str          # the page's <h1>
    consequence: str    # what will happen, in the officer's words
    button: str
    done: str           # the banner after success; "{code}" is the dossier's code
    fields: tuple[str, ...] = ()
    labels: dict = field(default_factory=dict)
    body: Callable[[Form], dict] = lambda form: {}
    names: dict = field(default_factory=dict)  # intake's field names -> the page's
    print_slug: str | None = None  # a printable form to offer after success
    print_label: str = ""
    warning: bool = False
    roles: tuple[str, ...] = ("receptionist",)  # who may open the page (intake still decides the scope)


ACTIONS = {a.endpoint: a for a in (
    Action("accept", "tiep-nhan", "acceptance", "Tiếp nhận hồ sơ đã nộp",
           "Hồ sơ được tiếp nhận chính thức: hệ thống tính ngày hẹn trả kết quả, ghi vào sổ theo dõi và chuyển "
           "xử lý. " + SMS, "Tiếp nhận hồ sơ", "Đã tiếp nhận hồ sơ {code}.",
           print_slug="giay-tiep-nhan", print_label="In giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)"),
    Action("request_supplement", "yeu-cau-bo-sung", "supplement-request", "Yêu cầu bổ sung, hoàn thiện hồ sơ",
           "Hồ sơ chưa được tiếp nhận và chờ công dân bổ sung; phiếu yêu cầu bổ sung (Mẫu 02) ghi các giấy tờ "
           "còn thiếu. " + SMS, "Gửi yêu cầu bổ sung", "Đã yêu cầu bổ sung hồ sơ {code}.",
           fields=("items", "note", "legal_ground"),
           labels={"items": "giấy tờ cần bổ sung", "note": "nội dung cần bổ sung", "legal_ground": "căn cứ pháp lý"},
           body=lambda f: {"items": _lines(f.get("items")), "note": f.get("note"),
                           **({"legal_ground": f.get("legal_ground")} if f.get("legal_ground") else {})},
           names={"items": "items", "note": "note", "legal_ground": "legal_ground"},
           print_slug="yeu-cau-bo-sung", print_label="In phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"),
    Action("refuse", "tu-choi", "refusal", "Từ chối tiếp nhận hồ sơ",
           "Hồ sơ bị từ chối và kết thúc; lý do được in trên phiếu từ chối (Mẫu 03). " + SMS,
           "Từ chối tiếp nhận", "Đã từ chối tiếp nhận hồ sơ {code}.",
           fields=("reason",), labels={"reason": "lý do từ chối"}, body=lambda f: {"reason": f.get("reason")},
           names={"reason": "reason"}, print_slug="tu-choi",
           print_label="In phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)", warning=True),
    Action("redirect", "huong-dan", "redirection", "Hướng dẫn nộp hồ sơ đến cơ quan có thẩm quyền",
           "Hồ sơ không thuộc thẩm quyền của đơn vị: hồ sơ kết thúc tại đây và công dân được hướng dẫn đến "
           "đơn vị có thẩm quyền. " + SMS, "Hướng dẫn công dân", "Đã hướng dẫn công dân nộp hồ sơ {code} "
           "đến đơn vị có thẩm quyền.",
           fields=("competent_unit", "reason"), labels={"competent_unit": "đơn vị có thẩm quyền",
                                                         "reason": "lý do và hướng dẫn"},
           body=lambda f: {"competent_unit": f.get("competent_unit"), "reason": f.get("reason")},
           names={"competent_unit": "competent_unit", "reason": "reason"}, warning=True),
    Action("receive_supplement", "nhan-bo-sung", "supplement", "Nhận hồ sơ bổ sung",
           "Giấy tờ bổ sung đã nhận: thời hạn giải quyết chạy lại, ngày hẹn trả lùi thêm đúng thời gian hồ sơ "
           "phải chờ, và hồ sơ tiếp tục được xử lý. " + SMS, "Xác nhận đã nhận bổ sung",
           "Đã nhận hồ sơ bổ sung của hồ sơ {code}.", fields=("note",), labels={"note": "ghi chú"},
           body=lambda f: {"note": _optional(f.get("note"))}, names={"note": "note"}),
    Action("return_result", "tra-ket-qua", "return", "Trả kết quả cho công dân",
           "Hồ sơ được ghi nhận đã trả kết quả và kết thúc. " + SMS, "Xác nhận đã trả kết quả",
           "Đã trả kết quả hồ sơ {code}.", fields=("method", "note"),
           labels={"method": "hình thức trả", "note": "ghi chú"},
           body=lambda f: {"method": f.get("method") or "counter", "note": _optional(f.get("note"))},
           names={"method": "method", "note": "note"}),
    Action("withdraw", "rut-ho-so", "withdrawal", "Xác nhận rút hồ sơ",
           "Việc giải quyết hồ sơ dừng lại và giấy tờ được trả lại công dân theo yêu cầu rút hồ sơ. " + SMS,
           "Xác nhận rút hồ sơ", "Đã xác nhận rút hồ sơ {code}.", fields=("note",), labels={"note": "ghi chú"},
           body=lambda f: {"note": _optional(f.get("note"))}, names={"note": "note"}, warning=True),
    Action("stop", "dung-xu-ly", "stop", "Dừng giải quyết hồ sơ",
           "Cơ quan có thẩm quyền dừng giải quyết hồ sơ: hồ sơ kết thúc, các bước đang xử lý bị hủy, và thông báo "
           "dừng giải quyết (ghi căn cứ và lý do) là kết quả trả cho công dân. " + SMS,
           "Dừng giải quyết", "Đã dừng giải quyết hồ sơ {code}.", fields=("ground", "reason"),
           labels={"ground": "căn cứ dừng giải quyết", "reason": "lý do"},
           body=lambda f: {"ground": f.get("ground"), "reason": f.get("reason")},
           names={"ground": "ground", "reason": "reason"}, print_slug="thong-bao-dung",
           print_label="In thông báo dừng giải quyết hồ sơ", warning=True, roles=AGENCY),
    Action("request_payment", "yeu-cau-nop-tien", "payment-request", "Yêu cầu thực hiện nghĩa vụ tài chính",
           "Hồ sơ chờ công dân nộp phí, lệ phí hoặc thuế; thời hạn giải quyết tạm dừng từ lúc này đến khi quầy ghi "
           "nhận đã nộp, và ngày hẹn trả lùi thêm đúng thời gian chờ. " + SMS, "Gửi yêu cầu nộp tiền",
           "Đã yêu cầu thực hiện nghĩa vụ tài chính cho hồ sơ {code}.", fields=("obligation", "amount_vnd", "purpose"),
           labels={"obligation": "loại nghĩa vụ", "amount_vnd": "số tiền", "purpose": "khoản phải nộp"},
           body=lambda f: {"obligation": f.get("obligation"), "amount_vnd": _amount(f.get("amount_vnd")),
                           "purpose": f.get("purpose")},
           names={"obligation": "obligation", "amount_vnd": "amount_vnd", "purpose": "purpose"}, roles=AGENCY),
    Action("record_payment", "ghi-nhan-nop-tien", "payment", "Ghi nhận đã thực hiện nghĩa vụ tài chính",
           "Hồ sơ tiếp tục được giải quyết; ngày hẹn trả lùi thêm đúng thời gian đã chờ công dân nộp. " + SMS,
           "Xác nhận đã nộp", "Đã ghi nhận nộp tiền cho hồ sơ {code}.", fields=("payment_method", "receipt_number"),
           labels={"payment_method": "hình thức nộp", "receipt_number": "số biên lai"},
           body=lambda f: {"method": f.get("payment_method"), "receipt_number": f.get("receipt_number")},
           names={"method": "payment_method", "receipt_number": "receipt_number"}),
)}


def _page(action: Action, code: str):
    intake = backends().intake
    dossier = intake.dossier(code)  # NotFound (unknown or outside the officer's units) -> the 404 page
    form = Form(labels=action.labels)
    status = 200
    if request.method == "POST":
        form = Form.from_request(request.form, labels=action.labels)
        try:
            intake.act(code, action.intake, action.body(form))
        except Invalid as exc:
            form.apply_problem(exc.problem, action.names)
            status = 400
        except Conflict as exc:
            # Someone acted first, or the status no longer allows it: say so, keep what was typed.
            form.form_errors.append(problem_message(exc.problem))
            status = 409
        else:
            message = Markup.escape(action.done.format(code=code))
            if action.print_slug:
                message += Markup(' <a href="/ho-so/{code}/in/{slug}">{label}</a>').format(
                    code=code, slug=action.print_slug, label=action.print_label)
            banner(message)  # already Markup: the text escaped, the link built by Markup.format
            return redirect(f"/ho-so/{code}", 303)
    return render_template("desk/action.html", action=action, code=code, dossier=dossier, form=form,
                           units=unit_choices() if "competent_unit" in action.fields else (),
                           return_methods=RETURN_METHODS, stop_grounds=STOP_GROUNDS, obligations=OBLIGATIONS,
                           payment_methods=PAYMENT_METHODS), status


def _route(endpoint: str):
    action = ACTIONS[endpoint]

    def view(code: str):
        return _page(action, code)

    view.__name__ = endpoint
    view = requires(*action.roles)(view)
    bp.add_url_rule(f"/ho-so/<code>/{action.slug}", endpoint=endpoint, view_func=view,
                    methods=["GET", "POST"])


for _endpoint in ACTIONS:
    _route(_endpoint)
