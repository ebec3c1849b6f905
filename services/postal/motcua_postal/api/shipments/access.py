"""Who may see which shipments: an officer sees those of their unit's desks and of the units below it.

A shipment belongs to the desk of the dossier's receiving unit; its stored unit path ("14.126.04222")
names every unit above that desk on the day it was created, so the scope survives later changes
of the hierarchy. A province-wide admin (no unit in the token) sees all.
"""
from __future__ import annotations

import re

from sqlalchemy import literal, true
from sqlalchemy.sql import ColumnElement

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import Forbidden, NotFound

from ...config import PostalConfig
from ...models import shipments

UNIT_CODE = re.compile(r"^(\d{2}|\d{3}|\d{5})$")
READERS = ("receptionist", "specialist", "leader", "admin", "auditor")
REPORTERS = ("receptionist", "leader", "admin")


def config() -> PostalConfig:
    rt = runtime()
    if "postal_config" not in rt.extras:
        rt.extras["postal_config"] = PostalConfig.from_settings(rt.settings)
    return rt.extras["postal_config"]


def _unit(principal: Principal) -> str | None:
    """The officer's unit code, or None for a province-wide admin."""
    if principal.unit is None and principal.has("admin"):
        return None
    if principal.unit is None or not UNIT_CODE.match(principal.unit):
        raise Forbidden("Mã truy cập không gắn với đơn vị hành chính nào.", code="unit_required")
    return principal.unit


def scope(principal: Principal) -> ColumnElement[bool]:
    unit = _unit(principal)
    if unit is None:
        return true()
    return (literal(".") + shipments.c.unit_path + literal(".")).like(f"%.{unit}.%")


def ensure_visible(principal: Principal, row) -> None:
    """Outside the officer's scope a shipment does not exist for them (contracts.md §2)."""
    unit = _unit(principal)
    if row is None or (unit is not None and unit not in row["unit_path"].split(".")):
        raise NotFound("Không tìm thấy bưu gửi.", code="shipment_not_found")

