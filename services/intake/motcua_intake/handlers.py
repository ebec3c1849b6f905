"""Events intake acts on (queue intake.inbox: routing.events and postal.events).

Each handler runs inside the consumer's transaction after the inbox check, so it sees an event id at
most once; the status machine makes the rest safe: a second event with the same meaning (a different
id), or one that arrives after the dossier moved on, finds no allowed change and changes nothing. An
event about a dossier intake does not hold is logged and dropped: routing and postal only know codes
intake published, so it can only be a test fixture or another deployment's message, never work to redo.

Handlers read `event.loaded_data`: the data the consumer's validation already loaded (datetimes, not the
wire's strings), shared by every reader of the event, so they never change it.
"""
from __future__ import annotations

import logging
from typing import Callable

from sqlalchemy.orm import Session

from motcua_shared.events import Event
from motcua_shared.events.catalogue import route, shipment
from motcua_shared.events.catalogue.handover import ROUTE_HANDED_OVER

from . import handovers, lifecycle, processing, returns, supplements
from .desk import Desk
from .lifecycle import TRANSITIONS

log = logging.getLogger("motcua.intake.handlers")


def _dossier(session: Session, event: Event, code: str) -> dict | None:
    dossier = lifecycle.load(session, code, for_update=True)
    if dossier is None:
        log.warning("event_for_unknown_dossier", extra={"event_type": event.type, "dossier_code": code})
    return dossier


def _unchanged(event: Event, dossier: dict) -> None:
    log.info("event_changes_nothing", extra={"event_type": event.type, "dossier_code": dossier["code"],
                                             "status": lifecycle.state_of(dossier)})


def build(desk: Desk) -> dict[str, Callable[[Session, Event], None]]:
    def on_route_started(session: Session, event: Event) -> None:
        data = event.loaded_data
        dossier = _dossier(session, event, data["dossier_code"])
        if dossier is None:
            return
        if not lifecycle.allows(TRANSITIONS["transfer"], dossier):
            return _unchanged(event, dossier)
        first = min(data["steps"], key=lambda step: step["sequence"])
        processing.started(session, desk, dossier, started_at=data["started_at"], unit=first["unit"],
                           unit_path=first["unit_path"])

    def on_supplement_required(session: Session, event: Event) -> None:
        data = event.loaded_data
        dossier = _dossier(session, event, data["dossier_code"])
        if dossier is None:
            return
        if not lifecycle.allows(TRANSITIONS["processing_supplement"], dossier):
            return _unchanged(event, dossier)
        supplements.requested_by_processing(session, desk, dossier, requested_at=data["requested_at"],
                                            note=data["note"], step_id=data["step_id"])

    def on_route_completed(session: Session, event: Event) -> None:
        data = event.loaded_data
        dossier = _dossier(session, event, data["dossier_code"])
        if dossier is None:
            return
        if not lifecycle.allows(TRANSITIONS["process"], dossier):
            return _unchanged(event, dossier)
        processing.completed(session, desk, dossier, outcome=data["outcome"], completed_at=data["completed_at"],
                             note=data["note"])

    def on_apology_issued(session: Session, event: Event) -> None:
        data = event.loaded_data
        dossier = _dossier(session, event, data["dossier_code"])
        if dossier is None:
            return
        if not processing.apology_applies(dossier):
            return _unchanged(event, dossier)
        processing.apologised(session, dossier, issued_at=data["issued_at"], new_due_at=data["new_due_at"],
                              reason=data["reason"], unit=data["unit"])

    def on_route_handed_over(session: Session, event: Event) -> None:
        # The 2025 transition: steps moved to the successor agencies (a history row, no status change).
        data = event.loaded_data
        dossier = _dossier(session, event, data["dossier_code"])
        if dossier is None:
            return
        if not handovers.handed_over(session, dossier, data):
            _unchanged(event, dossier)

    def on_shipment_progressed(session: Session, event: Event) -> None:
        data = event.loaded_data
        dossier = _dossier(session, event, data["dossier_code"])
        if dossier is None:
            return
        changed = returns.shipment_progressed(
            session, desk, dossier, shipment_id=data["shipment_id"], direction=data["direction"],
            status=data["status"], occurred_at=data["occurred_at"], tracking_number=data["tracking_number"])
        if not changed:
            _unchanged(event, dossier)

    return {
        route.ROUTE_STARTED: on_route_started,
        route.ROUTE_SUPPLEMENT_REQUIRED: on_supplement_required,
        route.ROUTE_COMPLETED: on_route_completed,
        route.APOLOGY_ISSUED: on_apology_issued,
        ROUTE_HANDED_OVER: on_route_handed_over,
        shipment.SHIPMENT_PROGRESSED: on_shipment_progressed,
    }
