"""Shipments: creating one, calling it off, applying a status report, announcing it again, escalating it.

Every function works in the caller's transaction on a row the caller has locked (`lock`), writes
the shipment's history and puts the events it causes into the outbox.
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from motcua_shared.events import isoformat
from motcua_shared.events.catalogue.shipment import (PICKUP_CANCELLED, PICKUP_REQUESTED, SHIPMENT_CREATED,
                                                     SHIPMENT_ESCALATED, SHIPMENT_PROGRESSED)

from . import lifecycle, publishing, reference
from .config import PostalConfig
from .models import shipment_history, shipments

# A partner's clock may be a little ahead of ours; beyond this a report's time is not believed.
CLOCK_SKEW = timedelta(minutes=5)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes, PostgreSQL aware ones."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


def utc(moment: datetime) -> datetime:
    """What is stored: SQLite keeps a datetime's wall clock and drops its offset, so store UTC only."""
    return moment.astimezone(timezone.utc)


def local(moment: datetime) -> str:
    """A time as the partner and the desk read it: Vietnam's wall clock, with its offset."""
    return isoformat(aware(moment).astimezone(reference.calendar().tz))


def lock(session: Session, shipment_id: str):
    return session.execute(select(shipments).where(shipments.c.id == shipment_id).with_for_update()).mappings().first()


def of_dossier(session: Session, dossier_code: str) -> list:
    return list(session.execute(select(shipments).where(shipments.c.dossier_code == dossier_code)
                                .order_by(shipments.c.created_at).with_for_update()).mappings())


def pickup_request(row) -> dict:
    """The pinned `postal.pickup.requested` data (docs/contracts.md §4.2), the same at every announcement."""
    return {
        "shipment_id": row["id"], "dossier_code": row["dossier_code"], "direction": row["direction"],
        "pickup": {"name": row["pickup_name"], "address": row["pickup_address"], "phone": row["pickup_phone"]},
        "delivery": {"name": row["delivery_name"], "address": row["delivery_address"], "phone": row["delivery_phone"]},
        "cod_amount_vnd": row["cod_amount_vnd"], "requested_at": local(row["requested_at"]),
        "deliver_by": local(row["deliver_by"]),
    }


def _history(session: Session, shipment_id: str, status: str, occurred_at: datetime, now: datetime, *,
             source: str, effective: bool = True, actor: str | None = None, event_id: str | None = None,
             tracking_number: str | None = None, note: str | None = None) -> None:
    session.execute(insert(shipment_history).values(
        shipment_id=shipment_id, status=status, occurred_at=occurred_at, recorded_at=now, source=source, actor=actor,
        event_id=event_id, tracking_number=tracking_number, note=note, effective=effective))


def create(session: Session, config: PostalConfig, *, dossier_code: str, direction: str, unit: str, unit_path: str,
           pickup: dict, delivery: dict, cod_amount_vnd: int, requested_at: datetime) -> str:
    """A new shipment, announced to the partner at once; `requested_at` comes from the causing event."""
    now = config.now()
    requested_at = utc(requested_at)
    calendar = reference.calendar()
    deliver_by = calendar.add(requested_at.astimezone(calendar.tz), config.delivery_working_days, "working_days")
    row = {
        "id": f"SH-{secrets.token_hex(6)}", "dossier_code": dossier_code, "direction": direction,
        "status": "requested", "status_at": requested_at, "unit": unit, "unit_path": unit_path,
        "pickup_name": pickup["name"], "pickup_address": pickup["address"], "pickup_phone": pickup.get("phone"),
        "delivery_name": delivery["name"], "delivery_address": delivery["address"],
        "delivery_phone": delivery.get("phone"), "cod_amount_vnd": cod_amount_vnd, "requested_at": requested_at,
        "deliver_by": deliver_by.astimezone(timezone.utc), "tracking_number": None, "announcements": 1,
        "last_announced_at": now, "escalated_at": None, "attention": None, "attention_since": None,
        "created_at": now, "updated_at": now,
    }
    session.execute(insert(shipments).values(**row))
    _history(session, row["id"], "requested", requested_at, now, source="system")
    publishing.to_partner(session, PICKUP_REQUESTED, pickup_request(row), subject=dossier_code)
    publishing.to_desks(session, SHIPMENT_CREATED, {
        "shipment_id": row["id"], "dossier_code": dossier_code, "direction": direction, "unit": unit,
        "unit_path": unit_path, "cod_amount_vnd": cod_amount_vnd, "requested_at": local(requested_at),
        "deliver_by": local(deliver_by), "created_at": local(now)}, subject=dossier_code)
    return row["id"]


