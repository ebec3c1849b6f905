"""The fee line of Mẫu 01. The catalogue carries eight procedures whose fee no source publishes (basis
`unpublished`, fee_vnd 0 meaning "not known"): their receipt must not tell the citizen the procedure is
free. A published amount and a fee free by law print as before."""
from __future__ import annotations

import re

import pytest

from intake.support import at, token

OFFICER = token("receptionist", unit="04222")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("procedure", "printed"),
    [
        # Đăng ký thành lập hộ kinh doanh: Sơn La's HĐND amount was not found.
        ("1.001612", "7. Phí, lệ phí: Theo mức thu do Hội đồng nhân dân tỉnh quy định"),
        # Giấy xác nhận tình trạng hôn nhân: 10.000 đồng (Hà Tĩnh's resolution, the catalogue says so).
        ("1.004873", "7. Phí, lệ phí: 10.000 đồng"),
        # Khai sinh đúng hạn: free by the Law on Civil Status.
        ("1.001193", "7. Phí, lệ phí: Miễn lệ phí"),
    ],
)
def test_the_receipt_prints_the_fee_or_says_it_is_not_known(desk, procedure, printed):
    created = desk.imported(at("2026-04-23 09:00"), procedure_code=procedure)
    answer = desk.client.get(f"/api/v1/dossiers/{created['code']}/receipt", headers=OFFICER)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    assert printed in text_of(answer.get_data(as_text=True))
