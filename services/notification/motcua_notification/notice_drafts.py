"""What each citizen-facing event tells the citizen: which template, with which values.

Values come from the event alone, already worded (dates in local time, amounts, unit names), so a
notice can wait for the dossier's contact and still say exactly what the event said. Values that
belong to the dossier (its receiving desk, how the result is returned, the lookup link) are added
when the notice is addressed (see notices.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable
from zoneinfo import ZoneInfo

from motcua_shared.events import Event
from motcua_shared.events.catalogue import dossier, payment, reschedule, route, shipment, stop
from motcua_shared.reference import FeeBasis, UnknownProcedure, load_catalogue

from . import wording

# Dossier facts arrive with these two; they also carry the citizen's contact.
CONTACT_EVENTS = (dossier.DOSSIER_SUBMITTED, dossier.DOSSIER_RECEIVED)
# Partner statuses worth a message; `accepted` only concerns the desk and the post office.
SHIPMENT_STATUSES_TOLD = ("picked_up", "delivered", "failed", "returned", "cancelled")


@dataclass(frozen=True)
class NoticeDraft:
    template: str
    dossier_code: str
    occurred_at: datetime  # UTC, from the event's data
    values: dict[str, Any]


def _at(raw: str) -> datetime:
    return datetime.fromisoformat(raw).astimezone(timezone.utc)


def _procedure_name(code: str) -> str:
    try:
        return load_catalogue().get(code).name
    except UnknownProcedure:
        return f"thủ tục {code}"


def _fee(procedure_code: str, amount: int) -> str:
    """The receipt's fee line. A fee the catalogue could not find published is 0 there meaning "not
    known"; "Không thu phí, lệ phí" would tell the citizen it is free."""
    try:
        unpublished = load_catalogue().get(procedure_code).fee_basis is FeeBasis.UNPUBLISHED
    except UnknownProcedure:
        unpublished = False
    if not amount and unpublished:
        return "Theo mức thu do Hội đồng nhân dân tỉnh quy định"
    return wording.amount(amount)


def _submitted(data: dict, tz: ZoneInfo) -> NoticeDraft:
    at = _at(data["submitted_at"])
    return NoticeDraft("dossier_submitted", data["code"], at, {
        "submitted_at": wording.moment(at, tz), "procedure_name": _procedure_name(data["procedure_code"]),
        "channel": data["channel"]})


def _received(data: dict, tz: ZoneInfo) -> NoticeDraft:
    at = _at(data["received_at"])
    return NoticeDraft("dossier_received", data["code"], at, {
        "received_at": wording.moment(at, tz), "due_at": wording.moment(_at(data["due_at"]), tz),
        "procedure_code": data["procedure_code"], "procedure_name": _procedure_name(data["procedure_code"]),
        "fee": _fee(data["procedure_code"], data.get("fee_vnd") or 0)})


def _refused(data: dict, tz: ZoneInfo) -> NoticeDraft:
    at = _at(data["occurred_at"])
    return NoticeDraft("dossier_refused", data["code"], at, {"refused_at": wording.moment(at, tz),
                                                             "reason": data["reason"]})


def _redirected(data: dict, tz: ZoneInfo) -> NoticeDraft:
    at = _at(data["occurred_at"])
    return NoticeDraft("dossier_redirected", data["code"], at, {
        "competent_unit_name": wording.unit_name(data["competent_unit"], at.astimezone(tz).date(),
                                                 wording.COMPETENT_UNIT),
        "reason": data["reason"]})


def _supplement_requested(data: dict, tz: ZoneInfo) -> NoticeDraft:
    at = _at(data["occurred_at"])
    return NoticeDraft("supplement_requested", data["code"], at, {
        "requested_at": wording.moment(at, tz), "items": list(data.get("items") or []), "note": data["note"]})


def _supplement_received(data: dict, tz: ZoneInfo) -> NoticeDraft:
    return NoticeDraft("supplement_received", data["code"], _at(data["occurred_at"]),
                       {"due_at": wording.moment(_at(data["due_at"]), tz)})


def _withdrawn(data: dict, tz: ZoneInfo) -> NoticeDraft:
    at = _at(data["occurred_at"])
    return NoticeDraft("dossier_withdrawn", data["code"], at, {"withdrawn_at": wording.moment(at, tz)})


def _processed(data: dict, tz: ZoneInfo) -> NoticeDraft:
    return NoticeDraft("result_ready", data["code"], _at(data["occurred_at"]), {})


