""""Trong ngày" procedures through intake's API: the catalogue publishes them as {"value": 0, "unit":
"same_day"}, the receipt's appointment is the close of the day of receipt (of the next working day after
15:00), and Mẫu 01 prints "Trong ngày", not "0 …" or "8 giờ làm việc".

Dates worked out by hand: Thursday 23/04/2026; Friday 24/04/2026; Monday 27/04/2026 is the day off in
lieu of the Hùng Kings' day (Sunday 26/04/2026), so the next working day after Friday is Tuesday 28/04.
"""
from __future__ import annotations

import re
from datetime import datetime

import pytest

from intake.support import at, token

OFFICER = token("receptionist", unit="04222")
BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_catalogue_publishes_same_day_procedures_with_value_0(desk):
    answer = desk.client.get("/api/v1/procedures")
    assert answer.status_code == 200, answer.get_json()
    times = {item["code"]: item["processing_time"] for item in answer.get_json()["items"]}
    for code in ("1.001193", "1.000656", "1.000894", "2.000815", "2.000884", "2.000635", "MC.003", "MC.007"):
        assert times[code] == {"value": 0, "unit": "same_day"}, code
    assert times["1.004873"] == {"value": 3, "unit": "working_days"}  # the others are unchanged


@pytest.mark.parametrize(
    ("received", "due", "printed"),
    [
        ("2026-04-23 09:00", "2026-04-23 17:00", "17 giờ 00 phút, ngày 23 tháng 04 năm 2026"),
        ("2026-04-23 15:00", "2026-04-24 17:00", "17 giờ 00 phút, ngày 24 tháng 04 năm 2026"),
        ("2026-04-24 15:30", "2026-04-28 17:00", "17 giờ 00 phút, ngày 28 tháng 04 năm 2026"),
    ],
)
def test_the_receipt_of_a_same_day_procedure(desk, received, due, printed):
    created = desk.imported(at(received), procedure_code=BIRTH)
    assert datetime.fromisoformat(created["due_at"]) == at(due)
    assert datetime.fromisoformat(desk.detail(created["code"])["due_at"]) == at(due)
    answer = desk.client.get(f"/api/v1/dossiers/{created['code']}/receipt", headers=OFFICER)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    page = text_of(answer.get_data(as_text=True))
    assert "3. Thời gian giải quyết hồ sơ theo quy định: Trong ngày 4." in page
    assert f"5. Thời gian trả kết quả giải quyết hồ sơ: {printed}" in page
    assert "giờ làm việc" not in page


def test_a_receipt_in_working_days_still_prints_the_amount(desk):
    created = desk.imported(at("2026-04-23 09:00"))  # 1.004884, 5 working days
    page = text_of(desk.client.get(f"/api/v1/dossiers/{created['code']}/receipt", headers=OFFICER)
                   .get_data(as_text=True))
    assert "3. Thời gian giải quyết hồ sơ theo quy định: 5 ngày làm việc" in page
