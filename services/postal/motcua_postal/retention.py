"""Erasing the contacts postal no longer needs: the worker's retention sweep.

Postal keeps names, addresses and phones only to have items carried. Once a shipment has ended
(delivered, returned, cancelled: it never moves again, lifecycle.ENDS) its parties are kept
POSTAL_CONTACT_RETENTION_DAYS more, for a complaint about the item, then erased. The citizen's
contact kept for a dossier (dossier_returns) is erased on the same terms once postal is done with the
dossier: withdrawn, its result handed over at the desk, or delivered by post, and none of its shipments
still open or ended recently. What remains (codes, directions, statuses, times) is what the desks and
the reports need.

The sweep reads the service's clock, works in batches, and several workers may sweep at once: each
takes the rows no other holds.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from . import lifecycle
from .config import PostalConfig
from .models import dossier_returns, shipments

BATCH = 500
PARTIES = ("pickup_name", "pickup_address", "pickup_phone", "delivery_name", "delivery_address", "delivery_phone")
CONTACT = ("applicant_name", "applicant_phone", "applicant_address", "delivery_address")

log = logging.getLogger("motcua.postal.retention")


@dataclass
class Erased:
    shipments: int = 0
    dossiers: int = 0


def erase_expired_contacts(sessions: sessionmaker, config: PostalConfig, now: datetime) -> Erased:
    # In UTC, as every time is stored: SQLite compares the stored text, whatever the offset it was given in.
    now = now.astimezone(timezone.utc)
    cutoff = now - config.contact_retention
    erased = Erased()
    with sessions.begin() as session:
        ended = session.execute(
            select(shipments.c.id).where(shipments.c.status.in_(sorted(lifecycle.ENDS)),
                                         shipments.c.contacts_erased_at.is_(None), shipments.c.status_at <= cutoff)
            .order_by(shipments.c.status_at).limit(BATCH).with_for_update(skip_locked=True)).scalars().all()
        if ended:
            session.execute(update(shipments).where(shipments.c.id.in_(ended))
                            .values(contacts_erased_at=now, **{name: None for name in PARTIES}))
        erased.shipments = len(ended)
    with sessions.begin() as session:
        done = session.execute(
            select(dossier_returns.c.id).where(dossier_returns.c.contacts_erased_at.is_(None),
                                               or_(*(dossier_returns.c[name].is_not(None) for name in CONTACT)),
                                               _postal_is_done(cutoff))
            .order_by(dossier_returns.c.id).limit(BATCH).with_for_update(skip_locked=True)).scalars().all()
        if done:
            session.execute(update(dossier_returns).where(dossier_returns.c.id.in_(done))
                            .values(contacts_erased_at=now, **{name: None for name in CONTACT}))
        erased.dossiers = len(done)
    if erased.shipments or erased.dossiers:
        log.info("postal_contacts_erased", extra={"shipments": erased.shipments, "dossiers": erased.dossiers})
    return erased


def _postal_is_done(cutoff: datetime):
    """SQL: the dossier ended for postal before `cutoff` and none of its shipments moved since."""
    of_dossier = shipments.c.dossier_code == dossier_returns.c.dossier_code
    result_delivered = exists().where(of_dossier, shipments.c.direction == "result_to_citizen",
                                      shipments.c.status == "delivered", shipments.c.status_at <= cutoff)
    still_moving = exists().where(of_dossier, or_(shipments.c.status.not_in(sorted(lifecycle.ENDS)),
                                                  shipments.c.status_at > cutoff))
    return and_(or_(dossier_returns.c.withdrawn_at <= cutoff, dossier_returns.c.returned_at <= cutoff,
                    result_delivered), ~still_moving)


def erase_dossiers(session: Session, codes: list[str], now: datetime) -> tuple[list[str], list[str]]:
    """On a citizen's request, without waiting for the retention: the parties of these dossiers' ended
    shipments, and each dossier's contact once postal is done with it. Returns (erased, kept): the codes
    whose contacts are all gone now, and those that still need some (a shipment under way, a result not
    delivered yet) or that postal does not know."""
    now = now.astimezone(timezone.utc)
    session.execute(update(shipments).where(shipments.c.dossier_code.in_(codes),
                                            shipments.c.status.in_(sorted(lifecycle.ENDS)),
                                            shipments.c.contacts_erased_at.is_(None))
                    .values(contacts_erased_at=now, **{name: None for name in PARTIES}))
    session.execute(update(dossier_returns).where(dossier_returns.c.dossier_code.in_(codes),
                                                  dossier_returns.c.contacts_erased_at.is_(None),
                                                  _postal_is_done(now))
                    .values(contacts_erased_at=now, **{name: None for name in CONTACT}))
    left = set(session.execute(select(dossier_returns.c.dossier_code).where(
        dossier_returns.c.dossier_code.in_(codes), or_(*(dossier_returns.c[name].is_not(None) for name in CONTACT))
    )).scalars()) | set(session.execute(select(shipments.c.dossier_code).where(
        shipments.c.dossier_code.in_(codes), shipments.c.contacts_erased_at.is_(None))).scalars())
    known = set(session.execute(select(dossier_returns.c.dossier_code)
                                .where(dossier_returns.c.dossier_code.in_(codes))).scalars())
    erased = sorted(known - left)
    return erased, sorted(set(codes) - set(erased))


def main(argv: list[str] | None = None) -> int:
    """`python -m motcua_postal erase-contacts CODE [CODE ...]` (docs/personal-data.md)."""
    import argparse

    from motcua_shared import logs
    from motcua_shared.service import Runtime

    from .service import SPEC

    parser = argparse.ArgumentParser(prog="python -m motcua_postal erase-contacts",
                                     description="Erase the contacts postal keeps for these dossiers, as far as "
                                                 "no shipment still needs them")
    parser.add_argument("codes", nargs="+")
    args = parser.parse_args(argv)
    runtime = Runtime(SPEC)
    logs.configure(SPEC.name, "erase-contacts", runtime.settings.log_level)
    try:
        with runtime.sessions.begin() as session:
            erased, kept = erase_dossiers(session, args.codes, PostalConfig.from_settings(runtime.settings).now())
        log.info("postal_contacts_erased_on_request", extra={"erased": erased, "kept": kept})
        print(f"erased the contacts of {len(erased)} dossier(s): {' '.join(erased) or '-'}")
        if kept:
            print(f"kept (a shipment still needs them, or unknown to postal): {' '.join(kept)}")
    finally:
        runtime.close()
    return 0
