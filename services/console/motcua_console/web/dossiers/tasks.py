"""The dossier page's "Việc cần làm": what this officer may do next, by the dossier's status (intake's
state machine, lifecycle.py) and the route's open steps (routing), and the printable forms it has.
The services still refuse what is not allowed; these links only spare officers dead ends."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask import url_for

OPEN_STEP = ("assigned", "claimed")
STEP_ACTIONS = {"process": "Xử lý", "appraise": "Thẩm định", "approve": "Phê duyệt", "sign": "Ký"}
STEP_STATUSES = {"planned": "Chưa đến lượt", "assigned": "Chờ nhận xử lý", "claimed": "Đang xử lý",
                 "completed": "Đã xong", "sent_back": "Đã trả lại", "cancelled": "Đã hủy", "skipped": "Bỏ qua",
                 "handed_over": "Đã chuyển giao cơ quan kế nhiệm"}
OUTCOMES = {"approved": "Đồng ý", "rejected": "Từ chối", "supplement_required": "Yêu cầu bổ sung"}
# Printable forms: page slug -> (intake form, name on the page).
FORMS = {
    "giay-tiep-nhan": ("receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)"),
    "yeu-cau-bo-sung": ("supplement-request", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"),
    "tu-choi": ("refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)"),
    "phieu-xin-loi": ("apology", "Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"),
    "phieu-kiem-soat": ("control-log", "Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05)"),
    "thong-bao-dung": ("stop-notice", "Thông báo dừng giải quyết hồ sơ"),
}
SUPPLEMENT_ACTIONS = ("request_supplement", "processing_supplement")


@dataclass(frozen=True)
class Task:
    label: str
    url: str
    warning: bool = False


def desk_tasks(dossier: dict, account) -> list[Task]:
    if not account.has("receptionist"):
        return []
    base = f"/ho-so/{quote(dossier['code'], safe='')}"
    status, stage = dossier["status"], dossier.get("supplement_stage")
    pending_reception = status == "submitted" or (status == "supplement_required" and stage == "reception")
    tasks = []
    if pending_reception:
        tasks.append(Task("Tiếp nhận hồ sơ", f"{base}/tiep-nhan"))
    if status == "submitted":
        tasks.append(Task("Yêu cầu bổ sung hồ sơ", f"{base}/yeu-cau-bo-sung"))
    if pending_reception:
        tasks.append(Task("Hướng dẫn nộp tại cơ quan khác", f"{base}/huong-dan"))
        tasks.append(Task("Từ chối tiếp nhận", f"{base}/tu-choi", warning=True))
    if status == "supplement_required" and stage == "reception":
        # Decree 61: once, for the whole list; intake refuses a second request without its legal ground.
        tasks.append(Task("Yêu cầu bổ sung lần nữa (phải ghi căn cứ pháp lý)", f"{base}/yeu-cau-bo-sung",
                          warning=True))
    if status == "supplement_required" and stage == "processing":
        tasks.append(Task("Nhận hồ sơ bổ sung", f"{base}/nhan-bo-sung"))
    if status == "awaiting_payment":
        tasks.append(Task("Ghi nhận đã thực hiện nghĩa vụ tài chính", f"{base}/ghi-nhan-nop-tien"))
    if status == "processed":
        tasks.append(Task("Trả kết quả", f"{base}/tra-ket-qua"))
    if status in ("submitted", "received", "in_progress", "supplement_required", "awaiting_payment",
                  "withdrawal_requested"):
        tasks.append(Task("Rút hồ sơ theo đề nghị của người nộp", f"{base}/rut-ho-so", warning=True))
    tasks.append(Task("Kênh nhận thông báo", f"{base}/kenh-thong-bao"))  # asked at the counter, any status
    return tasks


# Where the competent agency may still stop the dossier (intake's lifecycle.PROCESSING).
PROCESSING = ("received", "in_progress", "supplement_required", "awaiting_payment", "withdrawal_requested")


def agency_tasks(dossier: dict, account) -> list[Task]:
    """What the competent agency decides (its officers, or the desk recording the agency's written decision):
    ask for a financial obligation, stop processing with a reason."""
    if not account.has("receptionist", "specialist", "leader"):
        return []
    base = f"/ho-so/{quote(dossier['code'], safe='')}"
    status, stage = dossier["status"], dossier.get("supplement_stage")
    tasks = []
    if status == "in_progress":
        tasks.append(Task("Yêu cầu thực hiện nghĩa vụ tài chính", f"{base}/yeu-cau-nop-tien"))
    if status in PROCESSING and not (status == "supplement_required" and stage == "reception"):
        tasks.append(Task("Dừng giải quyết hồ sơ", f"{base}/dung-xu-ly", warning=True))
    return tasks


def step_tasks(code: str, route: dict | None, account) -> list[Task]:
    if not route or not account.has("specialist", "leader"):
        return []
    tasks = []
    for step in route.get("steps", []):
        if not step.get("local") or step.get("status") not in OPEN_STEP:
            continue
        name = f"bước {step['sequence']} ({STEP_ACTIONS.get(step['action'], step['action'])})"
        ids = {"code": code, "step_id": step["step_id"]}
        mine = step.get("claimed_by") == account.id
        if step["status"] == "assigned":
            tasks.append(Task(f"Nhận xử lý {name}", url_for("inbox.claim", **ids)))
        if mine:
            tasks.append(Task(f"Hoàn thành {name}", url_for("inbox.complete", **ids)))
        if mine or (step["status"] == "claimed" and account.has("leader")):
            tasks.append(Task(f"Chuyển {name}", url_for("inbox.forward", **ids)))
            if step["sequence"] > 1:
                tasks.append(Task(f"Trả lại bước trước ({name})", url_for("inbox.send_back", **ids), warning=True))
    if account.has("leader") and route.get("status") in ("in_progress", "awaiting_supplement") \
            and not route.get("apology_issued_at"):
        tasks.append(Task("Xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)", url_for("inbox.apology", code=code)))
    return tasks


def printable_forms(dossier: dict) -> list[Task]:
    """The forms this dossier has now; intake answers 409 for any other, which the print page says."""
    actions = {entry.get("action") for entry in dossier.get("history", [])}
    slugs = []
    if dossier.get("received_at"):
        slugs.append("giay-tiep-nhan")
    if actions & set(SUPPLEMENT_ACTIONS) or dossier["status"] == "supplement_required":
        slugs.append("yeu-cau-bo-sung")
    if dossier["status"] == "refused":
        slugs.append("tu-choi")
    if "apology" in actions:  # routing's apology, recorded in the dossier's history by intake
        slugs.append("phieu-xin-loi")
    slugs.append("phieu-kiem-soat")
    if dossier["status"] == "stopped" and "stop" in actions:  # the agency's stop, not a withdrawal
        slugs.append("thong-bao-dung")
    return [Task(FORMS[s][1], url_for("dossiers.print_form", code=dossier["code"], mau=s)) for s in slugs]
