"""Who acts for the whole province: an administrator whose unit is the province itself (every
officer's token carries a unit, auth.py). Province-wide powers (reporting's rebuild, which locks every
unit's figures; an opt-out of an address no dossier of theirs uses) are theirs alone: a commune's or a
district's administrator administers that unit only. Intake's calendar and imports apply the same rule
with their own unit directory."""
from __future__ import annotations

from datetime import date, datetime

from ..reference import Level, load_units
from ..workcal import VIETNAM_TZ
from .auth import Principal
from .errors import Forbidden


def is_province_admin(principal: Principal, on: date | None = None) -> bool:
    if not principal.has("admin") or not principal.unit:
        return False
    unit = load_units().find(principal.unit, on or datetime.now(VIETNAM_TZ).date())
    return unit is not None and unit.level is Level.PROVINCE


def require_province_admin(principal: Principal, *, to: str) -> None:
    """403 `province_admin_only` unless `principal` acts for the province (`to`: what they want to do)."""
    if not is_province_admin(principal):
        raise Forbidden(f"Chỉ quản trị viên cấp tỉnh được {to}.", code="province_admin_only")
