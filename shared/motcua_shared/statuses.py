"""Dossier statuses (docs/contracts.md §5) and the national portal (DVCQG) code of each
(docs/domain.md §3.4)."""

DVCQG_CODE = {
    "submitted": 1,             # Mới đăng ký
    "received": 2,              # Được tiếp nhận
    "refused": 3,               # Không được tiếp nhận
    "in_progress": 4,           # Đang xử lý
    "supplement_required": 5,   # Yêu cầu bổ sung giấy tờ
    "awaiting_payment": 6,      # Yêu cầu thực hiện nghĩa vụ tài chính
    "withdrawal_requested": 7,  # Công dân yêu cầu rút hồ sơ
    "stopped": 8,               # Dừng xử lý
    "processed": 9,             # Đã xử lý xong
    "returned": 10,             # Đã trả kết quả
}

VIETNAMESE = {
    "submitted": "Mới đăng ký, chờ tiếp nhận",
    "received": "Đã tiếp nhận",
    "refused": "Không được tiếp nhận",
    "in_progress": "Đang xử lý",
    "supplement_required": "Yêu cầu bổ sung giấy tờ",
    "awaiting_payment": "Chờ thực hiện nghĩa vụ tài chính",
    "withdrawal_requested": "Công dân yêu cầu rút hồ sơ",
    "stopped": "Dừng xử lý",
    "processed": "Đã có kết quả, chờ trả",
    "returned": "Đã trả kết quả",
}

STATUSES = tuple(DVCQG_CODE)
