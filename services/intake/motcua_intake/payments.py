"""A financial obligation (nghĩa vụ tài chính: phí, lệ phí, thuế, tiền sử dụng đất): asked for, then paid.

While processing, the agency finds the amount the citizen must pay before it can go on (a registration
charge, a land-use levy the tax office assessed) and asks for it: the dossier is `awaiting_payment`
(DVCQG 6) and the deadline clock stops, because the time the citizen takes to pay is not the
agency's. The procedures say so where the obligation is usual ("không kể thời gian thực hiện nghĩa vụ
tài chính", Decree 43/2014 for land), and the national portal's status 6 is a waiting state like
status 5. The desk then records the payment (amount, method, receipt number): processing resumes and
the appointment moves by exactly the working time waited, as after a supplement.

Only a procedure with a financial obligation may ask: one with a fee in the catalogue, or one whose
published time limit or fee note speaks of financial obligations or taxes. Otherwise 422
`no_financial_obligation`: asking a citizen to pay where the procedure sets nothing is what Decree 61
forbids (asking for more than the procedure prescribes).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from motcua_shared.events import isoformat
from motcua_shared.events.catalogue.payment import ONLINE_FLAG
from motcua_shared.reference import Procedure, UnknownProcedure
from motcua_shared.web.auth import Principal
from motcua_shared.web.errors import Invalid

from . import actions, supplements
from .desk import Desk
from .scope import can_act_for_agency

OBLIGATION_WORDS = ("nghĩa vụ tài chính", "thuế", "tiền sử dụng đất", "lệ phí trước bạ")
OBLIGATION_LABELS = {"fee": "Phí", "charge": "Lệ phí", "tax": "Thuế"}
METHOD_LABELS = {"cash": "Tiền mặt", "bank_transfer": "Chuyển khoản", "online_national": "Trực tuyến (Cổng DVCQG)",
                 "online_local": "Trực tuyến (cổng thanh toán của tỉnh)", "postal_cod": "Thu hộ qua bưu chính"}


def has_financial_obligation(procedure: Procedure) -> bool:
    if procedure.fee_vnd > 0:
        return True
    published = f"{procedure.processing_time_as_published} {procedure.fee_note}".lower()
    return any(word in published for word in OBLIGATION_WORDS)


def request(session: Session, desk: Desk, principal: Principal, code: str, *, obligation: str, amount_vnd: int,
            purpose: str, occurred_at: datetime | None) -> dict:
    step = actions.prepare(session, principal, code, "request_payment", occurred_at=occurred_at,
                           may_act=lambda dossier: can_act_for_agency(principal, dossier))
    try:
        procedure = desk.catalogue.get(step.dossier["procedure_code"])
    except UnknownProcedure:
        procedure = None
    if procedure is None or not has_financial_obligation(procedure):
        raise Invalid("Thủ tục này không có nghĩa vụ tài chính (phí, lệ phí, thuế) để yêu cầu nộp.",
                      code="no_financial_obligation", invalid_params=[{
                          "name": "amount_vnd", "code": "no_financial_obligation",
                          "reason": "Thủ tục không quy định phí, lệ phí hay nghĩa vụ tài chính."}])
    return step.apply(session, desk.outbox, note=purpose,
                      changes={"paused_from": step.at, "payment_obligation": obligation,
                               "payment_amount_vnd": amount_vnd, "payment_purpose": purpose, "payment_requested_at": step.at, "paid_at": None,
                               "payment_method": None, "payment_receipt_number": None},
                      details={"obligation": obligation, "amount_vnd": amount_vnd},
                      event_data=step.event_data(obligation=obligation, amount_vnd=amount_vnd, purpose=purpose))


def paid(session: Session, desk: Desk, principal: Principal, code: str, *, method: str, receipt_number: str,
         amount_vnd: int | None, note: str | None, occurred_at: datetime | None) -> dict:
    """Recorded at the desk, which collects fees and issues the receipt (or sees the online payment)."""
    step = actions.prepare(session, principal, code, "payment_received", occurred_at=occurred_at)
    asked = step.dossier["payment_amount_vnd"]
    amount = asked if amount_vnd is None else amount_vnd
    if amount != asked:
        # A partial payment does not end the wait; an amount other than the one asked is a new request.
        raise Invalid("Số tiền đã nộp khác số tiền được yêu cầu.", code="amount_mismatch", invalid_params=[{
            "name": "amount_vnd", "code": "amount_mismatch", "reason": f"Số tiền được yêu cầu: {asked} đồng."}])
    paused_from = step.dossier["paused_from"]
    moved = supplements.moved_by_pause(session, desk, step.dossier, step.at)
    return step.apply(session, desk.outbox, note=note,
                      changes={**moved, "paid_at": step.at, "payment_method": method,
                               "payment_receipt_number": receipt_number},
                      details={"amount_vnd": amount, "method": method, "receipt_number": receipt_number,
                               "paused_from": isoformat(paused_from), "due_at": isoformat(moved["due_at"])},
                      event_data=step.event_data(amount_vnd=amount, method=method, online=ONLINE_FLAG.get(method, 0),
                                                 receipt_number=receipt_number, paused_from=isoformat(paused_from),
                                                 due_at=isoformat(moved["due_at"])))
