"""The dossier page says how its appointment was reached: the limit, the start of the count (after the
cut-off: the next working day), and each day that did not count, with the province's note where it
declared one. It explains intake's appointment; it never computes another."""
from __future__ import annotations

from datetime import date

from motcua_console.web.dossiers.deadline_explained import explain

from console.desk_support import receive
from console.support import page

# Received on Friday 24/04/2026 at 16:00, after the 15:00 cut-off; 1.004884 has 5 working days. Monday
# 27/04 is the day off for the Hùng Kings' anniversary (10/3 lunar fell on Sunday 26/04), so the count
# starts on Tuesday 28/04.
DOSSIER = {"received_at": "2026-04-24T09:00:00+00:00", "due_at": "2026-05-06T10:00:00+00:00",
           "procedure": {"code": "1.004884", "name": "Thủ tục đăng ký lại khai sinh"}}


def test_the_count_starts_on_the_next_working_day_and_names_each_day_off():
    explained = explain(DOSSIER, [{"day": "2026-04-30", "kind": "day_off", "note": "Ngày Giải phóng miền Nam"}])
    assert explained.limit == "5 ngày làm việc"
    assert explained.after_cutoff and explained.counted_from.date() == date(2026, 4, 28)
    assert explained.days_off == [(date(2026, 4, 27), "Ngày nghỉ lễ"), (date(2026, 4, 30), "Ngày Giải phóng miền Nam"),
                                  (date(2026, 5, 1), "Ngày nghỉ lễ")]
    assert explained.listed_weekends == [date(2026, 4, 25), date(2026, 4, 26), date(2026, 5, 2), date(2026, 5, 3)]
    assert explained.weekends == 4


def test_a_declared_working_saturday_counts_and_a_declared_day_off_does_not():
    declared = [{"day": "2026-05-02", "kind": "working_day", "note": "Làm bù"},
                {"day": "2026-05-05", "kind": "day_off", "note": "Quyết định 12/QĐ-UBND"}]
    explained = explain(DOSSIER, declared)
    assert (date(2026, 5, 5), "Quyết định 12/QĐ-UBND") in explained.days_off
    assert date(2026, 5, 2) not in explained.listed_weekends and explained.weekends == 3


def test_a_dossier_not_yet_received_has_nothing_to_explain():
    assert explain({"received_at": None, "due_at": None, "procedure": {"code": "1.004884"}}, []) is None


def test_the_dossier_page_explains_its_appointment(console):
    code = receive(console)
    client = console.signed_in("receptionist", unit="04222")
    row = next(r for r in page(client.get(f"/ho-so/{code}")).select(".summary__row")
               if r.dt.get_text(strip=True) == "Cách tính hạn")
    text = row.dd.get_text(" ", strip=True)
    assert "Thời hạn giải quyết 5 ngày làm việc" in text and "tính từ" in text


def test_a_same_day_limit_reads_trong_ngay():
    # Received Thursday 23/04/2026 09:00 (02:00 UTC), 1.001193 (khai sinh) is due that day at 17:00.
    same_day = {"received_at": "2026-04-23T02:00:00+00:00", "due_at": "2026-04-23T10:00:00+00:00",
                "procedure": {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh"}}
    explained = explain(same_day, [])
    assert explained.limit == "trong ngày"
    assert not explained.after_cutoff and explained.days_off == [] and explained.weekends == 0
