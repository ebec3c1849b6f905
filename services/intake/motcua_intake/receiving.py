"""A dossier entering the system: received at a desk, or submitted (online, by post) to await the desk.

Everything happens in the caller's transaction, so the dossier, its history row, its code and logbook
numbers and its one event (`dossier.received` or `dossier.submitted`) are committed together or not at
all. Accepting a submitted dossier later (reception.py) completes it with the same `stamp_received`.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from motcua_shared.db import core_connection
from motcua_shared.events import isoformat
from motcua_shared.reference import OnlineLevel, Procedure, UnknownProcedure, UnknownUnit, fold
from motcua_shared.statuses import DVCQG_CODE
from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import ApiError, Conflict, Forbidden, Invalid
from motcua_shared.web.scope import covers_unit
from motcua_shared.workcal import VIETNAM_TZ

from . import acceptance, lifecycle, sequences
from .citizen_limits import CitizenLimit
from .desk import Desk
from .identity import CITIZEN_CREATOR
from .lifecycle import TRANSITIONS, aware
from .models import dossiers, history
from .scope import actor_of, is_officer


# Built once (the values go as parameters): SQLAlchemy then memoises its cache key rather than coerce
# thirty values into a new statement on every reception. So is the idempotency lookup.
_INSERT_DOSSIER = insert(dossiers).inline()  # no RETURNING id: nobody reads it
_BY_IDEMPOTENCY_KEY = select(dossiers).where(dossiers.c.created_by == bindparam("creator"),
                                             dossiers.c.idempotency_key == bindparam("key"))


class SequenceExhausted(ApiError):
    status, code, title = 503, "daily_sequence_exhausted", "Hết số thứ tự hồ sơ trong ngày"


def body_fingerprint(decoded_body) -> str:
    """Of the JSON as sent (key order aside), decoded already (json_input.decoded): a reused
    Idempotency-Key with another body is a client bug."""
    return hashlib.sha256(json.dumps(decoded_body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def creator_of(principal: Principal, desk: Desk) -> str:
    """`created_by`: an officer's id; for a citizen, whose token's subject is their identity number, its
    keyed hash."""
    return principal.sub if is_officer(principal) else desk.identities.creator(principal.sub)


def find_by_idempotency_key(session: Session, principal: Principal, key: str, desk: Desk) -> dict | None:
    row = core_connection(session).execute(_BY_IDEMPOTENCY_KEY, {"creator": creator_of(principal, desk), "key": key}).mappings().first()
    return lifecycle.as_dict(row) if row else None


def replay(existing: dict, fingerprint: str) -> dict:
    if existing["request_hash"] not in (None, fingerprint):
        raise Conflict("Idempotency-Key này đã được dùng cho một hồ sơ khác.", code="idempotency_key_reused")
    return existing


def _procedure(desk: Desk, code: str) -> Procedure:
    try:
        return desk.catalogue.get(code)
    except UnknownProcedure:
        raise Invalid("Thủ tục hành chính không có trong danh mục.", code="unknown_procedure",
                      invalid_params=[{"name": "procedure_code", "code": "unknown_procedure",
                                       "reason": "Không có trong danh mục thủ tục."}]) from None


def _unit(desk: Desk, field: str, code: str, on: date):
    try:
        return desk.units.get(code, on)
    except UnknownUnit as exc:
        raise Invalid("Đơn vị hành chính không tồn tại vào ngày tiếp nhận.", code="unknown_unit",
                      invalid_params=[{"name": field, "code": "unknown_unit", "reason": str(exc)}]) from None


def _initial_status(body: dict, principal: Principal) -> str:
    wanted = body.get("status")
    if body.get("historical") is not None and body.get("received_at") is None:
        raise Invalid("Chỉ hồ sơ nhập lại (có thời điểm tiếp nhận) mới khai báo là hồ sơ lịch sử hay không.",
                      code="historical_without_received_at",
                      invalid_params=[{"name": "historical", "code": "historical_without_received_at",
                                       "reason": "historical goes with received_at"}])
    if body.get("received_at") is not None:
        if not principal.has("admin"):
            raise Forbidden("Chỉ quản trị viên được nhập thời điểm tiếp nhận (nhập hồ sơ lịch sử).",
                            code="import_requires_admin")
        if wanted == "submitted":
            raise Invalid("Hồ sơ nhập lại phải là hồ sơ đã tiếp nhận.", code="import_must_be_received",
                          invalid_params=[{"name": "status", "code": "import_must_be_received",
                                           "reason": "Nhập hồ sơ lịch sử chỉ với trạng thái received."}])
    if not is_officer(principal):
        if wanted == "received":
            raise Forbidden("Chỉ cán bộ một cửa được tiếp nhận hồ sơ.", code="acceptance_requires_officer")
        return "submitted"
    return wanted or "received"


def _check_channel(body: dict, principal: Principal, procedure: Procedure) -> None:
    if not is_officer(principal):
        if body["channel"] == "counter":
            raise Forbidden("Công dân nộp trực tuyến hoặc qua bưu chính; hồ sơ tại quầy do cán bộ nhập.",
                            code="counter_requires_officer")
        if body["channel"] == "online" and procedure.online is OnlineLevel.NONE:
            raise Forbidden("Thủ tục này chưa cung cấp dịch vụ công trực tuyến.", code="online_not_available")
        if body["channel"] == "postal" and not body["applicant"].get("address"):
            raise Invalid("Cần địa chỉ để bưu chính đến nhận hồ sơ.", code="validation_failed",
                          invalid_params=[{"name": "applicant.address", "code": "required",
                                           "reason": "Địa chỉ nhận hồ sơ qua bưu chính."}])
    postal_channel = body["channel"] == "postal" or body["return_method"] == "postal"
    if postal_channel and not procedure.postal_allowed:
        name = "channel" if body["channel"] == "postal" else "return_method"
        raise Invalid("Thủ tục này không thực hiện qua dịch vụ bưu chính công ích.", code="postal_not_allowed",
                      invalid_params=[{"name": name, "code": "postal_not_allowed",
                                       "reason": "Thủ tục không hỗ trợ bưu chính."}])
    if body["return_method"] == "online" and procedure.online is OnlineLevel.NONE:
        raise Invalid("Thủ tục này không trả kết quả trực tuyến.", code="online_return_not_available",
                      invalid_params=[{"name": "return_method", "code": "online_return_not_available",
                                       "reason": "Thủ tục không trả kết quả điện tử."}])


def _moment(body: dict, now: datetime) -> datetime:
    received_at = body.get("received_at")
    if received_at is None:
        return now
    received_at = received_at.astimezone(timezone.utc)
    if received_at > now:
        raise Invalid("Thời điểm tiếp nhận không được ở tương lai.", code="received_at_in_future",
                      invalid_params=[{"name": "received_at", "code": "received_at_in_future",
                                       "reason": "Sau thời điểm hiện tại."}])
    return received_at


def submit(session: Session, desk: Desk, *, body: dict, principal: Principal, idempotency_key: str | None,
           fingerprint: str) -> dict:
    """Create the dossier: received at once by a desk officer, or submitted to await the desk."""
    now = datetime.now(timezone.utc)
    status = _initial_status(body, principal)
    moment = _moment(body, now)
    day = moment.astimezone(VIETNAM_TZ).date()
    procedure = _procedure(desk, body["procedure_code"])
    receiving = _unit(desk, "receiving_unit", body["receiving_unit"], day)
    competent = _unit(desk, "competent_unit", body.get("competent_unit") or receiving.code, day)
    if is_officer(principal) and not covers_unit(principal, receiving.code, day, desk.units):
        raise Forbidden("Đơn vị tiếp nhận nằm ngoài phạm vi của cán bộ.", code="unit_out_of_scope")
    _check_channel(body, principal, procedure)

    citizen = not is_officer(principal)
    if citizen:  # counted in this transaction: a refused or failed submission counts nothing
        CitizenLimit(desk.settings.intake_citizen_daily_limit).admit(session, creator_of(principal, desk), now)
    received = status == "received"
    try:
        # A citizen's own submission is numbered in a range apart from the desk's (sequences.py). A
        # reception's logbook number is taken with its code, in the same statement.
        numbers = sequences.take(session, desk.agency_id(receiving.code), day, citizen=citizen,
                                 logbook=(receiving.code, day.year) if received else None)
    except OverflowError:
        raise SequenceExhausted("Đã hết số hồ sơ của ngày dành cho "
                                + ("hồ sơ công dân tự nộp." if citizen else "bộ phận một cửa.")) from None
    applicant = body["applicant"]
    record = {
        "code": numbers.code, "procedure_code": procedure.code, "channel": body["channel"], "status": status,
        "receiving_unit": receiving.code, "receiving_unit_path": desk.units.path(receiving.code, day),
        "competent_unit": competent.code, "competent_unit_path": desk.units.path(competent.code, day),
        # Case folding can lengthen a name ("ß" → "ss", "ﬁ" → "fi"): the search column keeps the first 200.
        "applicant_name": applicant["full_name"], "applicant_name_folded": fold(applicant["full_name"])[:200],
        "applicant_id_encrypted": desk.identity_numbers.encrypt(applicant["id_number"]),
        "applicant_id_hash": desk.identities.digest(applicant["id_number"]),
        "applicant_phone": applicant.get("phone"), "applicant_email": applicant.get("email"),
        "applicant_address": applicant.get("address"), "return_method": body["return_method"],
        "delivery_address": body.get("delivery_address"), "documents": body.get("documents") or [],
        "fee_vnd": procedure.fee_vnd, "submitted_at": moment, "received_at": None, "due_at": None,
        "last_event_at": moment, "created_by": creator_of(principal, desk), "idempotency_key": idempotency_key,
        "request_hash": fingerprint, "created_at": now,
        # An administrator's reception time brings the dossier in from the past: history, not live work.
        # Brought in with its reception time: history unless the administrator says it is a live dossier
        # entered late (body `historical: false`).
        "historical": body.get("received_at") is not None and body.get("historical") is not False,
    }
    actor, actor_name = actor_of(principal)
    transition = TRANSITIONS["receive" if received else "submit"]
    if received:
        record.update(stamp_received(session, desk, record, at=moment, actor=actor, actor_name=actor_name,
                                     logbook_number=numbers.logbook_number))
    elif acceptance.limit_applies(record):
        record["acceptance_due_at"] = acceptance.due_at(desk.calendars.calendar(session), moment,
                                                        desk.settings.intake_acceptance_limit_hours)
    _insert(session, record, lifecycle.history_row(
        record, transition.name, moment, actor=actor, actor_name=actor_name,
        details={"due_at": isoformat(record["due_at"])} if received else None))
    data = facts(desk, record) | ({"received_at": isoformat(moment), "due_at": isoformat(record["due_at"])}
                                  if received else {"submitted_at": isoformat(moment)})
    lifecycle.publish(session, desk.outbox, transition.event_type, record, data)
    return record


def stamp_received(session: Session, desk: Desk, dossier: dict, *, at: datetime, actor: str,
                   actor_name: str | None, logbook_number: int | None = None) -> dict:
    """The columns a dossier gains when a desk accepts it: the appointment and the logbook entry
    (`logbook_number` when it was taken already, with the code: sequences.take)."""
    procedure = desk.catalogue.get(dossier["procedure_code"])
    calendar = desk.calendars.calendar(session)
    local = at.astimezone(VIETNAM_TZ)
    due_at = calendar.add(local, procedure.processing_time.value, procedure.processing_time.unit)
    if logbook_number is None:
        logbook_number = sequences.next_logbook_number(session, dossier["receiving_unit"], local.year)
    return {"received_at": at, "due_at": due_at.astimezone(timezone.utc), "received_by": actor,
            "received_by_name": actor_name, "logbook_number": logbook_number}


def _insert(session: Session, record: dict, history_row: dict[str, Any]) -> None:
    """The new dossier's row and its first history row. On PostgreSQL one statement, the dossier's
    INSERT a CTE of the history's: one round trip, and no RETURNING of an id nobody reads."""
    if session.get_bind().dialect.name != "postgresql":
        core_connection(session).execute(_INSERT_DOSSIER, record)
        lifecycle.insert_history(session, history_row)
        return
    core_connection(session).execute(_dossier_with_history(tuple(record), tuple(history_row)),
                    {**record, **{_HISTORY_PREFIX + name: value for name, value in history_row.items()}})


