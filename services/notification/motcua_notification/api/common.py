"""What the endpoints share: the parsed options, the providers, the clock, and officer scope."""
from __future__ import annotations

from datetime import datetime

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import OFFICER_ROLES, Principal

from .. import providers as provider_registry
from ..clock import system_clock
from ..options import Options

OFFICERS = tuple(sorted(OFFICER_ROLES))
DESK = ("receptionist", "admin")


def options() -> Options:
    extras = runtime().extras
    if "options" not in extras:
        extras["options"] = Options.from_settings(runtime().settings)
    return extras["options"]


def providers() -> provider_registry.Providers:
    extras = runtime().extras
    if "providers" not in extras:
        extras["providers"] = provider_registry.build(runtime().settings)
    return extras["providers"]


def now() -> datetime:
    return system_clock(options().clock_offset)()


def in_scope(principal: Principal, receiving_unit_path: str | None) -> bool:
    """The officer's unit is one segment of the dossier's receiving unit path (the lineage on the day it
    was received, as intake decides it); a province-wide administrator (no unit) sees every dossier."""
    if principal.has("admin") and principal.unit is None:
        return True
    return bool(principal.unit and receiving_unit_path and principal.unit in receiving_unit_path.split("."))
