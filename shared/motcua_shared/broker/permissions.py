"""Least privilege on the broker: one user per service and per partner, with exactly the rights its
traffic needs (docs/reliability.md §5.1). Generated from the topology catalogue, never written by hand.

configure: declare or delete  — the service's own exchanges and queues
write:     publish to an exchange, or bind a queue  — its own exchanges and queues
read:      consume a queue, or bind from an exchange  — its own queues plus the exchanges it listens to
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..settings import SERVICES
from .catalogue import POSTAL_PARTNER, POSTAL_PICKUPS, ROUTING_STEP_RESULTS, ROUTING_STEPS, SUBSCRIPTIONS


@dataclass(frozen=True)
class Permission:
    user: str
    configure: str
    write: str
    read: str


def _names(*names: str) -> str:
    return "^(" + "|".join(re.escape(n) for n in sorted(set(names))) + ")$"


def service_user(service: str) -> str:
    return f"motcua-{service}"


def service_permission(service: str) -> Permission:
    own = f"{re.escape(service)}\\..*"
    sources = sorted({exchange for sub in SUBSCRIPTIONS[service] for exchange, _ in sub.sources
                      if not exchange.startswith(f"{service}.")})
    read = f"^({own}" + "".join(f"|{re.escape(s)}" for s in sources) + ")$"
    return Permission(service_user(service), configure=f"^{own}$", write=f"^{own}$", read=read)


# Partners (docs/contracts.md §4.1, §4.2). Their exact regexes are part of the pinned contract.
POSTAL_PARTNER_PERMISSION = Permission("postal_partner", configure="^$", write=f"^{re.escape(POSTAL_PARTNER)}$",
                                       read=f"^{re.escape(POSTAL_PICKUPS)}$")
PROVINCE_ROUTING_PERMISSION = Permission(
    "province_routing", configure="^province-routing\\..*$",
    write=f"^(province-routing\\..*|{re.escape(ROUTING_STEP_RESULTS)})$",
    read=f"^(province-routing\\..*|{re.escape(ROUTING_STEPS)})$")


def all_permissions() -> list[Permission]:
    return [service_permission(s) for s in SERVICES] + [POSTAL_PARTNER_PERMISSION, PROVINCE_ROUTING_PERMISSION]


def password_variable(user: str) -> str:
    """POSTAL_PARTNER_PASSWORD, PROVINCE_ROUTING_PASSWORD, INTAKE_BROKER_PASSWORD, ..."""
    if user.startswith("motcua-"):
        return f"{user.removeprefix('motcua-').upper()}_BROKER_PASSWORD"
    return f"{user.upper()}_PASSWORD"
