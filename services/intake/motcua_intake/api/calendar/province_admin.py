"""The calendar is the province's: only an administrator of the province (unit "14") changes it."""
from datetime import date

from motcua_shared.reference import Level
from motcua_shared.web.auth import current_principal
from motcua_shared.web.errors import Forbidden, Invalid

from ...app import desk


def require_province_admin(day: date, *, to: str = "sửa lịch làm việc") -> str:
    """The caller's id when they may act for the whole province (`to`: what they want to do, for the message)."""
    principal = current_principal()
    # Every officer's token names their unit (the verifier refuses one that does not).
    unit = desk().units.find(principal.unit, day) if principal.unit else None
    if unit is None or unit.level is not Level.PROVINCE:
        raise Forbidden(f"Chỉ quản trị viên cấp tỉnh được {to}.", code="province_admin_only")
    return principal.sub


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid("Ngày phải có dạng YYYY-MM-DD.", invalid_params=[
            {"name": "day", "code": "invalid_format", "reason": "Không phải ngày hợp lệ (YYYY-MM-DD)."}]) from None
