"""Who may see and act on which dossier (docs/contracts.md §2).

An officer sees the dossiers received at their unit or below it, in the hierarchy in force on the day
each dossier came in: the officer of district 126 keeps seeing the 2019 dossiers of its communes, and
the officer of commune 04222 sees that commune's dossiers of both worlds (14.126.04222 before
01/07/2025, 14.04222 after). A dossier's stored path holds exactly that lineage; the rule itself is
every service's (motcua_shared.web.scope), and the province's officers (unit "14") see all.

A citizen (role citizen; `sub` is their identity number) sees the dossiers they submitted and those
where they are the applicant, matched through the keyed hash, never the plain number.
"""
from __future__ import annotations

import hmac

from sqlalchemy import false, or_
from sqlalchemy.sql import ColumnElement

from motcua_shared.web.auth import DESK, HANDLERS, Principal
from motcua_shared.web.scope import clause, covers, is_officer

from .identity import CITIZEN_CREATOR, IdentityHasher
from .models import dossiers

CITIZEN_ACTOR = "citizen"  # what history and events say instead of a citizen's identity number
ROUTING_ACTOR = "routing"  # changes announced by the routing service (processing started, finished...)
POSTAL_ACTOR = "postal"  # changes announced by the postal service (delivered, failed...)


def visible(principal: Principal, hasher: IdentityHasher) -> ColumnElement[bool]:
    """SQL condition: the dossiers `principal` may read."""
    if is_officer(principal):
        return clause(principal, dossiers.c.receiving_unit_path)
    if principal.has("citizen"):
        # The keyed hash of the token's subject (a citizen's identity number): as the applicant, or as the
        # citizen who submitted it (`created_by` holds the same hash, see identity.IdentityHasher.creator).
        digest = hasher.digest(principal.sub)
        return or_(dossiers.c.created_by == CITIZEN_CREATOR + digest, dossiers.c.applicant_id_hash == digest)
    return false()


def can_read(principal: Principal, dossier: dict, hasher: IdentityHasher) -> bool:
    if is_officer(principal):
        return covers(principal, dossier["receiving_unit_path"])
    if principal.has("citizen"):
        # As bytes: an officer's `created_by` may hold non-ASCII, which compare_digest refuses in a str.
        return (hmac.compare_digest(dossier["created_by"].encode(), hasher.creator(principal.sub).encode())
                or hasher.matches(dossier["applicant_id_hash"], principal.sub))
    return False


def can_act_at_desk(principal: Principal, dossier: dict) -> bool:
    """Desk actions (accept, refuse, record a supplement, confirm a withdrawal, return a result)."""
    return principal.has(*DESK) and covers(principal, dossier["receiving_unit_path"])


def can_act_for_agency(principal: Principal, dossier: dict) -> bool:
    """What the competent agency decides about a dossier in processing (stop it, ask for a payment).

    The desk records it for the agency (a receptionist of the receiving unit, as for every desk action),
    or the agency's own officer does: a specialist or leader whose unit lies on the competent unit's
    path (the district's officer for a dossier of its commune's competence is above it, and decides for
    it) or on the receiving path (the agency of the desk's own People's Committee)."""
    if can_act_at_desk(principal, dossier):
        return True
    if not principal.has(*HANDLERS, "admin"):
        return False
    return any(covers(principal, path) for path in (dossier["competent_unit_path"], dossier["receiving_unit_path"]))


def actor_of(principal: Principal) -> tuple[str, str | None]:
    """(actor, name) for history and events: officers by their id, citizens anonymously."""
    if is_officer(principal):
        return principal.sub, principal.name or None
    return CITIZEN_ACTOR, None
