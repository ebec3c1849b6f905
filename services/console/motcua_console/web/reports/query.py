"""The report's period and unit, read from the GET form every report page shares.

The console does not judge the period (reporting does, and its refusal is shown beside the field);
it only fills what was left empty: this month up to today, and the officer's own unit.
"""
from __future__ import annotations

from datetime import date

from motcua_shared.workcal import vietnam_today

from ...forms import Form
from ..context import officer

LABELS = {"from": "ngày bắt đầu", "to": "ngày kết thúc", "unit": "đơn vị", "period": "kỳ báo cáo",
          "attribution": "cách tính"}
# Biểu 06 by the unit whose desk received each dossier (the default) or by the agency that resolves it.
ATTRIBUTIONS = (("receiving", "Theo đơn vị tiếp nhận"), ("competent", "Theo cơ quan giải quyết"))

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
    "indicator.3_6": "Hồ sơ của thủ tục có phí, lệ phí tiếp nhận trong kỳ (chỉ số 3.6, Quyết định 766)",
}
FIGURE_NAMES = {**dict(FIGURES), **INDICATOR_FIGURES}
MECHANISMS = {"one_stop": "Một cửa", "inter_agency": "Một cửa liên thông"}


def report_form(args) -> Form:
    """The period and unit typed in the query string, defaults filled in."""
    form = Form.from_request(args, labels=LABELS)
    today = vietnam_today()
    if not form.get("from"):
        form.values["from"] = today.replace(day=1).isoformat()
    if not form.get("to"):
        form.values["to"] = today.isoformat()
    if not form.get("unit"):
        form.values["unit"] = officer().unit  # every officer has one; the province's officers, "14"
    if not form.get("attribution"):
        form.values["attribution"] = "receiving"
    return form


def _choices(form: Form) -> dict:
    """An official period replaces the dates (reporting refuses both); the attribution travels only when
    it is not the default, so a receiving-unit report keeps its short links."""
    chosen = {"period": form.get("period")} if form.get("period") else {"from": form.get("from"), "to": form.get("to")}
    if form.get("attribution") and form.get("attribution") != "receiving":
        chosen["attribution"] = form.get("attribution")
    return chosen


def period_args(form: Form) -> dict:
    """The query string that carries the period and unit to the next page (links, downloads)."""
    chosen = _choices(form)
    return {**{name: chosen[name] for name in ("from", "to", "period") if name in chosen}, "unit": form.get("unit"),
            **({"attribution": chosen["attribution"]} if "attribution" in chosen else {})}


def service_args(form: Form) -> dict:
    chosen = _choices(form)
    return {"date_from": chosen.get("from"), "date_to": chosen.get("to"), "unit": form.get("unit"),
            **{name: chosen[name] for name in ("period", "attribution") if name in chosen}}


def period_choices(form: Form, periods_of) -> list[tuple[str, str]]:
    """The official periods offered: those of the chosen period's year (or of the last day's), and of the
    year before, newest year first. `periods_of(year)` is reporting's list."""
    source = form.get("period") or form.get("to") or ""
    try:
        year = int(source[:4])
    except ValueError:
        year = vietnam_today().year
    choices = []
    for shown in (year, year - 1):
        choices += [(found["code"], f"{found['name']} ({_day(found['from'])} – {_day(found['to'])})")
                    for found in periods_of(shown)["periods"]]
    return choices


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")
