"""`/ho-so/<code>`: everything about one dossier on one page. Intake is the authority on the dossier
itself: its 404 (unknown, or outside the officer's units: answered alike) is the console's 404 page.
Routing's route, notification's messages and postal's shipments are secondary and fail alone."""
from __future__ import annotations

from flask import render_template

from motcua_shared.events.catalogue.stop import GROUND_LABELS
from motcua_shared.web.auth import OFFICERS

from ...formatting import local
from ...permissions import requires
from ..context import backends, officer
from . import bp
from .deadline_explained import explain, weekday, years_between
from .deadlines import due_in_words
from .sections import load_all
from .tasks import (OUTCOMES, STEP_ACTIONS, STEP_STATUSES, agency_tasks, desk_tasks, printable_forms,
                    step_tasks)

CLOSED = ("processed", "returned", "refused", "stopped")
# intake's history actions (lifecycle.py transitions and records) in words.
ACTIONS = {
    "submit": "Nộp hồ sơ trực tuyến", "receive": "Tiếp nhận hồ sơ", "accept": "Tiếp nhận hồ sơ",
    "request_supplement": "Yêu cầu bổ sung hồ sơ", "refuse": "Từ chối tiếp nhận",
    "redirect": "Hướng dẫn nộp tại cơ quan khác", "transfer": "Chuyển cơ quan giải quyết",
    "processing_supplement": "Cơ quan giải quyết yêu cầu bổ sung", "supplement_received": "Nhận hồ sơ bổ sung",
    "request_withdrawal": "Đề nghị rút hồ sơ", "withdraw": "Dừng giải quyết (rút hồ sơ)",
    "process": "Có kết quả giải quyết", "return_result": "Trả kết quả", "apology": "Xin lỗi, hẹn lại ngày trả",
    "hand_over": "Chuyển giao cơ quan kế nhiệm (01/07/2025)",
    "stop": "Dừng giải quyết hồ sơ", "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "payment_received": "Ghi nhận đã thực hiện nghĩa vụ tài chính",
    "rescheduled": "Hẹn lại do ngày nghỉ mới công bố",
}
OBLIGATION_LABELS = {"fee": "Phí", "charge": "Lệ phí", "tax": "Thuế, tiền sử dụng đất"}
PAYMENT_METHOD_LABELS = {"cash": "Tiền mặt", "bank_transfer": "Chuyển khoản",
                         "online_national": "Trực tuyến (Cổng Dịch vụ công quốc gia)",
                         "online_local": "Trực tuyến (cổng thanh toán của tỉnh)", "postal_cod": "Thu hộ qua bưu chính"}
CHANNELS = {"counter": "Trực tiếp tại quầy", "online": "Trực tuyến", "postal": "Qua bưu chính"}
RETURN_METHODS = {"counter": "Nhận tại quầy", "postal": "Qua bưu chính", "online": "Trực tuyến"}
MESSAGE_STATUSES = {"created": "Chờ gửi", "sending": "Đang gửi", "temporary-failure": "Lỗi tạm thời, sẽ gửi lại",
                    "delivered": "Đã gửi", "permanent-failure": "Không gửi được", "technical-failure": "Lỗi kỹ thuật",
                    "cancelled": "Đã hủy"}
MESSAGE_CHANNELS = {"sms": "Tin nhắn SMS", "email": "Thư điện tử"}
ROUTE_STATUSES = {"in_progress": "Đang giải quyết", "awaiting_supplement": "Tạm dừng chờ bổ sung",
                  "completed": "Đã giải quyết xong", "stopped": "Đã dừng"}


@bp.get("/ho-so/<code>")
@requires(*OFFICERS)
def detail(code: str):
    services = backends()
    dossier = services.intake.dossier(code)  # NotFound -> the console's 404 page, alike for both causes
    code = dossier["code"]
    sections = load_all(route=lambda: services.routing.route(code),
                        messages=lambda: services.notification.messages(code),
                        shipments=lambda: services.postal.shipments(dossier_code=code),
                        calendar=lambda: [item for year in years_between(dossier)
                                          for item in services.intake.overrides(year)["items"]])
    route, messages, shipments = sections["route"], sections["messages"], sections["shipments"]
    explained = explain(dossier, sections["calendar"].data or []) if dossier["status"] not in ("submitted",) else None
    me = officer()

    appointment = dossier.get("rescheduled_due_at") or dossier.get("due_at")
    due = None if dossier["status"] in CLOSED else due_in_words(appointment, dossier.get("overdue"))
    history = sorted(dossier.get("history", []), key=lambda e: local(e["occurred_at"]))
    tasks = desk_tasks(dossier, me) + agency_tasks(dossier, me) + step_tasks(code, route.data if route.ok else None, me)
    return render_template(
        "dossiers/detail.html", dossier=dossier, route=route, messages=messages, shipments=shipments,
        appointment=appointment, due=due, history=history, tasks=tasks, forms=printable_forms(dossier),
        actions=ACTIONS, channels=CHANNELS, return_methods=RETURN_METHODS, step_actions=STEP_ACTIONS,
        step_statuses=STEP_STATUSES, outcomes=OUTCOMES, message_statuses=MESSAGE_STATUSES,
        message_channels=MESSAGE_CHANNELS, route_statuses=ROUTE_STATUSES,
        explained=explained, calendar_ok=sections["calendar"].ok, weekday=weekday,
        step_due=lambda step: due_in_words(step.get("due_at"), step.get("overdue")),
        stop_grounds=GROUND_LABELS, obligations=OBLIGATION_LABELS, payment_methods=PAYMENT_METHOD_LABELS)
