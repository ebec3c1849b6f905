"""The fee line of the dossier_received notice (the e-mailed receipt): a fee no source publishes
(catalogue basis `unpublished`, fee_vnd 0 meaning "not known") is not announced as free."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from motcua_notification.notice_drafts import _received

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("procedure", "fee_vnd", "printed"),
    [
        ("MC.014", 0, "Theo mức thu do Hội đồng nhân dân tỉnh quy định"),  # house-building permit: unpublished
        ("1.001193", 0, "Không thu phí, lệ phí"),  # on-time birth registration: free by law
        ("1.004873", 10000, "10.000 đồng"),
    ],
)
def test_the_received_notice_says_the_fee_or_that_it_is_not_known(procedure, fee_vnd, printed):
    notice = _received({"code": "H52.04222-260423-0001", "procedure_code": procedure, "fee_vnd": fee_vnd,
                        "received_at": "2026-04-23T09:00:00+07:00", "due_at": "2026-04-28T09:00:00+07:00"}, VN)
    assert notice.values["fee"] == printed
