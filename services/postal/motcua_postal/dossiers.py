"""What postal knows of each dossier, and which shipments that calls for.

Intake's events may arrive twice or out of order (a `dossier.processed` before the
`dossier.received` that carries the return method), so each handler only records what its event
says, then `reconcile` compares the dossier's facts with its shipments and does what is missing:

- a dossier sent by post (channel `postal`) that is not yet at a desk nor withdrawn needs a
  `dossier_to_office` shipment from the citizen to the receiving desk;
- a processed dossier whose result goes back by post, not withdrawn and not handed over another
  way, needs a `result_to_citizen` shipment from the desk to the delivery address;
- a shipment no longer wanted is called off while nothing has left its sender (the dossier was
  withdrawn; the result was collected at the counter), and a pickup the partner never accepted is
  called off when the dossier reaches the desk another way;
- an alarm on a shipment is settled when the dossier shows it was resolved;
- a dossier an administrator brought in from the past (`historical` in any of its dossier events)
  is recorded but never calls for a shipment: no pickup request, no result sent.

Each direction gets at most one shipment per dossier, so replaying any event changes nothing.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from motcua_shared.db import dialect_insert
from motcua_shared.messaging.consumer import PermanentError

from . import desks, reference, shipments
from .config import PostalConfig
from .models import dossier_returns


def lock(session: Session, code: str, now: datetime):
    """The dossier's row, created empty if this is the first postal hears of it, locked for this transaction."""
    created = session.execute(dialect_insert(session)(dossier_returns).values(dossier_code=code, recorded_at=now)
                              .on_conflict_do_nothing(index_elements=["dossier_code"])
                              .returning(*dossier_returns.c)).mappings().first()
    return created or session.execute(select(dossier_returns).where(dossier_returns.c.dossier_code == code)
                                      .with_for_update()).mappings().one()


def _set(session: Session, row, **values):
    if not values:
        return row
    return session.execute(update(dossier_returns).where(dossier_returns.c.dossier_code == row["dossier_code"])
                           .values(**values).returning(*dossier_returns.c)).mappings().one()


def record_facts(session: Session, row, data: dict, *, verb: str, moment: datetime):
    """Facts from `dossier.submitted` (verb "submitted") or `dossier.received` ("received").

    What the desk accepted wins over what was submitted. The citizen's contact is kept only when
    the dossier or its result travels by post: postal has no use for the others'.
    """
    values = {} if row[f"{verb}_at"] is not None else {f"{verb}_at": shipments.utc(moment)}
    if verb == "received" or row["facts_from"] is None:
        by_post = data["channel"] == "postal" or data["return_method"] == "postal"
        applicant = data["applicant"]
        values.update(
            facts_from=verb, channel=data["channel"], return_method=data["return_method"],
            receiving_unit=data["receiving_unit"], receiving_unit_path=data["receiving_unit_path"],
            fee_vnd=data.get("fee_vnd") or 0,
            applicant_name=applicant["full_name"] if by_post else None,
            applicant_phone=applicant.get("phone") if by_post else None,
            applicant_address=applicant.get("address") if by_post else None,
            delivery_address=data.get("delivery_address") if by_post else None)
    return _set(session, row, **values)


def record_historical(session: Session, row, data: dict):
    """A dossier event saying `historical` (issue 17) marks the dossier for good: recorded, never shipped."""
    return _set(session, row, historical=True) if data.get("historical") and not row["historical"] else row


def record(session: Session, row, **moments):
    """processed_at / processed_result, withdrawn_at, returned_at: kept once, the first report wins."""
    values = {name: shipments.utc(value) if isinstance(value, datetime) else value
              for name, value in moments.items() if row[name] is None}
    return _set(session, row, **values)


# -- what the facts call for ---------------------------------------------------------------------
def reconcile(session: Session, config: PostalConfig, facts) -> None:
    existing = {s["direction"]: s for s in shipments.of_dossier(session, facts["dossier_code"])}
    to_office, to_citizen = existing.get("dossier_to_office"), existing.get("result_to_citizen")

    if facts["withdrawn_at"] is not None:
        for shipment in (to_office, to_citizen):
            if shipment is not None:
                shipments.cancel(session, config, shipment, at=facts["withdrawn_at"], reason="Công dân rút hồ sơ.")
                shipments.settle_attention(session, config, shipment)
        return

    if to_office is not None and facts["received_at"] is not None:
        # Only a pickup the partner never took up is called off: once accepted, the partner may have
        # carried the dossier and not yet said so, and its reports must still count.
        if to_office["status"] == "requested":
            shipments.cancel(session, config, to_office, at=facts["received_at"],
                             reason="Hồ sơ đã đến bộ phận một cửa theo cách khác.")
        shipments.settle_attention(session, config, to_office)
    if to_citizen is not None and facts["returned_at"] is not None:
        shipments.cancel(session, config, to_citizen, at=facts["returned_at"],
                         reason="Kết quả đã được trả trực tiếp cho công dân.")
        shipments.settle_attention(session, config, to_citizen)

    if facts["historical"]:  # brought in from the past: no pickup request, no result shipment
        return
    if to_office is None and _wants_dossier_to_office(facts):
        _create_dossier_to_office(session, config, facts)
    if to_citizen is None and _wants_result_to_citizen(facts):
        _create_result_to_citizen(session, config, facts)


def _wants_dossier_to_office(facts) -> bool:
    return facts["channel"] == "postal" and facts["submitted_at"] is not None and facts["received_at"] is None


def _wants_result_to_citizen(facts) -> bool:
    return (facts["return_method"] == "postal" and facts["processed_at"] is not None
            and facts["returned_at"] is None)


def _citizen(facts, address: str | None) -> dict:
    if not address:
        # Intake requires these addresses for postal dossiers; without one no postman can go.
        raise PermanentError(f"dossier {facts['dossier_code']} travels by post but has no address")
    return {"name": facts["applicant_name"], "address": address, "phone": facts["applicant_phone"]}


def _desk(config: PostalConfig, facts, at: datetime) -> dict:
    day = at.astimezone(reference.calendar().tz).date()
    return desks.desk_party(facts["receiving_unit"], day, config.desks)


def _create_dossier_to_office(session: Session, config: PostalConfig, facts) -> None:
    at = shipments.aware(facts["submitted_at"])
    shipments.create(
        session, config, dossier_code=facts["dossier_code"], direction="dossier_to_office",
        unit=facts["receiving_unit"], unit_path=facts["receiving_unit_path"],
        pickup=_citizen(facts, facts["applicant_address"] or facts["delivery_address"]),
        delivery=_desk(config, facts, at),
        cod_amount_vnd=0,  # the fee is collected with the result (see cod_for_result)
        requested_at=at)


def cod_for_result(facts) -> int:
    """The fee the postman collects when he hands over the result.

    A dossier received at the counter paid its fee there. One that came online or by post has paid
    nobody yet (intake publishes no payment event), so the fee is collected on delivery. A refusal
    (result `rejected`) costs nothing.
    """
    if facts["processed_result"] != "approved" or facts["channel"] == "counter":
        return 0
    return facts["fee_vnd"] or 0


def _create_result_to_citizen(session: Session, config: PostalConfig, facts) -> None:
    at = shipments.aware(facts["processed_at"])
    shipments.create(
        session, config, dossier_code=facts["dossier_code"], direction="result_to_citizen",
        unit=facts["receiving_unit"], unit_path=facts["receiving_unit_path"],
        pickup=_desk(config, facts, at),
        delivery=_citizen(facts, facts["delivery_address"] or facts["applicant_address"]),
        cod_amount_vnd=cod_for_result(facts), requested_at=at)