_HISTORY_PREFIX = "history_"  # the history's parameters, apart from the dossier's (both have a status)


@lru_cache(maxsize=32)
def _dossier_with_history(dossier_columns: tuple[str, ...], history_columns: tuple[str, ...]) -> Executable:
    """Built once per set of columns (a reception, a submission, one with an acceptance time limit: a
    handful), so SQLAlchemy compiles it once. The columns left out take their server defaults."""
    row = insert(dossiers).values({name: bindparam(name, type_=dossiers.c[name].type)
                                   for name in dossier_columns}).cte("new_dossier")
    return insert(history).values({name: bindparam(_HISTORY_PREFIX + name, type_=history.c[name].type)
                                   for name in history_columns}).add_cte(row)


def facts(desk: Desk, dossier: dict) -> dict:
    """The DossierFacts part of dossier.submitted / dossier.received: what downstream services need once."""
    day = (dossier["received_at"] or dossier["submitted_at"]).astimezone(VIETNAM_TZ).date()
    procedure = desk.catalogue.get(dossier["procedure_code"])
    return {
        "code": dossier["code"], "procedure_code": procedure.code,
        "procedure_level": str(procedure.level_on(day)), "sector": procedure.sector,
        "inter_agency": procedure.inter_agency, "channel": dossier["channel"],
        "receiving_unit": dossier["receiving_unit"], "receiving_unit_path": dossier["receiving_unit_path"],
        "competent_unit": dossier["competent_unit"], "competent_unit_path": dossier["competent_unit_path"],
        "return_method": dossier["return_method"],
        "applicant": {"full_name": dossier["applicant_name"], "phone": dossier["applicant_phone"],
                      "email": dossier["applicant_email"], "address": dossier["applicant_address"],
                      "confirmed": contact_confirmed(dossier)},
        "delivery_address": dossier["delivery_address"], "fee_vnd": dossier["fee_vnd"],
    }


def contact_confirmed(dossier: dict) -> bool:
    """Whether an officer stands behind the dossier's phone and e-mail: they entered them, or a desk received
    the dossier. Contacts a citizen typed in their own submission are not, until then: anyone can type
    anyone's number, and notification limits what it sends to such a contact (issue 15)."""
    return dossier["received_at"] is not None or not str(dossier["created_by"]).startswith(CITIZEN_CREATOR)


def representation(record: dict, base_url: str) -> dict:
    return {"code": record["code"], "status": record["status"],
            "dvcqg_status": DVCQG_CODE[record["status"]],
            "submitted_at": aware(record["submitted_at"]), "received_at": aware(record["received_at"]),
            "due_at": aware(record["due_at"]),
            "receipt_url": f"{base_url}/api/v1/dossiers/{record['code']}/receipt"}
