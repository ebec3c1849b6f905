"""/buu-chinh: the shipments of the officer's desk (postal scopes them by the officer's unit), one tab
per question the desk asks: what must I act on, what is late, what is still out, everything.

postal filters the "needs action" and "everything" tabs itself and pages them. "Still out" is three
statuses and postal filters by one, and the overdue list takes no direction filter: those are
gathered from postal in full pages, filtered and paged here (a commune desk has at most a few
hundred shipments out; the gathering stops at GATHER_LIMIT and says so)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import render_template, request

from ...clients.postal import PostalClient
from ...permissions import requires
from ..context import backends
from . import bp
from .words import DIRECTION_NAMES, DIRECTIONS

PAGE_SIZE = 20
POSTAL_MAX_PAGE = 100   # postal's largest page_size
GATHER_LIMIT = 1000     # shipments read at most to build one gathered tab
ON_THE_WAY = ("requested", "accepted", "picked_up")


@dataclass(frozen=True)
class Listing:
    items: list
    total: int
    capped: bool = False  # the gathering stopped at GATHER_LIMIT: the list may be incomplete


def _gather(fetch: Callable[[int], dict]) -> tuple[list, bool]:
    """Every item of a paged postal list, up to GATHER_LIMIT."""
    items, page = [], 1
    while True:
        answer = fetch(page)
        items.extend(answer["items"])
        if len(items) >= GATHER_LIMIT:
            return items[:GATHER_LIMIT], answer["total"] > GATHER_LIMIT
        if page * POSTAL_MAX_PAGE >= answer["total"] or not answer["items"]:
            return items, False
        page += 1


def _page_of(items: list, page: int, capped: bool) -> Listing:
    start = (page - 1) * PAGE_SIZE
    return Listing(items[start:start + PAGE_SIZE], len(items), capped)


def _attention(postal: PostalClient, direction: str | None, page: int) -> Listing:
    answer = postal.shipments(attention="true", direction=direction, page=page, page_size=PAGE_SIZE)
    return Listing(answer["items"], answer["total"])


def _everything(postal: PostalClient, direction: str | None, page: int) -> Listing:
    answer = postal.shipments(direction=direction, page=page, page_size=PAGE_SIZE)
    return Listing(answer["items"], answer["total"])


def _overdue(postal: PostalClient, direction: str | None, page: int) -> Listing:
    if not direction:
        answer = postal.overdue(page=page, page_size=PAGE_SIZE)
        return Listing(answer["items"], answer["total"])
    items, capped = _gather(lambda p: postal.overdue(page=p, page_size=POSTAL_MAX_PAGE))
    return _page_of([i for i in items if i["direction"] == direction], page, capped)  # most overdue first, kept


def _on_the_way(postal: PostalClient, direction: str | None, page: int) -> Listing:
    items, capped = [], False
    for status in ON_THE_WAY:
        found, cut = _gather(lambda p, s=status: postal.shipments(status=s, direction=direction, page=p,
                                                                   page_size=POSTAL_MAX_PAGE))
        items.extend(found)
        capped = capped or cut
    # Newest first, as postal orders each of its lists.
    items.sort(key=lambda i: (i["created_at"], i["shipment_id"]), reverse=True)
    return _page_of(items, page, capped)


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    load: Callable[[PostalClient, str | None, int], Listing]
    empty: str


TABS = (
    Tab("can-xu-ly", "Cần xử lý", _attention, "Không có bưu gửi nào cần bộ phận một cửa xử lý."),
    Tab("qua-han", "Quá hạn", _overdue, "Không có bưu gửi nào quá hạn phát."),
    Tab("dang-gui", "Đang gửi", _on_the_way, "Không có bưu gửi nào đang trên đường."),
    Tab("tat-ca", "Tất cả", _everything, "Chưa có bưu gửi nào."),
)
BY_SLUG = {tab.slug: tab for tab in TABS}


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(value or "1"), 1), 100000)
    except ValueError:
        return 1


@bp.get("/buu-chinh")
@requires("receptionist", "leader", "auditor")
def shipments():
    chosen = BY_SLUG.get(request.args.get("tab", ""), TABS[0])
    direction = request.args.get("direction", "")
    direction = direction if direction in DIRECTION_NAMES else ""  # anything else: both directions
    page = _page_number(request.args.get("page"))
    listing = chosen.load(backends().postal, direction or None, page)
    keep = {"tab": chosen.slug, **({"direction": direction} if direction else {})}
    return render_template("postal/shipments.html", tabs=TABS, chosen=chosen, listing=listing, page=page,
                           page_size=PAGE_SIZE, direction=direction, directions=DIRECTIONS,
                           direction_names=DIRECTION_NAMES, keep=keep)
