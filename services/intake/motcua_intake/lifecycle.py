"""The dossier's status machine: which change may follow which, and how a change is made.

A change of status is always three writes in the caller's transaction: the dossier row, one history row
and exactly one event in the outbox. The row is locked first (FOR UPDATE on PostgreSQL; SQLite's
BEGIN IMMEDIATE already serialises writers), so two desks or a desk and a consumer can never both
move one dossier from the same status.

    none ─┬─ submit ──▶ submitted ─┬─ accept ──────────────▶ received ── transfer ──▶ in_progress
          │                        ├─ request_supplement ──▶ supplement_required (reception) ─┐
          │                        ├─ refuse / redirect ───▶ refused                          │
          └─ receive ─▶ received   └─ (accept / refuse / redirect also from ◀────────────────┘)
    received, in_progress ── processing_supplement ──▶ supplement_required (processing)
    supplement_required (processing) ── supplement_received ──▶ in_progress
    supplement_required (reception) ── request_supplement ──▶ itself (a second request: legal ground required)
    in_progress ── request_payment ──▶ awaiting_payment ── payment_received ──▶ in_progress
    received, in_progress, supplement_required (processing), awaiting_payment, withdrawal_requested
        ── process ──▶ processed
        ── stop ──▶ stopped (the competent agency stops, with its reason)
    submitted, received, in_progress, supplement_required, awaiting_payment
        ── request_withdrawal ──▶ withdrawal_requested
    withdrawal_requested ── withdraw ──▶ stopped;   processed ── return_result ──▶ returned

Anything else is refused: 409 `invalid_transition` on the API, "changes nothing" for a consumed event
(a duplicate, or one that arrives after the dossier moved on).

A dossier an administrator brought in from the past (`received_at` given) is `historical`: every event
about it says so (`publish`), so the other services record and count it but act on none of it.

Times are the facts' own (an event's `completed_at`, an administrator's `occurred_at`), never the
moment the news arrived. `last_event_at` is the dossier's last change of STATUS: a change of status is
never recorded before it. History rows that change no status (`record`: an apology, a postal
hand-over) neither move it nor are bounded by it, and the trail is read in the order things happened.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from motcua_shared.db import core_connection
from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue import dossier as catalogue
from motcua_shared.events.catalogue import payment, stop

from .models import dossiers, history

log = logging.getLogger("motcua.intake.lifecycle")
SOURCE = "/motcua/intake"
# Built once and given the values as parameters: a statement built per call with .values() costs a
# coercion of every value and a fresh cache key on every reception and every change of status. Inline:
# nobody reads a history row's id, so it is not asked back (SQLAlchemy adds RETURNING id otherwise).
_INSERT_HISTORY = insert(history).inline()


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]  # statuses, or "status:stage" for a supplement at one stage
    target: str
    event_type: str


def _t(name: str, sources: tuple[str, ...], target: str, event_type: str) -> Transition:
    return Transition(name, frozenset(sources), target, event_type)


RECEPTION_PENDING = ("submitted", "supplement_required:reception")
# Still being handled by the agency: processing may finish, or the agency may stop it, from any of these.
PROCESSING = ("received", "in_progress", "supplement_required:processing", "awaiting_payment", "withdrawal_requested")
TRANSITIONS = {t.name: t for t in (
    _t("submit", (), "submitted", catalogue.DOSSIER_SUBMITTED),
    _t("receive", (), "received", catalogue.DOSSIER_RECEIVED),
    _t("accept", RECEPTION_PENDING, "received", catalogue.DOSSIER_RECEIVED),
    # From supplement_required (reception): a second request, refused unless its legal ground is given.
    _t("request_supplement", RECEPTION_PENDING, "supplement_required", catalogue.DOSSIER_SUPPLEMENT_REQUESTED),
    _t("refuse", RECEPTION_PENDING, "refused", catalogue.DOSSIER_REFUSED),
    _t("redirect", RECEPTION_PENDING, "refused", catalogue.DOSSIER_REDIRECTED),
    _t("transfer", ("received",), "in_progress", catalogue.DOSSIER_TRANSFERRED),
    _t("processing_supplement", ("received", "in_progress"), "supplement_required",
       catalogue.DOSSIER_SUPPLEMENT_REQUESTED),
    _t("supplement_received", ("supplement_required:processing",), "in_progress",
       catalogue.DOSSIER_SUPPLEMENT_RECEIVED),
    _t("request_payment", ("in_progress",), "awaiting_payment", payment.DOSSIER_PAYMENT_REQUESTED),
    _t("payment_received", ("awaiting_payment",), "in_progress", payment.DOSSIER_PAID),
    _t("request_withdrawal", ("submitted", "received", "in_progress", "supplement_required:reception",
                              "supplement_required:processing", "awaiting_payment"), "withdrawal_requested",
       catalogue.DOSSIER_WITHDRAWAL_REQUESTED),
    _t("withdraw", ("withdrawal_requested",), "stopped", catalogue.DOSSIER_WITHDRAWN),
    _t("stop", PROCESSING, "stopped", stop.DOSSIER_STOPPED),
    _t("process", PROCESSING, "processed", catalogue.DOSSIER_PROCESSED),
    _t("return_result", ("processed",), "returned", catalogue.DOSSIER_RETURNED),
)}


def state_of(dossier: dict) -> str:
    if dossier["status"] == "supplement_required":
        return f"supplement_required:{dossier['supplement_stage']}"
    return dossier["status"]


def allows(transition: Transition, dossier: dict) -> bool:
    return state_of(dossier) in transition.sources


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes, PostgreSQL aware ones."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


def utc(values: dict[str, Any]) -> dict[str, Any]:
    """Store every instant in UTC: SQLite keeps no offset, so a local time would read back 7 hours off."""
    return {key: value.astimezone(timezone.utc) if isinstance(value, datetime) else value
            for key, value in values.items()}


def load(session: Session, code: str, *, for_update: bool = False) -> dict | None:
    query = select(dossiers).where(dossiers.c.code == code)
    if for_update:
        query = query.with_for_update()
    row = session.execute(query).mappings().first()
    return None if row is None else as_dict(row)


def as_dict(row) -> dict:
    return {key: aware(value) if isinstance(value, datetime) else value for key, value in row.items()}


def set_columns(session: Session, dossier: dict, **values: Any) -> None:
    """Columns that change with no change of status (an apology's new date, a postal issue)."""
    stored = utc(values)
    session.execute(update(dossiers).where(dossiers.c.code == dossier["code"]).values(**stored))
    dossier.update(stored)


def history_row(dossier: dict, action: str, at: datetime, **fields: Any) -> dict[str, Any]:
    """The values of one row of the dossier's history, with the status the dossier has after it."""
    return {"dossier_code": dossier["code"], "action": action, "status": dossier["status"],
            "occurred_at": at.astimezone(timezone.utc), **fields}


def insert_history(session: Session, row: dict[str, Any]) -> None:
    core_connection(session).execute(_INSERT_HISTORY, row)


def write_history(session: Session, dossier: dict, action: str, at: datetime, **fields: Any) -> None:
    """One row of the dossier's history, with the status the dossier has after it."""
    insert_history(session, history_row(dossier, action, at, **fields))


def record(session: Session, dossier: dict, *, action: str, at: datetime, actor: str, unit: str | None = None,
           ref: str | None = None, note: str | None = None, details: dict[str, Any] | None = None) -> None:
    """A history row that changes no status (a hand-over to the post, an apology).

    It does not move `last_event_at`: a record bounds no later change of status. A province's answer
    dated before an apology that was already sent is recorded when it happened, and the trail (ordered
    by time) shows the apology after it."""
    write_history(session, dossier, action, at, actor=actor, unit=unit, ref=ref, note=note, details=details)


def change(session: Session, outbox, dossier: dict, transition: Transition, *, at: datetime, actor: str,
           event_data: dict[str, Any], actor_name: str | None = None, changes: dict[str, Any] | None = None,
           note: str | None = None, details: dict[str, Any] | None = None, unit: str | None = None,
           ref: str | None = None) -> dict:
    """Move a locked, existing dossier along `transition`; the caller has checked `allows`."""
    if not allows(transition, dossier):
        raise ValueError(f"{transition.name} is not allowed from {state_of(dossier)}")
    values = {"status": transition.target, "last_event_at": max(at, dossier["last_event_at"]), **(changes or {})}
    if transition.target != "supplement_required":
        values.setdefault("supplement_stage", None)
    set_columns(session, dossier, **values)
    write_history(session, dossier, transition.name, at, actor=actor, actor_name=actor_name, unit=unit, ref=ref,
             note=note, details=details)
    publish(session, outbox, transition.event_type, dossier, event_data)
    log.info("dossier_status_changed", extra={"dossier_code": dossier["code"], "transition": transition.name,
                                              "status": transition.target})
    return dossier


def change_data(dossier: dict, at: datetime, actor: str, **data: Any) -> dict[str, Any]:
    """The `data` of a StatusChange event (code, when, who) with what the event adds."""
    return {"code": dossier["code"], "occurred_at": isoformat(at), "actor": actor, **data}


def publish(session: Session, outbox, event_type: str, dossier: dict, data: dict[str, Any]) -> None:
    """The one place a dossier.* event is made: each carries whether the dossier is history (always
    present, false for a live one), so no service acts on the past."""
    data = {**data, "historical": bool(dossier.get("historical"))}
    outbox.add(session, new_event(event_type, source=SOURCE, subject=dossier["code"], data=data))
