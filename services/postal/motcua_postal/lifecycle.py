"""A shipment's status machine: which report moves it on, and what the desk must then do.

Reports come at least once and in any order, so a status is applied only if it ranks above the
current one: requested < accepted < picked_up < failed < delivered = returned. A late `picked_up`
after `delivered`, a repeated `accepted`, anything after an end (delivered, returned, cancelled)
changes nothing. `failed` ranks below the ends because a failed attempt may still be followed by
a successful one or by the item's return; a second `failed` changes nothing more.
"""
from __future__ import annotations

RANK = {"requested": 0, "accepted": 1, "picked_up": 2, "failed": 3, "delivered": 4, "returned": 4}
ENDS = frozenset({"delivered", "returned", "cancelled"})
# Called off only while nothing has left its sender.
CANCELLABLE = frozenset({"requested", "accepted"})
OPEN = frozenset(RANK) - ENDS  # still expected to move: counted against deliver_by

# Why the desk must act after a status (None: nothing to do, any earlier alarm is settled).
ATTENTION_AFTER = {"failed": "failed", "returned": "returned"}

LABELS = {
    "requested": "Chờ bưu điện nhận yêu cầu",
    "accepted": "Bưu điện đã nhận yêu cầu",
    "picked_up": "Bưu điện đã nhận bưu gửi",
    "failed": "Bưu điện không lấy hoặc không phát được bưu gửi",
    "delivered": "Đã phát thành công",
    "returned": "Bưu gửi đã được chuyển hoàn",
    "cancelled": "Đã huỷ",
}
DIRECTION_LABELS = {
    "dossier_to_office": "Chuyển hồ sơ từ công dân đến bộ phận một cửa",
    "result_to_citizen": "Chuyển kết quả từ bộ phận một cửa đến công dân",
}
ATTENTION_LABELS = {
    "pickup_not_accepted": "Bưu điện chưa nhận yêu cầu sau nhiều lần thông báo",
    "failed": "Bưu điện báo không lấy hoặc không phát được, cần liên hệ công dân",
    "returned": "Bưu gửi đã chuyển hoàn, cần liên hệ công dân",
}


def advances(current: str, reported: str) -> bool:
    """Whether a report of `reported` moves a shipment that is `current`."""
    return current not in ENDS and RANK[reported] > RANK[current]
