"""The thirteen columns of Biểu 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) for one row of the report."""
from __future__ import annotations

from dataclasses import dataclass

from .placement import Placement

# Columns 3–13 by their API names, in the form's order (1 is STT, 2 the sector or unit).
FIGURES = ("received.total", "received.online", "received.counter_postal", "received.carried_over",
           "resolved.total", "resolved.early", "resolved.on_time", "resolved.late",
           "in_progress.total", "in_progress.within_deadline", "in_progress.overdue")

COLUMN_TITLES = {
    "received.total": "Số hồ sơ nhận giải quyết – Tổng số",
    "received.online": "Trong kỳ – Trực tuyến",
    "received.counter_postal": "Trong kỳ – Trực tiếp, dịch vụ bưu chính",
    "received.carried_over": "Từ kỳ trước",
    "resolved.total": "Số hồ sơ đã giải quyết – Tổng số",
    "resolved.early": "Trước hạn",
    "resolved.on_time": "Đúng hạn",
    "resolved.late": "Quá hạn",
    "in_progress.total": "Số hồ sơ đang giải quyết – Tổng số",
    "in_progress.within_deadline": "Trong hạn",
    "in_progress.overdue": "Quá hạn",
}


@dataclass
class Tally:
    online: int = 0
    counter_postal: int = 0
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    within_deadline: int = 0
    overdue: int = 0

    def add(self, placement: Placement) -> None:
        setattr(self, placement.intake, getattr(self, placement.intake) + 1)
        setattr(self, placement.outcome, getattr(self, placement.outcome) + 1)

    def groups(self) -> dict[str, dict[str, int]]:
        """The contract's shape (docs/contracts.md §5): received, resolved, in_progress."""
        resolved = self.early + self.on_time + self.late
        in_progress = self.within_deadline + self.overdue
        return {
            "received": {"total": resolved + in_progress, "online": self.online,
                         "counter_postal": self.counter_postal, "carried_over": self.carried_over},
            "resolved": {"total": resolved, "early": self.early, "on_time": self.on_time, "late": self.late},
            "in_progress": {"total": in_progress, "within_deadline": self.within_deadline, "overdue": self.overdue},
        }

    def columns(self) -> list[int]:
        """Columns 3–13 in the form's order."""
        groups = self.groups()
        return [groups[group][name] for group, name in (figure.split(".") for figure in FIGURES)]
