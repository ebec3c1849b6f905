"""Rows of the control log (Mẫu 05, Phiếu kiểm soát quá trình giải quyết hồ sơ), one per hand-over.

With the electronic system running, the trail is logged automatically instead of signed on paper
(docs/domain.md §2.3); these rows come from the history intake keeps: the citizen to the desk, the desk to
the processing agency and back, the desk or the post to the citizen. The steps inside processing are
routing's and appear on its own control log.

"Kết quả" of the row where the result comes back: early (trước hạn) when it comes on an earlier day than
the appointment, on time (đúng hạn) when on the appointment's day and not after its time, late (quá hạn)
after it.
"""
from __future__ import annotations

from datetime import datetime

from ..desk import Desk
from . import vietnamese as vn

CITIZEN = "Công dân"
POST = "Bưu điện"


def _desk(desk: Desk, dossier: dict) -> str:
    return f"Bộ phận TN&TKQ {desk.unit_name(dossier['receiving_unit'], vn.local(dossier['submitted_at']).date())}"


def _officer(entry: dict) -> str:
    return entry["actor_name"] or entry["actor"]


def timeliness(done: datetime, due: datetime | None) -> str:
    if due is None:
        return ""
    if done > due:
        return "Quá hạn"
    return "Trước hạn" if vn.local(done).date() < vn.local(due).date() else "Đúng hạn"


def _parties(desk: Desk, dossier: dict, entry: dict) -> tuple[str, str, str] | None:
    """(agency, from, to) of a hand-over, or None when the entry is not one."""
    here = _desk(desk, dossier)
    applicant = f"{CITIZEN}: {dossier['applicant_name']}"
    direction = (entry["details"] or {}).get("direction")
    competent = desk.unit_name(dossier["competent_unit"], vn.local(dossier["submitted_at"]).date())
    action = entry["action"]
    if action in ("receive", "accept", "supplement_received"):
        return here, applicant, f"{here} ({_officer(entry)})"
    if action == "submit":
        return here, applicant, f"{here} (hệ thống tiếp nhận {vn.CHANNELS[dossier['channel']].lower()})"
    if action in ("request_supplement", "refuse", "redirect", "withdraw"):
        return here, f"{here} ({_officer(entry)})", applicant
    if action == "transfer":
        agency = desk.unit_name(entry["unit"] or dossier["competent_unit"], vn.local(entry["occurred_at"]).date())
        return here, here, agency
    if action == "processing_supplement":
        return competent, competent, f"{here} → {applicant}"
    if action == "process":
        return competent, competent, here
    if action == "return_result":
        method = (entry["details"] or {}).get("method")
        return (here, POST, applicant) if method == "postal" else (here, f"{here} ({_officer(entry)})", applicant)
    if action in ("stop", "request_payment"):  # the agency's decision, handed to the citizen through the desk
        return competent, competent, f"{here} → {applicant}"
    if action == "payment_received":
        return here, applicant, f"{here} ({_officer(entry)})"
    if action == "hand_over":  # the 2025 transition: from the agency that ceased to its successor
        moved = [step for step in (entry["details"] or {}).get("steps") or () if step["state"] == "open"]
        if not moved:
            return None  # only steps not yet started were re-pointed: the dossier itself did not move
        giver = ", ".join(dict.fromkeys(step["from_agency_name"] for step in moved))
        receiver = ", ".join(dict.fromkeys(step["to_agency_name"] for step in moved))
        return receiver, giver, receiver
    if action == "postal_picked_up":
        return (here, here, POST) if direction == "result_to_citizen" else (here, applicant, POST)
    if action == "postal_delivered":
        return here, POST, here
    if action in ("postal_failed", "postal_returned"):
        return here, POST, here
    return None


NOTES = {
    "request_supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)",
    "refuse": "Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)",
    "redirect": "Không thuộc thẩm quyền; hướng dẫn công dân",
    "withdraw": "Trả hồ sơ theo đề nghị rút hồ sơ",
    "processing_supplement": "Yêu cầu bổ sung hồ sơ; tạm dừng tính thời hạn",
    "supplement_received": "Nhận hồ sơ bổ sung; tiếp tục tính thời hạn",
    "postal_failed": "Bưu điện không phát được",
    "postal_returned": "Bưu điện hoàn trả",
    "hand_over": "Chuyển giao cơ quan kế nhiệm",
    "stop": "Thông báo dừng giải quyết hồ sơ",
    "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính; tạm dừng tính thời hạn",
    "payment_received": "Nhận biên lai nộp tiền; tiếp tục tính thời hạn",
}


def rows(desk: Desk, dossier: dict, history: list[dict]) -> list[dict]:
    found = []
    for entry in history:
        parties = _parties(desk, dossier, entry)
        if parties is None:
            continue
        agency, giver, receiver = parties
        result = timeliness(entry["occurred_at"], dossier["due_at"]) if entry["action"] == "process" else ""
        note = " — ".join(part for part in (NOTES.get(entry["action"]), entry["note"]) if part)
        found.append({"agency": agency, "at": entry["occurred_at"], "giver": giver, "receiver": receiver,
                      "result": result, "note": note})
    return found
