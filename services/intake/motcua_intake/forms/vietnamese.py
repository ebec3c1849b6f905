"""Vietnamese wording and formats of the printed forms and the public lookup."""
from __future__ import annotations

from datetime import datetime

from motcua_shared.statuses import VIETNAMESE
from motcua_shared.workcal import VIETNAM_TZ


COPY_TYPES = {"original": "Bản chính", "copy": "Bản sao", "electronic": "Bản điện tử"}
CHANNELS = {"counter": "Trực tiếp", "online": "Trực tuyến", "postal": "Qua dịch vụ bưu chính công ích"}
RETURN_PLACES = {"counter": "Tại Bộ phận tiếp nhận và trả kết quả", "online": "Trực tuyến (kết quả điện tử)",
                 "postal": "Qua dịch vụ bưu chính công ích"}
TIME_UNITS = {"working_hours": "giờ làm việc", "working_days": "ngày làm việc", "calendar_days": "ngày"}
SAME_DAY = "Trong ngày"  # "trong ngày" has no amount: printing "0 …" would read as no time at all
RESULTS = {"approved": "Giải quyết theo đề nghị", "rejected": "Từ chối giải quyết (có văn bản nêu lý do)"}


def time_limit(value: int, unit: str) -> str:
    """The time limit as the receipt prints it: '5 ngày làm việc', or 'Trong ngày' for same_day."""
    return SAME_DAY if unit == "same_day" else f"{value} {TIME_UNITS[unit]}"


def local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(VIETNAM_TZ) if moment else None


def day(moment: datetime | None) -> str:
    """'ngày 05 tháng 05 năm 2026'"""
    if moment is None:
        return ""
    value = local(moment)
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"


def clock(moment: datetime | None) -> str:
    """'17 giờ 00 phút, ngày 05 tháng 05 năm 2026', as the receipt writes the appointment."""
    if moment is None:
        return ""
    value = local(moment)
    return f"{value:%H} giờ {value:%M} phút, {day(value)}"


def short(moment: datetime | None) -> str:
    """'17:00 05/05/2026' for tables."""
    return f"{local(moment):%H:%M %d/%m/%Y}" if moment else ""


def money(amount: int) -> str:
    """10000 → '10.000 đồng'; 0 → 'Miễn phí'."""
    return f"{amount:,} đồng".replace(",", ".") if amount else "Miễn lệ phí"


def status(code: str) -> str:
    return VIETNAMESE[code]
