"""Events postal acts on (each called at most once per event id, inside the consumer's transaction).

From intake (queue postal.inbox): the dossier's facts and the moments that call for a shipment or
call one off. From the partner (queue postal.partner-reports): its status reports. A report naming
no shipment of ours, or with a time that cannot be true, can never succeed: it is dead-lettered
with the reason (a malformed one never reaches a handler: the consumer dead-letters it).
"""
from __future__ import annotations

from functools import partial
from typing import Mapping

from sqlalchemy.orm import Session

from motcua_shared.events import Event
from motcua_shared.events.catalogue.dossier import (DOSSIER_PROCESSED, DOSSIER_RECEIVED, DOSSIER_RETURNED,
                                                    DOSSIER_SUBMITTED, DOSSIER_WITHDRAWN)
from motcua_shared.events.catalogue.reference import REFERENCE_CHANGED
from motcua_shared.events.catalogue.shipment import STATUS_REPORTED
from motcua_shared.reference.store import announcement_handler
from motcua_shared.messaging.consumer import Handler, PermanentError

from . import dossiers, shipments
from .config import PostalConfig
from .models import reference_sets


def _data(event: Event) -> dict:
    # What the consumer's validation loaded (datetimes, not the wire's strings): no second load per event.
    # Shared by every reader of the event: the handlers below only read it.
    return event.loaded_data


def on_dossier_entered(session: Session, event: Event, *, config: PostalConfig, verb: str) -> None:
    """dossier.submitted or dossier.received: the facts, and the moment the dossier entered."""
    data = _data(event)
    row = dossiers.lock(session, data["code"], config.now())
    row = dossiers.record_historical(session, row, data)
    facts = dossiers.record_facts(session, row, data, verb=verb, moment=data[f"{verb}_at"])
    dossiers.reconcile(session, config, facts)


def on_dossier_processed(session: Session, event: Event, *, config: PostalConfig) -> None:
    data = _data(event)
    row = dossiers.record_historical(session, dossiers.lock(session, data["code"], config.now()), data)
    facts = dossiers.record(session, row, processed_at=data["occurred_at"], processed_result=data["result"])
    dossiers.reconcile(session, config, facts)


def on_dossier_withdrawn(session: Session, event: Event, *, config: PostalConfig) -> None:
    data = _data(event)
    row = dossiers.record_historical(session, dossiers.lock(session, data["code"], config.now()), data)
    dossiers.reconcile(session, config, dossiers.record(session, row, withdrawn_at=data["occurred_at"]))


def on_dossier_returned(session: Session, event: Event, *, config: PostalConfig) -> None:
    """Handed over at the counter or online: a result shipment still waiting is no longer wanted.
    (Returned by post is intake's answer to our own `delivered`: nothing to do.)"""
    data = _data(event)
    if data["method"] == "postal":
        return
    row = dossiers.record_historical(session, dossiers.lock(session, data["code"], config.now()), data)
    dossiers.reconcile(session, config, dossiers.record(session, row, returned_at=data["occurred_at"]))


def on_status_reported(session: Session, event: Event, *, config: PostalConfig) -> None:
    data = _data(event)
    row = shipments.lock(session, data["shipment_id"])
    if row is None:
        raise PermanentError(f"unknown shipment_id {data['shipment_id'][:64]!r}")
    problem = shipments.implausible_time(row, data["occurred_at"], config.now())
    if problem:
        raise PermanentError(f"shipment {row['id']}: {shipments.IMPLAUSIBLE[problem]}")
    shipments.apply_report(session, config, row, status=data["status"], occurred_at=data["occurred_at"],
                           tracking_number=data["tracking_number"], note=data["note"], source="partner",
                           actor=event.source[:200], event_id=event.id)


def build(config: PostalConfig) -> Mapping[str, Handler]:
    return {
        DOSSIER_SUBMITTED: partial(on_dossier_entered, config=config, verb="submitted"),
        DOSSIER_RECEIVED: partial(on_dossier_entered, config=config, verb="received"),
        DOSSIER_PROCESSED: partial(on_dossier_processed, config=config),
        DOSSIER_WITHDRAWN: partial(on_dossier_withdrawn, config=config),
        DOSSIER_RETURNED: partial(on_dossier_returned, config=config),
        STATUS_REPORTED: partial(on_status_reported, config=config),
        # The reference set in use (docs/reference-data.md): stored, then used for new shipments.
        REFERENCE_CHANGED: announcement_handler(reference_sets),
    }
