"""The postal pages' words for postal's codes (postal gives its own `status_label`s; these are what
the desk's forms and filters need besides)."""
from __future__ import annotations

# The direction as the desk says it: which way the paper goes, from the desk's side of the counter.
DIRECTIONS = (("result_to_citizen", "Trả kết quả cho công dân"),
              ("dossier_to_office", "Nhận hồ sơ từ công dân"))
DIRECTION_NAMES = dict(DIRECTIONS)

# The statuses an officer may record from a phone call, in the order a shipment goes through them.
REPORTABLE = (("accepted", "Bưu điện đã nhận yêu cầu"),
              ("picked_up", "Bưu tá đã nhận hàng / đã bàn giao cho bưu tá"),
              ("delivered", "Đã phát thành công"),
              ("failed", "Phát không thành công"),
              ("returned", "Đã hoàn về"))
REPORTABLE_NAMES = dict(REPORTABLE)

# Who a history entry came from.
SOURCES = {"partner": "Bưu điện báo qua hệ thống", "manual": "Bộ phận một cửa ghi nhận qua điện thoại",
           "system": "Hệ thống"}