def _progressed(session: Session, row, status: str, occurred_at: datetime, *, source: str,
                tracking_number: str | None, recorded_by: str | None = None, note: str | None = None) -> None:
    publishing.to_desks(session, SHIPMENT_PROGRESSED, {
        "shipment_id": row["id"], "dossier_code": row["dossier_code"], "direction": row["direction"],
        "status": status, "occurred_at": local(occurred_at), "tracking_number": tracking_number,
        "previous_status": row["status"], "unit": row["unit"], "source": source, "recorded_by": recorded_by,
        "note": note}, subject=row["dossier_code"])


def _escalated(session: Session, row, reason: str, at: datetime, *, announcements: int | None = None,
               note: str | None = None) -> None:
    publishing.to_desks(session, SHIPMENT_ESCALATED, {
        "shipment_id": row["id"], "dossier_code": row["dossier_code"], "direction": row["direction"],
        "unit": row["unit"], "reason": reason, "escalated_at": local(at), "announcements": announcements,
        "note": note}, subject=row["dossier_code"])


# Why a report's time cannot be true (its times go into the dossier's control log).
IMPLAUSIBLE = {"future": "occurred_at is later than the report's arrival",
               "before_request": "occurred_at is earlier than the pickup request"}


def implausible_time(row, occurred_at: datetime, now: datetime) -> str | None:
    """A key of IMPLAUSIBLE, or None when the time can be true."""
    if occurred_at > now + CLOCK_SKEW:
        return "future"
    if occurred_at < aware(row["requested_at"]) - CLOCK_SKEW:
        return "before_request"
    return None


def apply_report(session: Session, config: PostalConfig, row, *, status: str, occurred_at: datetime,
                 tracking_number: str | None, note: str | None, source: str, actor: str | None,
                 event_id: str | None = None) -> bool:
    """Record a report (the partner's, or one a desk officer took by phone) and apply it if it moves the
    shipment on. Returns whether it did; a report that changes nothing is kept in the history only."""
    now, occurred_at = config.now(), utc(occurred_at)
    effective = lifecycle.advances(row["status"], status)
    _history(session, row["id"], status, occurred_at, now, source=source, effective=effective, actor=actor,
             event_id=event_id, tracking_number=tracking_number, note=note)
    if not effective:
        return False
    attention = lifecycle.ATTENTION_AFTER.get(status)
    tracking = tracking_number or row["tracking_number"]
    session.execute(update(shipments).where(shipments.c.id == row["id"]).values(
        status=status, status_at=occurred_at, tracking_number=tracking, attention=attention,
        attention_since=occurred_at if attention else None, updated_at=now))
    _progressed(session, row, status, occurred_at, source=source, tracking_number=tracking,
                recorded_by=actor if source == "manual" else None, note=note)
    if attention:
        _escalated(session, row, attention, occurred_at, note=note)
    return True


def cancel(session: Session, config: PostalConfig, row, *, at: datetime, reason: str) -> bool:
    """Call the shipment off if nothing has left its sender yet; tell the partner and the desks."""
    if row["status"] not in lifecycle.CANCELLABLE:
        return False
    now, at = config.now(), utc(at)
    session.execute(update(shipments).where(shipments.c.id == row["id"]).values(
        status="cancelled", status_at=at, attention=None, attention_since=None, updated_at=now))
    _history(session, row["id"], "cancelled", at, now, source="system", note=reason)
    publishing.to_partner(session, PICKUP_CANCELLED, {
        "shipment_id": row["id"], "dossier_code": row["dossier_code"], "cancelled_at": local(at),
        "reason": reason}, subject=row["dossier_code"])
    _progressed(session, row, "cancelled", at, source="system", tracking_number=row["tracking_number"], note=reason)
    return True


def settle_attention(session: Session, config: PostalConfig, row) -> None:
    """The desk's alarm on this shipment is resolved by what happened to the dossier (e.g. returned at the counter)."""
    if row["attention"] is not None:
        session.execute(update(shipments).where(shipments.c.id == row["id"]).values(
            attention=None, attention_since=None, updated_at=config.now()))


def announce_again(session: Session, row, now: datetime) -> None:
    """The partner has not accepted in time: the same request again, under a new event id."""
    count = row["announcements"] + 1
    session.execute(update(shipments).where(shipments.c.id == row["id"]).values(
        announcements=count, last_announced_at=now, updated_at=now))
    _history(session, row["id"], "announced", now, now, source="system", note=f"Thông báo lần thứ {count} cho bưu điện.")
    publishing.to_partner(session, PICKUP_REQUESTED, pickup_request(row), subject=row["dossier_code"])


def escalate_unaccepted(session: Session, row, now: datetime) -> None:
    """Every announcement went unanswered: the desk must call the partner."""
    session.execute(update(shipments).where(shipments.c.id == row["id"]).values(
        escalated_at=now, attention="pickup_not_accepted", attention_since=now, updated_at=now))
    note = f"Bưu điện chưa nhận yêu cầu sau {row['announcements']} lần thông báo."
    _history(session, row["id"], "escalated", now, now, source="system", note=note)
    _escalated(session, row, "pickup_not_accepted", now, announcements=row["announcements"], note=note)
