"""Receiving a valid dossier at a desk: the code, the appointment, the record and its event.

Everything happens in the caller's transaction, so the dossier, its history row, its sequence
number and its `dossier.received` event are committed together or not at all.
"""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
from motcua_shared.reference import UnknownProcedure, UnknownUnit, fold
from motcua_shared.statuses import DVCQG_CODE
from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import Forbidden, Invalid

from . import reference, sequences
from .models import dossiers, history

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def find_by_idempotency_key(session: Session, principal: Principal, key: str):
    return session.execute(select(dossiers).where(dossiers.c.created_by == principal.sub,
                                                  dossiers.c.idempotency_key == key)).mappings().first()


def _in_scope(principal: Principal, unit: str, on) -> bool:
    if principal.has("admin") and principal.unit is None:
        return True  # a province-wide administrator
    return principal.unit is not None and reference.units().is_within(principal.unit, unit, on)


def receive(session: Session, runtime, *, body: dict, principal: Principal, idempotency_key: str | None) -> dict:
    now = datetime.now(timezone.utc)
    received_at = body.get("received_at")
    if received_at is not None and not principal.has("admin"):
        raise Forbidden("Chỉ quản trị viên được nhập thời điểm tiếp nhận (nhập hồ sơ lịch sử).", code="import_requires_admin")
    received_at = (received_at or now).astimezone(timezone.utc)
    local_day = received_at.astimezone(LOCAL_TZ).date()

    try:
        procedure = reference.catalogue().get(body["procedure_code"])
    except UnknownProcedure:
        raise Invalid("Thủ tục hành chính không có trong danh mục.", code="unknown_procedure",
                      invalid_params=[{"name": "procedure_code", "code": "unknown_procedure",
                                       "reason": "Không có trong danh mục thủ tục."}]) from None
    units = reference.units()
    try:
        receiving = units.get(body["receiving_unit"], local_day)
        competent_code = body.get("competent_unit") or body["receiving_unit"]
        units.get(competent_code, local_day)
    except UnknownUnit as exc:
        raise Invalid("Đơn vị hành chính không tồn tại vào ngày tiếp nhận.", code="unknown_unit",
                      invalid_params=[{"name": "receiving_unit", "code": "unknown_unit", "reason": str(exc)}]) from None
    if principal.has("receptionist", "admin") and not _in_scope(principal, receiving.code, local_day):
        raise Forbidden("Đơn vị tiếp nhận nằm ngoài phạm vi của cán bộ.", code="unit_out_of_scope")
    if not principal.has("receptionist", "admin"):  # a citizen submits online only
        if body["channel"] != "online" or procedure.online == "none":
            raise Forbidden("Công dân chỉ nộp trực tuyến các thủ tục có dịch vụ công trực tuyến.",
                            code="online_not_available")
    if body["return_method"] == "postal" and not procedure.postal_allowed:
        raise Invalid("Thủ tục này không trả kết quả qua bưu chính.", code="postal_not_allowed",
                      invalid_params=[{"name": "return_method", "code": "postal_not_allowed",
                                       "reason": "Thủ tục không hỗ trợ bưu chính."}])

    due_at = reference.calendar().add(received_at.astimezone(LOCAL_TZ), procedure.processing_time.value,
                                      procedure.processing_time.unit).astimezone(timezone.utc)
    agency_id = f"{runtime.settings.intake_agency_prefix}.{receiving.code}"
    code = sequences.dossier_code(agency_id, local_day, sequences.next_number(session, agency_id, local_day))
    applicant = body["applicant"]
    status = "received"
    record = {
        "code": code, "procedure_code": procedure.code, "channel": body["channel"], "status": status,
        "receiving_unit": receiving.code, "receiving_unit_path": units.path(receiving.code, local_day),
        "competent_unit": competent_code, "applicant_name": applicant["full_name"],
        "applicant_name_folded": fold(applicant["full_name"]), "applicant_id_number": applicant["id_number"],
        "applicant_phone": applicant.get("phone"), "applicant_email": applicant.get("email"),
        "applicant_address": applicant.get("address"), "return_method": body["return_method"],
        "delivery_address": body.get("delivery_address"), "documents": body.get("documents") or [],
        "received_at": received_at, "due_at": due_at, "created_by": principal.sub,
        "idempotency_key": idempotency_key, "created_at": now,
    }
    session.execute(insert(dossiers).values(**record))
    session.execute(insert(history).values(dossier_code=code, status=status, occurred_at=received_at,
                                           actor=principal.sub, note=None))
    runtime.outbox.add(session, new_event(DOSSIER_RECEIVED, source="/motcua/intake", subject=code, data={
        "code": code, "procedure_code": procedure.code, "procedure_level": str(procedure.level_on(local_day)),
        "sector": procedure.sector, "inter_agency": procedure.inter_agency, "channel": body["channel"],
        "receiving_unit": receiving.code, "receiving_unit_path": record["receiving_unit_path"],
        "competent_unit": competent_code, "competent_unit_path": units.path(competent_code, local_day),
        "received_at": isoformat(received_at), "due_at": isoformat(due_at), "return_method": body["return_method"],
        "applicant": {"full_name": applicant["full_name"], "phone": applicant.get("phone"),
                      "email": applicant.get("email"), "address": applicant.get("address")},
        "delivery_address": body.get("delivery_address"), "fee_vnd": procedure.fee_vnd,
    }))
    return record


def representation(record, base_url: str) -> dict:
    return {"code": record["code"], "status": record["status"], "dvcqg_status": DVCQG_CODE[record["status"]],
            "received_at": _aware(record["received_at"]), "due_at": _aware(record["due_at"]),
            "receipt_url": f"{base_url.rstrip('/')}/api/v1/dossiers/{record['code']}/receipt"}


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive UTC datetimes; PostgreSQL aware ones.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