def _returned(data: dict, tz: ZoneInfo) -> NoticeDraft:
    at = _at(data["occurred_at"])
    return NoticeDraft("result_returned", data["code"], at, {"method": data["method"],
                                                             "returned_at": wording.moment(at, tz)})


def _apology(data: dict, tz: ZoneInfo) -> NoticeDraft:
    at = _at(data["issued_at"])
    return NoticeDraft("apology_issued", data["dossier_code"], at, {
        "issuing_unit_name": wording.unit_name(data["unit"], at.astimezone(tz).date()),
        "original_due_at": wording.moment(_at(data["original_due_at"]), tz),
        "new_due_at": wording.moment(_at(data["new_due_at"]), tz), "reason": data["reason"],
        "issued_at": wording.moment(at, tz)})


def _rescheduled(data: dict, tz: ZoneInfo) -> NoticeDraft:
    day = data["day"] if isinstance(data["day"], str) else data["day"].isoformat()
    return NoticeDraft("dossier_rescheduled", data["code"], _at(data["occurred_at"]), {
        "day": f"{day[8:10]}/{day[5:7]}/{day[0:4]}", "note": data["note"],
        "previous_due_at": wording.moment(_at(data["previous_due_at"]), tz),
        "due_at": wording.moment(_at(data["due_at"]), tz)})


def _stopped(data: dict, tz: ZoneInfo) -> NoticeDraft:
    at = _at(data["occurred_at"])
    return NoticeDraft("dossier_stopped", data["code"], at, {
        "stopping_unit_name": wording.unit_name(data.get("unit"), at.astimezone(tz).date(), wording.COMPETENT_UNIT),
        "stopped_at": wording.moment(at, tz), "ground": stop.GROUND_LABELS[data["ground"]], "reason": data["reason"]})


def _payment_requested(data: dict, tz: ZoneInfo) -> NoticeDraft:
    at = _at(data["occurred_at"])
    return NoticeDraft("payment_requested", data["code"], at, {
        "amount": wording.amount(data["amount_vnd"]), "purpose": data["purpose"],
        "requested_at": wording.moment(at, tz)})


def _paid(data: dict, tz: ZoneInfo) -> NoticeDraft:
    return NoticeDraft("payment_received", data["code"], _at(data["occurred_at"]), {
        "amount": wording.amount(data["amount_vnd"]), "receipt_number": data["receipt_number"],
        "due_at": wording.moment(_at(data["due_at"]), tz)})


def _shipment_created(data: dict, tz: ZoneInfo) -> NoticeDraft:
    return NoticeDraft("shipment_created", data["dossier_code"], _at(data["created_at"]), {
        "direction": data["direction"], "deliver_by": wording.moment(_at(data["deliver_by"]), tz)})


def _shipment_progressed(data: dict, tz: ZoneInfo) -> NoticeDraft | None:
    if data["status"] not in SHIPMENT_STATUSES_TOLD:
        return None
    return NoticeDraft("shipment_progressed", data["dossier_code"], _at(data["occurred_at"]), {
        "direction": data["direction"], "status": data["status"], "tracking_number": data.get("tracking_number")})


DRAFTERS: dict[str, Callable[[dict, ZoneInfo], NoticeDraft | None]] = {
    dossier.DOSSIER_SUBMITTED: _submitted,
    dossier.DOSSIER_RECEIVED: _received,
    dossier.DOSSIER_REFUSED: _refused,
    dossier.DOSSIER_REDIRECTED: _redirected,
    dossier.DOSSIER_SUPPLEMENT_REQUESTED: _supplement_requested,
    dossier.DOSSIER_SUPPLEMENT_RECEIVED: _supplement_received,
    dossier.DOSSIER_WITHDRAWN: _withdrawn,
    dossier.DOSSIER_PROCESSED: _processed,
    dossier.DOSSIER_RETURNED: _returned,
    route.APOLOGY_ISSUED: _apology,
    reschedule.DOSSIER_RESCHEDULED: _rescheduled,
    stop.DOSSIER_STOPPED: _stopped,
    payment.DOSSIER_PAYMENT_REQUESTED: _payment_requested,
    payment.DOSSIER_PAID: _paid,
    shipment.SHIPMENT_CREATED: _shipment_created,
    shipment.SHIPMENT_PROGRESSED: _shipment_progressed,
}


def draft(event: Event, tz: ZoneInfo) -> NoticeDraft | None:
    return DRAFTERS[event.type](event.data, tz)
