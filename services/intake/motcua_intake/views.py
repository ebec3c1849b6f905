"""How a dossier is shown to officers (and to the citizen it belongs to): the summary of the list and
the detail with its history."""
from __future__ import annotations

from datetime import datetime, timezone

from motcua_shared.reference import UnknownProcedure
from motcua_shared.statuses import DVCQG_CODE, VIETNAMESE

from motcua_shared.workcal import VIETNAM_TZ, WorkingCalendar

from . import acceptance
from .desk import Desk

OPEN = ("received", "in_progress", "supplement_required", "awaiting_payment", "withdrawal_requested")


def overdue(dossier: dict, now: datetime) -> bool:
    """Still being handled and past the appointment; while the clock is paused, judged at the pause."""
    if dossier["status"] not in OPEN or dossier["due_at"] is None:
        return False
    return (dossier["paused_from"] or now) > dossier["due_at"]


def day_of(dossier: dict):
    return (dossier["received_at"] or dossier["submitted_at"]).astimezone(VIETNAM_TZ).date()


def procedure_name(desk: Desk, code: str) -> str:
    try:
        return desk.catalogue.get(code).name
    except UnknownProcedure:  # a procedure retired from the shipped catalogue after the dossier came in
        return code


def summary(desk: Desk, dossier: dict, now: datetime | None = None, calendar: WorkingCalendar | None = None) -> dict:
    """`calendar` (the working calendar) adds the working minutes the desk has left to accept a submission."""
    now = now or datetime.now(timezone.utc)
    day = day_of(dossier)
    return {
        "code": dossier["code"],
        "procedure": {"code": dossier["procedure_code"], "name": procedure_name(desk, dossier["procedure_code"])},
        "channel": dossier["channel"], "status": dossier["status"], "status_label": VIETNAMESE[dossier["status"]],
        "dvcqg_status": DVCQG_CODE[dossier["status"]],
        "receiving_unit": {"code": dossier["receiving_unit"], "name": desk.unit_name(dossier["receiving_unit"], day)},
        "applicant_name": dossier["applicant_name"], "submitted_at": dossier["submitted_at"],
        "received_at": dossier["received_at"], "due_at": dossier["due_at"],
        "rescheduled_due_at": dossier["rescheduled_due_at"], "overdue": overdue(dossier, now),
        "postal_issue": dossier["postal_issue"],
        "acceptance_due_at": dossier["acceptance_due_at"],
        "acceptance_overdue": acceptance.is_overdue(dossier, now),
        "acceptance_minutes_left": (acceptance.remaining_minutes(calendar, dossier, now)
                                    if calendar is not None else None),
        "supplement_requests": dossier["supplement_requests"],
    }


def detail(desk: Desk, dossier: dict, history: list[dict], calendar: WorkingCalendar | None = None) -> dict:
    day = day_of(dossier)
    return {
        **summary(desk, dossier, calendar=calendar),
        "competent_unit": {"code": dossier["competent_unit"], "name": desk.unit_name(dossier["competent_unit"], day)},
        "applicant": {"full_name": dossier["applicant_name"], "id_number": desk.identity_numbers.decrypt(dossier["applicant_id_encrypted"]),
                      "phone": dossier["applicant_phone"], "email": dossier["applicant_email"],
                      "address": dossier["applicant_address"]},
        "return_method": dossier["return_method"], "delivery_address": dossier["delivery_address"],
        "documents": dossier["documents"], "fee_vnd": dossier["fee_vnd"],
        **{key: dossier[key] for key in ("paused_from", "supplement_stage", "redirected_to", "result",
                                         "processed_at", "returned_at", "returned_by", "postal_issue_at",
                                         "logbook_number", "stop_ground", "stop_reason", "stopped_at")},
        "payment": payment(dossier),
        "historical": bool(dossier["historical"]),
        "receipt_url": f"{desk.base_url}/api/v1/dossiers/{dossier['code']}/receipt",
        "history": [{key: entry[key] for key in ("action", "status", "occurred_at", "actor", "actor_name", "unit",
                                                 "ref", "note", "details")} for entry in history],
    }


def payment(dossier: dict) -> dict | None:
    """The financial obligation asked for (DVCQG 6) and, once recorded, how it was paid."""
    if dossier["payment_requested_at"] is None:
        return None
    return {"obligation": dossier["payment_obligation"], "amount_vnd": dossier["payment_amount_vnd"],
            "purpose": dossier["payment_purpose"], "requested_at": dossier["payment_requested_at"],
            "paid_at": dossier["paid_at"], "method": dossier["payment_method"],
            "receipt_number": dossier["payment_receipt_number"]}
