"""The Decision 766/QĐ-TTg indicators the event data supports (domain.md §5.3).

Rates are percentages rounded half-up to 2 decimals, as the 766 formula document says; a zero
denominator gives null (the document allows "0 or N/A": null cannot be mistaken for a result).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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


def indicators(placed: list[tuple[object, Placement]]) -> dict:
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
            "figure": "indicator.3_3",
            "channels": {channel: {"count": count, "share": _percent(count, len(fresh))} for channel, count in
                         ((channel, sum(row.channel == channel for row in fresh))
                          for channel in ("online", "counter", "postal"))},
        },
        "satisfaction": {
            "id": "5.4", "name": "Mức độ hài lòng về giải quyết thủ tục hành chính", "unit": "%", "value": None,
            "available": False,
            "reason": "Chưa có dữ liệu đánh giá: hệ thống chưa phát sinh sự kiện đánh giá mức độ hài lòng.",
        },
    }


def _round(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _percent(part: int, whole: int) -> float | None:
    return _round(Decimal(100 * part) / whole) if whole else None
