"""/quay: what waits at the officer's desk, one tab per kind of work, each with its count."""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request

from ...permissions import requires
from ..context import backends, officer
from . import bp

PAGE_SIZE = 50


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    filters: dict
    empty: str


TABS = (
    Tab("cho-tiep-nhan", "Chờ tiếp nhận", {"status": "submitted"}, "Không có hồ sơ nào chờ tiếp nhận."),
    # Online and postal submissions past the desk's time limit (INTAKE_ACCEPTANCE_LIMIT_HOURS): never accepted
    # automatically, so they stay here until an officer accepts or refuses them.
    Tab("qua-han-tiep-nhan", "Quá hạn tiếp nhận", {"acceptance_overdue": "true"},
        "Không có hồ sơ nào quá hạn tiếp nhận."),
    Tab("cho-bo-sung", "Chờ bổ sung", {"status": "supplement_required"}, "Không có hồ sơ nào chờ bổ sung."),
    Tab("cho-nop-tien", "Chờ nộp phí, lệ phí, thuế", {"status": "awaiting_payment"},
        "Không có hồ sơ nào chờ thực hiện nghĩa vụ tài chính."),
    Tab("cho-tra", "Có kết quả, chờ trả", {"status": "processed"}, "Không có kết quả nào chờ trả."),
    Tab("yeu-cau-rut", "Yêu cầu rút", {"status": "withdrawal_requested"}, "Không có yêu cầu rút hồ sơ nào."),
    Tab("buu-chinh", "Bưu chính có vấn đề", {"postal_issue": "true"}, "Không có bưu gửi nào gặp vấn đề."),
)
BY_SLUG = {tab.slug: tab for tab in TABS}


@bp.get("/quay")
@requires("receptionist")
def queue():
    unit = officer().unit
    intake = backends().intake
    chosen = BY_SLUG.get(request.args.get("tab", ""), TABS[0])
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    counts, listing = {}, None
    for tab in TABS:
        if tab is chosen:
            listing = intake.dossiers(unit=unit, page=page, page_size=PAGE_SIZE, **tab.filters)
            counts[tab.slug] = listing["total"]
        else:
            # Only the count is needed for the other tabs.
            counts[tab.slug] = intake.dossiers(unit=unit, page=1, page_size=1, **tab.filters)["total"]
    return render_template("desk/queue.html", tabs=TABS, chosen=chosen, counts=counts, listing=listing,
                           page=page, page_size=PAGE_SIZE)
