"""The Decision 766/QĐ-TTg indicators the event data supports (docs/domain.md §5.3).

Rates are percentages rounded half-up to 2 decimals, as the 766 formula document says; a zero
denominator gives null (the document allows "0 or N/A": null cannot be mistaken for a result).
"""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from motcua_shared.reference import Level, UnknownProcedure, load_catalogue

from ..projection.dossier import RESULT_KINDS, calendar
from .placement import Placement

ON_TIME = ("early", "on_time", "within_deadline")
COMPLETED_KINDS = tuple(kind.removeprefix("dossier.") for kind in RESULT_KINDS)  # DVCQG 9 and 10


def counts_on_time(row, placement: Placement) -> bool:
    """766 §2.1 numerator: resolved early or on time, or in progress within the deadline, and asked
    for a supplement at most once ("more than one supplement request ⇒ counted late")."""
    return placement.outcome in ON_TIME and row.supplement_requests <= 1


def is_completed(row, placement: Placement) -> bool:
    """766 §2.2 base: a result exists (DVCQG 9 or 10) and was reached within the period."""
    return placement.resolved and row.end_kind in COMPLETED_KINDS


def received_in_period(placement: Placement) -> bool:
    return placement.intake != "carried_over"


# The levels whose procedures a unit of each level offers: its own and those below it (3.1, 3.2).
LEVELS_BELOW = {Level.PROVINCE: (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE),
                Level.DISTRICT: (Level.DISTRICT, Level.COMMUNE), Level.COMMUNE: (Level.COMMUNE,)}
ONLINE_LEVELS = ("full", "partial")

# The indicators of Decision 766 that this system's data cannot give, and why (docs/reports.md).
NOT_SUPPORTED = (
    ("1.1", "Công bố TTHC đúng hạn", "Hệ thống không lưu ngày ban hành quyết định công bố và ngày hiệu lực của "
     "văn bản quy định TTHC."),
    ("1.2", "Cập nhật, công khai TTHC trên Cơ sở dữ liệu quốc gia đúng hạn", "Hệ thống không kết nối Cơ sở dữ liệu "
     "quốc gia về TTHC, không có ngày công khai."),
    ("1.3", "TTHC được công khai đầy đủ các bộ phận", "Danh mục của hệ thống chỉ là bản tóm tắt (tên, thời hạn, "
     "phí, thành phần); không có văn bản công bố để đối chiếu đủ các bộ phận."),
    ("1.4", "Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia", "Hệ thống chưa đồng bộ hồ sơ lên Cổng Dịch vụ "
     "công quốc gia."),
    ("3.5", "TTHC có phí, lệ phí được tích hợp thanh toán trực tuyến", "Hệ thống chưa tích hợp thanh toán trực "
     "tuyến trên Cổng Dịch vụ công quốc gia."),
    ("4.1", "Hồ sơ có kết quả điện tử", "Sự kiện trả kết quả không mang mã kết quả và tệp kết quả điện tử."),
    ("4.2", "Hồ sơ được số hóa", "Thành phần hồ sơ không mang cờ đính kèm tệp số hóa; kết quả điện tử không có."),
    ("4.3", "Tái sử dụng dữ liệu số hóa", "Không có cờ thành phần được tái sử dụng (DuocSoHoa)."),
    ("4.4", "Hồ sơ số hóa liên kết kho quản lý dữ liệu điện tử của công dân", "Hệ thống không kết nối kho dữ "
     "liệu điện tử của công dân trên Cổng Dịch vụ công quốc gia."),
    ("4.5", "Sử dụng dữ liệu dân cư", "Không có cờ tài khoản xác thực VNeID hay dữ liệu lấy từ Cơ sở dữ liệu quốc "
     "gia về dân cư."),
    ("5.1–5.3", "Xử lý phản ánh, kiến nghị", "Hệ thống chưa tiếp nhận phản ánh, kiến nghị (PAKN)."),
    ("5.4", "Mức độ hài lòng về giải quyết thủ tục hành chính", "Cần tỷ lệ hồ sơ có phản ánh, kiến nghị hoặc "
     "đánh giá \"không hài lòng\"; hệ thống chưa có sự kiện đánh giá hay PAKN (tỷ lệ hồ sơ quá hạn thì có, "
     "ở chỉ số 2.1)."),
)


