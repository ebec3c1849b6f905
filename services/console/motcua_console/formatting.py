"""How values read on a page: Vietnamese dates and times in the province's time zone, money, statuses."""
from __future__ import annotations

from datetime import date, datetime

from markupsafe import Markup

from motcua_shared.statuses import VIETNAMESE
from motcua_shared.workcal import VIETNAM_TZ


STATUS_TAGS = {
    "submitted": "blue", "received": "light-blue", "in_progress": "purple", "supplement_required": "yellow",
    "awaiting_payment": "yellow", "withdrawal_requested": "orange", "stopped": "grey", "refused": "red",
    "processed": "green", "returned": "grey",
}


def parse_moment(value) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def local(value) -> datetime | None:
    moment = parse_moment(value)
    if moment is None:
        return None
    return moment.astimezone(VIETNAM_TZ) if moment.tzinfo else moment


def when(value) -> str:
    """`14:05 05/05/2026` (24 h, day first), the way officers write it."""
    moment = local(value)
    return moment.strftime("%H:%M %d/%m/%Y") if moment else ""


def day(value) -> str:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    moment = local(value)
    return moment.strftime("%d/%m/%Y") if moment else ""


def iso(value) -> str:
    moment = parse_moment(value)
    return moment.isoformat() if moment else ""


def money(value) -> str:
    if value is None or value == "":
        return "Không thu phí"
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return str(value)
    return "Không thu phí" if amount == 0 else f"{amount:,}".replace(",", ".") + " đồng"


def status_text(status: str | None) -> str:
    return VIETNAMESE.get(status or "", status or "")


def status_tag(status: str | None) -> Markup:
    colour = STATUS_TAGS.get(status or "", "grey")
    return Markup('<strong class="tag tag--{}">{}</strong>').format(colour, status_text(status))  # format escapes


def number(value) -> str:
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return str(value)


def size(value) -> str:
    """A file's size as officers read it: `64 MB`, `850 KB` (1024-based, Vietnamese decimal comma)."""
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return str(value)
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if amount >= scale:
            shown = f"{amount / scale:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{shown} {unit}"
    return f"{int(amount)} byte"


def working_time(minutes) -> str:
    """Working minutes as the desk reads a time limit: "7 giờ 30 phút", "45 phút" (sign dropped)."""
    try:
        hours, rest = divmod(abs(int(minutes)), 60)
    except (TypeError, ValueError):
        return str(minutes)
    if hours and rest:
        return f"{hours} giờ {rest} phút"
    return f"{hours} giờ" if hours else f"{rest} phút"


FILTERS = {"when": when, "day": day, "iso": iso, "money": money, "status_text": status_text,
           "status_tag": status_tag, "number": number, "size": size, "working_time": working_time}
