"""Who may see and act on which dossier (contracts.md §2).

An officer sees the dossiers received at their unit or below it, in the hierarchy in force on the day
each dossier came in: the officer of district 126 keeps seeing the 2019 dossiers of its communes, and
the officer of commune 04222 sees that commune's dossiers of both worlds (14.126.04222 before
01/07/2025, 14.04222 after). A dossier's stored path holds exactly that lineage, so "within" is "the
officer's unit code is one segment of the path". A province-wide administrator (no unit) sees all.

A citizen (role citizen; `sub` is their identity number) sees the dossiers they submitted and those
where they are the applicant, matched through the keyed hash, never the plain number.
"""
from __future__ import annotations

from sqlalchemy import false, literal, or_, true
from sqlalchemy.sql import ColumnElement

from motcua_shared.web.auth import OFFICER_ROLES, Principal

from .identity import IdentityHasher
from .models import dossiers

CITIZEN_ACTOR = "citizen"  # what history and events say instead of a citizen's identity number
ROUTING_ACTOR = "routing"  # changes announced by the routing service (processing started, finished...)
POSTAL_ACTOR = "postal"  # changes announced by the postal service (delivered, failed...)


def is_officer(principal: Principal) -> bool:
    return principal.has(*OFFICER_ROLES)


def province_wide(principal: Principal) -> bool:
    return principal.has("admin") and principal.unit is None


def path_contains(path: str, unit: str) -> bool:
    return unit in path.split(".")


def visible(principal: Principal, hasher: IdentityHasher) -> ColumnElement[bool]:
    """SQL condition: the dossiers `principal` may read."""
    if is_officer(principal):
        if province_wide(principal):
            return true()
        if principal.unit is None:
            return false()
        # '.14.126.04222.' LIKE '%.126.%': unit codes are digits only, so no LIKE escaping is needed.
        dotted = literal(".") + dossiers.c.receiving_unit_path + literal(".")
        return dotted.like(f"%.{principal.unit}.%") if principal.unit.isdigit() else false()
    if principal.has("citizen"):
        return or_(dossiers.c.created_by == principal.sub,
                   dossiers.c.applicant_id_hash == hasher.digest(principal.sub))
    return false()


def can_read(principal: Principal, dossier: dict, hasher: IdentityHasher) -> bool:
    if is_officer(principal):
        return province_wide(principal) or (
            principal.unit is not None and path_contains(dossier["receiving_unit_path"], principal.unit))
    if principal.has("citizen"):
        return dossier["created_by"] == principal.sub or hasher.matches(dossier["applicant_id_hash"], principal.sub)
    return False


def can_act_at_desk(principal: Principal, dossier: dict) -> bool:
    """Desk actions (accept, refuse, record a supplement, confirm a withdrawal, return a result)."""
    if not principal.has("receptionist", "admin"):
        return False
    return province_wide(principal) or (
        principal.unit is not None and path_contains(dossier["receiving_unit_path"], principal.unit))


def can_act_for_agency(principal: Principal, dossier: dict) -> bool:
    """What the competent agency decides about a dossier in processing (stop it, ask for a payment).

    The desk records it for the agency (a receptionist of the receiving unit, as for every desk action),
    or the agency's own officer does: a specialist or leader whose unit lies on the competent unit's
    path (the district's officer for a dossier of its commune's competence is above it, and decides for
    it) or on the receiving path (the agency of the desk's own People's Committee)."""
    if can_act_at_desk(principal, dossier):
        return True
    if not principal.has("specialist", "leader", "admin"):
        return False
    if province_wide(principal):
        return True
    paths = (dossier["competent_unit_path"] or "", dossier["receiving_unit_path"])
    return principal.unit is not None and any(path_contains(path, principal.unit) for path in paths if path)


def actor_of(principal: Principal) -> tuple[str, str | None]:
    """(actor, name) for history and events: officers by their id, citizens anonymously."""
    if is_officer(principal):
        return principal.sub, principal.name or None
    return CITIZEN_ACTOR, None
