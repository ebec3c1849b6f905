"""The 2025 transition as intake records it: routing's `route.handed_over` becomes one row of the
dossier's history (no change of status), told to the citizen, shown on the officer's detail and as a
line of the control log (Mẫu 05) from the agency that ceased to its successor. A second delivery of
the same hand-over (a new event id) adds nothing.

The dossier: received at Chiềng Khương on Monday 23/06/2025 09:00; on 01/07/2025 00:00 its district
step (Phòng Lao động - Thương binh và Xã hội huyện Sông Mã) is handed to the commune's Phòng Văn hóa
- Xã hội, due Friday 04/07/2025 10:00 as before.
"""
from __future__ import annotations

import re
from datetime import datetime

from motcua_shared.events.catalogue import route
from motcua_shared.events.catalogue.handover import ROUTE_HANDED_OVER

from intake.support import APPLICANT, at, deliver, token

OFFICER = token("receptionist", unit="04222")
OLD = "Phòng Lao động - Thương binh và Xã hội huyện Sông Mã"
NEW = "Phòng Văn hóa - Xã hội xã Chiềng Khương"
REASON = ("Từ ngày 01/07/2025 chính quyền địa phương tổ chức theo hai cấp, không còn cấp huyện; cơ quan giải "
          "quyết trước đây không còn. Hồ sơ được chuyển giao cho cơ quan kế nhiệm, giữ nguyên thời hạn giải quyết.")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def handed_over(code: str) -> dict:
    return {"dossier_code": code, "handed_over_at": at("2025-07-01 00:00").isoformat(), "reason": REASON,
            "historical": False, "steps": [
                {"sequence": 2, "state": "open", "from_step_id": "S-old-2", "to_step_id": "S-new-2",
                 "from_unit": "126", "from_agency": "14.126.PLDTBXH", "from_agency_name": OLD, "to_unit": "04222",
                 "to_unit_path": "14.04222", "to_level": "commune", "to_agency": "14.04222.PVHXH",
                 "to_agency_name": NEW, "due_at": at("2025-07-04 10:00").isoformat()},
                {"sequence": 3, "state": "planned", "from_step_id": "S-old-3", "to_step_id": "S-old-3",
                 "from_unit": "126", "from_agency": "14.126.PLDTBXH", "from_agency_name": OLD, "to_unit": "04222",
                 "to_unit_path": "14.04222", "to_level": "commune", "to_agency": "14.04222.PVHXH",
                 "to_agency_name": NEW, "due_at": None}]}


def test_the_hand_over_is_one_history_row_told_to_the_citizen_and_a_control_log_line(desk):
    code = desk.imported(at("2025-06-23 09:00"))["code"]
    deliver(desk, route.ROUTE_STARTED, {"dossier_code": code, "started_at": at("2025-06-23 09:00").isoformat(),
                                        "due_at": at("2025-07-10 09:00").isoformat(), "steps": [
        {"step_id": "S-1", "sequence": 1, "unit": "04222", "unit_path": "14.126.04222", "level": "commune",
         "action": "process", "budget_hours": 24.0}]})
    status_before = desk.detail(code)["status"]
    deliver(desk, ROUTE_HANDED_OVER, handed_over(code))
    deliver(desk, ROUTE_HANDED_OVER, handed_over(code))  # the same hand-over again: nothing more

    detail = desk.detail(code)
    rows = [entry for entry in detail["history"] if entry["action"] == "hand_over"]
    assert len(rows) == 1 and detail["status"] == status_before
    row = rows[0]
    assert datetime.fromisoformat(row["occurred_at"]) == at("2025-07-01 00:00")
    assert row["unit"] == "04222" and row["ref"] == "S-new-2" and row["note"] == REASON
    assert [(s["from_agency_name"], s["to_agency_name"], s["state"]) for s in row["details"]["steps"]] == [
        (OLD, NEW, "open"), (OLD, NEW, "planned")]

    public = desk.client.get(f"/api/v1/public/dossiers/{code}", query_string={"id_number": APPLICANT["id_number"]})
    texts = [line["text"] for line in public.get_json()["history"]]
    assert ("Từ ngày 01/07/2025 chính quyền địa phương tổ chức theo hai cấp; hồ sơ được chuyển giao cho "
            f"{NEW} tiếp tục giải quyết, thời hạn giải quyết không thay đổi.") in texts

    html = desk.client.get(f"/api/v1/dossiers/{code}/control-log", headers=OFFICER).get_data(as_text=True)
    lines = [text_of(line) for line in re.findall(r"<tr><td>.*?</tr>", html, re.S)]
    moved = [line for line in lines if "Chuyển giao cơ quan kế nhiệm" in line]
    assert len(moved) == 1
    assert f"Giao: {OLD}" in moved[0] and f"Nhận: {NEW}" in moved[0] and "00:00 01/07/2025" in moved[0]