def online_procedures(scope_level: Level, on: date) -> list:
    """766 §3.1 base: the catalogue's procedures in force on `on` and decided at the unit's level or below."""
    return [procedure for procedure in load_catalogue().all()
            if procedure.in_force_on(on) and procedure.level_on(on) in LEVELS_BELOW[scope_level]]


def online_level(procedure, on: date) -> str:
    """The level in force on the period's last day: a 2019 report counts the levels 3/4 of its day."""
    return str(procedure.online_on(on))


def indicators(placed: list[tuple[object, Placement]], scope_level: Level | None = None,
               on: date | None = None) -> dict:
    received = len(placed)
    on_time = sum(counts_on_time(row, placement) for row, placement in placed)
    completed = [row for row, placement in placed if is_completed(row, placement)]
    minutes = sum(row.handling_minutes or 0 for row in completed)
    fresh = [row for row, placement in placed if received_in_period(placement)]
    return {
        "on_time_rate": {
            "id": "2.1", "name": "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn", "unit": "%",
            "value": _percent(on_time, received), "numerator": on_time, "denominator": received,
            "figure": "indicator.2_1",
        },
        "average_handling_time": {
            "id": "2.2", "name": "Thời gian giải quyết trung bình", "unit": "ngày làm việc",
            "value": _round(Decimal(minutes) / calendar().working_day_minutes / len(completed)) if completed else None,
            "working_minutes": minutes, "dossiers": len(completed), "figure": "indicator.2_2",
        },
        "channel_shares": {
            "id": "3.3", "name": "Tỷ lệ hồ sơ theo kênh tiếp nhận", "unit": "%", "received_in_period": len(fresh),
            "figure": "indicator.3_3", "full_marks_at": 50,
            "channels": {channel: {"count": count, "share": _percent(count, len(fresh))} for channel, count in
                         ((channel, sum(row.channel == channel for row in fresh))
                          for channel in ("online", "counter", "postal"))},
        },
        "satisfaction": {
            "id": "5.4", "name": "Mức độ hài lòng về giải quyết thủ tục hành chính", "unit": "%", "value": None,
            "available": False, "reason": NOT_SUPPORTED[-1][2],
        },
        **({} if scope_level is None or on is None else _online_services(fresh, scope_level, on)),
        "paid_online": _paid_online(fresh),
        "not_supported": [{"id": ident, "name": name, "reason": reason} for ident, name, reason in NOT_SUPPORTED],
    }


def has_fee(row) -> bool:
    """766 §3.6 base: the procedure bears a fee or charge (the catalogue's amount is not 0)."""
    try:
        return load_catalogue().get(row.procedure_code).fee_vnd > 0
    except UnknownProcedure:
        return False


def _paid_online(fresh: list) -> dict:
    """766 §3.6: dossiers received in the period, of procedures with a fee, whose payment was recorded as
    made online (DuocThanhToanTrucTuyen 1 national portal, 2 local gateway) ÷ all those dossiers."""
    base = [row for row in fresh if has_fee(row)]
    paid = sum(bool(row.paid_online) for row in base)
    return {"id": "3.6", "name": "Tỷ lệ hồ sơ thanh toán trực tuyến", "unit": "%", "value": _percent(paid, len(base)),
            "numerator": paid, "denominator": len(base), "figure": "indicator.3_6"}


def _online_services(fresh: list, scope_level: Level, on: date) -> dict:
    """766 §3.1 (procedures offered online, full or partial, over all of the unit's procedures; full marks
    at 80 %) and §3.2 (of those, the ones that got at least one online dossier in the period)."""
    offered = online_procedures(scope_level, on)
    online = [procedure.code for procedure in offered if online_level(procedure, on) in ONLINE_LEVELS]
    used = sorted({row.procedure_code for row in fresh if row.channel == "online"} & set(online))
    return {
        "online_procedures": {
            "id": "3.1", "name": "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến (toàn trình, một phần)", "unit": "%",
            "value": _percent(len(online), len(offered)), "numerator": len(online), "denominator": len(offered),
            "full_marks_at": 80, "as_of": on.isoformat(),
        },
        "online_procedures_used": {
            "id": "3.2", "name": "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ trực tuyến", "unit": "%",
            "value": _percent(len(used), len(online)), "numerator": len(used), "denominator": len(online),
            "procedures": used,
        },
    }


def _round(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _percent(part: int, whole: int) -> float | None:
    return _round(Decimal(100 * part) / whole) if whole else None
