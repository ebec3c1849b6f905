"""A dossier's history told to the citizen in plain Vietnamese: what happened and what to do next.

No officer's name or id, and nothing that is only internal bookkeeping. Reasons written to the citizen
(a refusal, what to supplement, an apology) are shown: they are addressed to them.
"""
from __future__ import annotations

from datetime import datetime

from ..desk import Desk
from . import vietnamese as vn

DESK = "bộ phận tiếp nhận và trả kết quả"


def _details(entry: dict) -> dict:
    return entry["details"] or {}


def _clock(entry: dict, key: str) -> str:
    value = _details(entry).get(key)
    return vn.clock(datetime.fromisoformat(value)) if value else ""


def _reason(entry: dict) -> str:
    return f" Lý do: {entry['note']}" if entry["note"] else ""


def _carried(entry: dict) -> str:
    return "kết quả" if _details(entry).get("direction") == "result_to_citizen" else "hồ sơ"


def _unit(desk: Desk, code: str, entry: dict) -> str:
    return desk.unit_name(code, vn.local(entry["occurred_at"]).date())


def _supplement(entry: dict) -> str:
    items = _details(entry).get("items") or []
    listed = f" Giấy tờ cần bổ sung: {'; '.join(items)}." if items else ""
    return f"Hồ sơ cần bổ sung, hoàn thiện: {entry['note']}.{listed}"


def text(desk: Desk, dossier: dict, entry: dict) -> str | None:
    """The sentence for one history entry, or None for one the citizen need not see."""
    action = entry["action"]
    if action == "submit":
        return f"Hồ sơ đã được nộp ({vn.CHANNELS[dossier['channel']].lower()}), chờ {DESK} kiểm tra, tiếp nhận."
    if action in ("receive", "accept"):
        return (f"Hồ sơ đã được tiếp nhận tại {DESK} {_unit(desk, dossier['receiving_unit'], entry)}. "
                f"Hẹn trả kết quả: {_clock(entry, 'due_at')}.")
    if action == "request_supplement":
        return _supplement(entry) + " Hồ sơ chưa được tiếp nhận."
    if action == "refuse":
        return f"Hồ sơ không được tiếp nhận.{_reason(entry)}"
    if action == "redirect":
        return f"Hồ sơ không thuộc thẩm quyền của đơn vị; đề nghị liên hệ {_unit(desk, entry['unit'], entry)}." \
               f"{_reason(entry)}"
    if action == "transfer":
        return "Hồ sơ đã được chuyển đến cơ quan có thẩm quyền để giải quyết."
    if action == "processing_supplement":
        return _supplement(entry) + " Thời hạn giải quyết tạm dừng trong khi chờ bổ sung."
    if action == "supplement_received":
        return f"Đã nhận hồ sơ bổ sung; tiếp tục giải quyết. Hẹn trả kết quả: {_clock(entry, 'due_at')}."
    if action == "request_withdrawal":
        return "Công dân đề nghị rút hồ sơ."
    if action == "withdraw":
        return "Hồ sơ đã được rút theo đề nghị của công dân; dừng giải quyết."
    if action == "process":
        then = "Kết quả sẽ được gửi qua bưu chính." if dossier["return_method"] == "postal" else \
            "Mời công dân nhận kết quả."
        return f"Đã có kết quả giải quyết: {vn.RESULTS[_details(entry)['result']].lower()}. {then}"
    if action == "return_result":
        return f"Đã trả kết quả ({vn.RETURN_PLACES[_details(entry)['method']].lower()})."
    if action == "apology":
        return (f"Cơ quan giải quyết xin lỗi vì hồ sơ chậm so với hẹn; hẹn lại ngày trả kết quả: "
                f"{_clock(entry, 'new_due_at')}.{_reason(entry)}")
    if action == "stop":  # the competent agency's stop (stops.py): the notice is the result
        return f"Cơ quan có thẩm quyền dừng giải quyết hồ sơ.{_reason(entry)}"
    if action == "request_payment":  # a financial obligation (payments.py)
        amount = _details(entry).get("amount_vnd")
        return (f"Đề nghị công dân thực hiện nghĩa vụ tài chính: {entry['note']}, số tiền {vn.money(amount)}. "
                f"Thời hạn giải quyết tạm dừng trong khi chờ nộp.")
    if action == "payment_received":
        return f"Đã ghi nhận nộp tiền; tiếp tục giải quyết. Hẹn trả kết quả: {_clock(entry, 'due_at')}."
    if action == "rescheduled":  # a declared day off moved the appointment (rescheduling.py)
        day = _details(entry).get("day", "")
        return (f"Ngày {day[8:10]}/{day[5:7]}/{day[0:4]} được công bố là ngày nghỉ; hẹn trả kết quả mới: "
                f"{_clock(entry, 'due_at')}.")
    if action == "hand_over":  # the 2025 transition (routing's route.handed_over)
        names = list(dict.fromkeys(step["to_agency_name"] for step in _details(entry).get("steps") or ()))
        return (f"Từ ngày 01/07/2025 chính quyền địa phương tổ chức theo hai cấp; hồ sơ được chuyển giao cho "
                f"{', '.join(names)} tiếp tục giải quyết, thời hạn giải quyết không thay đổi.")
    return _postal(entry)


def _postal(entry: dict) -> str | None:
    action, carried = entry["action"], _carried(entry)
    if action == "postal_picked_up":
        return ("Kết quả đã được giao cho bưu điện để chuyển đến công dân." if carried == "kết quả"
                else "Bưu điện đã nhận hồ sơ từ công dân.")
    if action == "postal_delivered":
        return f"Bưu điện đã chuyển {carried} đến nơi nhận."
    if action == "postal_failed":
        return f"Bưu điện chưa chuyển được {carried}; {DESK} sẽ liên hệ với công dân."
    if action == "postal_returned":
        return f"Bưu điện đã hoàn {carried} về nơi gửi; {DESK} sẽ liên hệ với công dân."
    if action == "postal_cancelled":
        return "Yêu cầu chuyển phát qua bưu chính đã được hủy."
    return None


def lines(desk: Desk, dossier: dict, history: list[dict]) -> list[dict]:
    told = ((entry["occurred_at"], text(desk, dossier, entry)) for entry in history)
    return [{"at": at, "text": sentence} for at, sentence in told if sentence]
