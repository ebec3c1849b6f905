"""The report's period and unit, read from the GET form every report page shares.

The console does not judge the period (reporting does, and its refusal is shown beside the field);
it only fills what was left empty: this month up to today, and the officer's own unit.
"""
from __future__ import annotations

from datetime import date

from ...forms import Form
from ..context import officer

PROVINCE = "14"  # Sơn La: what an officer without a unit (a province-wide auditor) reports on
LABELS = {"from": "ngày bắt đầu", "to": "ngày kết thúc", "unit": "đơn vị"}

# Biểu 06/VPCP/KSTT, in the order of its columns: the figure's name in reporting, the row label.
FIGURES = (
    ("received.total", "Tổng số hồ sơ tiếp nhận (cột 3)"),
    ("received.online", "Tiếp nhận trực tuyến trong kỳ (cột 4)"),
    ("received.counter_postal", "Tiếp nhận trực tiếp và qua bưu chính trong kỳ (cột 5)"),
    ("received.carried_over", "Từ kỳ trước chuyển sang (cột 6)"),
    ("resolved.total", "Số hồ sơ đã giải quyết (cột 7)"),
    ("resolved.early", "Đã giải quyết trước hạn (cột 8)"),
    ("resolved.on_time", "Đã giải quyết đúng hạn (cột 9)"),
    ("resolved.late", "Đã giải quyết quá hạn (cột 10)"),
    ("in_progress.total", "Số hồ sơ đang giải quyết (cột 11)"),
    ("in_progress.within_deadline", "Đang giải quyết trong hạn (cột 12)"),
    ("in_progress.overdue", "Đang giải quyết quá hạn (cột 13)"),
)
INDICATOR_FIGURES = {
    "indicator.2_1": "Hồ sơ giải quyết trước hạn, đúng hạn (chỉ số 2.1, Quyết định 766)",
    "indicator.2_2": "Hồ sơ đã hoàn thành (chỉ số 2.2, Quyết định 766)",
    "indicator.3_3": "Hồ sơ tiếp nhận trong kỳ (chỉ số 3.3, Quyết định 766)",
}
FIGURE_NAMES = {**dict(FIGURES), **INDICATOR_FIGURES}
MECHANISMS = {"one_stop": "Một cửa", "inter_agency": "Một cửa liên thông"}


def report_form(args) -> Form:
    """The period and unit typed in the query string, defaults filled in."""
    form = Form.from_request(args, labels=LABELS)
    today = date.today()
    if not form.get("from"):
        form.values["from"] = today.replace(day=1).isoformat()
    if not form.get("to"):
        form.values["to"] = today.isoformat()
    if not form.get("unit"):
        form.values["unit"] = officer().unit or PROVINCE
    return form


def period_args(form: Form) -> dict:
    """The query string that carries the period and unit to the next page (links, downloads)."""
    return {"from": form.get("from"), "to": form.get("to"), "unit": form.get("unit")}


def service_args(form: Form) -> dict:
    return {"date_from": form.get("from"), "date_to": form.get("to"), "unit": form.get("unit")}
