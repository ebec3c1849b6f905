"""Dates, amounts and unit names the way a Vietnamese notice writes them."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from motcua_shared.reference import load_units

GENERIC_UNIT = "cơ quan tiếp nhận hồ sơ"
COMPETENT_UNIT = "cơ quan có thẩm quyền"


def moment(value: datetime, tz: ZoneInfo) -> str:
    """2019-03-20T01:30Z → "08:30 ngày 20/03/2019" (local time)."""
    local = value.astimezone(tz)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def amount(vnd: int) -> str:
    if not vnd:
        return "Không thu phí, lệ phí"
    return f"{vnd:,} đồng".replace(",", ".")


def unit_name(code: str | None, on: date, unknown: str = GENERIC_UNIT) -> str:
    """"04222" → "UBND xã Chiềng Khương": the People's Committee whose desk the citizen deals with."""
    unit = load_units().find(code, on) if code else None
    if unit is None:
        return unknown
    return f"UBND {unit.name[:1].lower()}{unit.name[1:]}"
