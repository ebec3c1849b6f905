"""What the endpoints share: the parsed options, the providers, the clock, and who may call them.

Officer scope is motcua_shared.web.scope's, as in every service."""
from __future__ import annotations

from datetime import datetime

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import DESK, OFFICERS  # noqa: F401  (the endpoint modules import them from here)

from .. import providers as provider_registry
from ..clock import system_clock
from ..options import Options



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
