"""Who may see which shipments: an officer sees those of their unit's desks and of the units below it.

A shipment belongs to the desk of the dossier's receiving unit; its stored unit path ("14.126.04222")
names every unit above that desk on the day it was created, so the scope survives later changes of the
hierarchy. The rule is every service's (motcua_shared.web.scope); the province's officers (unit "14")
see every shipment.
"""
from __future__ import annotations

from sqlalchemy.sql import ColumnElement

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import OFFICERS, Principal
from motcua_shared.web.errors import NotFound
from motcua_shared.web.scope import clause, found_in_scope

from ...config import PostalConfig
from ...models import shipments

READERS = OFFICERS
REPORTERS = ("admin", "leader", "receptionist")  # who records what the post office reported by other means


def config() -> PostalConfig:
    rt = runtime()
    if "postal_config" not in rt.extras:
        rt.extras["postal_config"] = PostalConfig.from_settings(rt.settings)
    return rt.extras["postal_config"]


def scope(principal: Principal) -> ColumnElement[bool]:
    return clause(principal, shipments.c.unit_path)


def ensure_visible(principal: Principal, row) -> None:
    """Outside the officer's scope a shipment does not exist for them (docs/contracts.md §2)."""
    found_in_scope(principal, row, "unit_path", NotFound("Không tìm thấy bưu gửi.", code="shipment_not_found"))
