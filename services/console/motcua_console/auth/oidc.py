"""What the console takes from the province's identity provider: who the officer is, and their roles
and unit, read from the claims named by CONSOLE_OIDC_*_CLAIM (docs/contracts.md §7).

Kept apart from the web pages so the mapping can be read, and tested, without a provider.
"""
from __future__ import annotations

from dataclasses import dataclass

from motcua_shared.web.auth import OFFICER_ROLES

# The scopes asked for are CONSOLE_OIDC_SCOPES ("openid profile" by default: "profile" is where providers
# usually release a person's name; the roles and unit claims come with it or in the ID token, as the
# province configures its mappers, docs/console-sign-in.md).


@dataclass(frozen=True)
class Profile:
    subject: str
    full_name: str
    roles: tuple[str, ...]  # officer roles only: anything else the province knows is dropped
    unit: str | None


def claim(claims: dict, name: str):
    """A claim by name; a dotted name reaches into an object (Keycloak's `realm_access.roles`)."""
    if name in claims:
        return claims[name]
    value = claims
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _roles(value) -> list[str]:
    # A JSON list, or one string of names separated by spaces or commas: providers do both.
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, (list, tuple)):
        return []
    return [item for item in value if isinstance(item, str)]


def profile(settings, id_token: dict, userinfo: dict | None = None) -> Profile:
    """The officer as the provider describes them. The ID token is authoritative for `sub`; userinfo
    only adds claims the provider did not put in the ID token (and must be about the same subject)."""
    subject = str(id_token.get("sub") or "")
    claims = dict(id_token)
    if userinfo and str(userinfo.get("sub")) == subject:
        claims = {**userinfo, **{k: v for k, v in id_token.items() if v is not None}}
    roles = tuple(sorted({role for role in _roles(claim(claims, settings.console_oidc_roles_claim))
                          if role in OFFICER_ROLES}))
    unit = claim(claims, settings.console_oidc_unit_claim)
    unit = str(unit).strip() if isinstance(unit, (str, int)) and str(unit).strip() else None
    name = claim(claims, settings.console_oidc_name_claim)
    full_name = name.strip() if isinstance(name, str) and name.strip() else subject
    return Profile(subject=subject, full_name=full_name, roles=roles, unit=unit)
