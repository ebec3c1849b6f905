"""The control log of a dossier: one row per hand-over, the electronic Phiếu kiểm soát quá trình
giải quyết hồ sơ (Mẫu 05), whose columns are the agency, the time of handing over and receiving, the
people who gave and took the dossier, the result and a note (docs/domain.md §2.3)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from . import reference
from .models import handovers

# kind → what the row records
KINDS = {
    "transferred": "Chuyển hồ sơ đến cơ quan giải quyết bước tiếp theo",
    "claimed": "Cán bộ nhận xử lý",
    "forwarded": "Chuyển xử lý",
    "sent_back": "Trả lại bước trước",
    "supplement_requested": "Yêu cầu bổ sung hồ sơ, chuyển về bộ phận một cửa",
    "returned": "Chuyển kết quả về bộ phận một cửa",
    "stopped": "Dừng giải quyết (công dân rút hồ sơ)",
    # The 2025 transition (transition.py): the agency ceased on 01/07/2025, its successor goes on.
    "handed_over": "Chuyển giao cho cơ quan kế nhiệm (chính quyền địa phương hai cấp từ 01/07/2025)",
}


def desk_name(route) -> str:
    unit = reference.units().get(route["receiving_unit"], reference.local_day(route["received_at"]))
    return f"Bộ phận tiếp nhận và trả kết quả {unit.name}"


def record(session: Session, route, kind: str, *, from_party: str, to_party: str, at: datetime,
           step_id: str | None = None, from_person: str | None = None, to_person: str | None = None,
           result: str | None = None, note: str | None = None) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown hand-over kind {kind!r}")
    session.execute(_INSERT, dict(
        route_id=route["id"], step_id=step_id, kind=kind, from_party=from_party, to_party=to_party,
        from_person=from_person, to_person=to_person, occurred_at=at, result=result, note=note))


# Built once, its values given at execution: one compiled statement for every row (routes.py says why).
_INSERT = insert(handovers)
