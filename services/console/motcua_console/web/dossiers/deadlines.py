"""A deadline in words for officers: "Quá hạn 3 ngày", "Đến hạn hôm nay", "Còn 2 ngày".

Whether something is overdue is the services' answer (they know the working calendar and the pauses);
this module only counts calendar days between today and the due date to put that answer into words,
and never decides overdue by itself."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from motcua_shared.workcal import vietnam_today

from ...formatting import local


@dataclass(frozen=True)
class Due:
    words: str
    overdue: bool
    today: bool

    @property
    def css(self) -> str:
        return "deadline--overdue" if self.overdue else ("deadline--today" if self.today else "")


def today() -> date:
    return vietnam_today()


def due_in_words(due_at, overdue: bool, *, now: date | None = None) -> Due | None:
    moment = local(due_at)
    if moment is None:
        return None
    days = (moment.date() - (now or today())).days
    if overdue:
        late = max(-days, 0)
        return Due("Quá hạn hôm nay" if late == 0 else f"Quá hạn {late} ngày", True, late == 0)
    if days == 0:
        return Due("Đến hạn hôm nay", False, True)
    if days > 0:
        return Due(f"Còn {days} ngày", False, False)
    # Past the date yet not overdue per the service (a pause for a supplement): no countdown to give.
    return Due("Đang tạm dừng tính hạn", False, False)
