"""Early / on time / late for a "trong ngày" procedure (1.001193, đăng ký khai sinh): its appointment is
the close of the day of receipt, so a result on that day is on time (never early) and a result the next
morning is late; the old 8-working-hour rule counted both as in time.

Hand-worked on the 2019 calendar: Thursday 14/03/2019 received 09:00 → due Thursday 17:00; received
15:30 (after the 15:00 cut-off) → due Friday 15/03 17:00.
"""
from __future__ import annotations

from datetime import datetime

from motcua_shared.workcal import WorkingCalendar

from reporting.history import Story, t

BIRTH = "1.001193"


def same_day(number: int) -> Story:
    return Story(f"H52.04222-190314-{number:04d}", procedure_code=BIRTH)


def test_the_appointment_intake_gives_is_the_days_close():
    # The due_at the stories below carry is what intake stamps (the same shared calendar).
    calendar = WorkingCalendar()
    assert calendar.add(datetime.fromisoformat(t("03-14", "09:00")), 0, "same_day") == \
        datetime.fromisoformat(t("03-14", "17:00"))
    assert calendar.add(datetime.fromisoformat(t("03-14", "15:30")), 0, "same_day") == \
        datetime.fromisoformat(t("03-15", "17:00"))


def test_a_same_day_result_is_on_time_and_the_next_morning_is_late(reporting):
    on_day = same_day(1).received(t("03-14", "09:00"), t("03-14", "17:00")) \
        .processed(t("03-14", "16:30"), t("03-14", "17:00"))
    at_close = same_day(2).received(t("03-14", "09:00"), t("03-14", "17:00")) \
        .processed(t("03-14", "17:00"), t("03-14", "17:00"))
    next_morning = same_day(3).received(t("03-14", "09:00"), t("03-14", "17:00")) \
        .processed(t("03-15", "08:00"), t("03-14", "17:00"))
    after_cutoff = same_day(4).received(t("03-14", "15:30"), t("03-15", "17:00")) \
        .processed(t("03-15", "16:30"), t("03-15", "17:00"))
    for story in (on_day, at_close, next_morning, after_cutoff):
        reporting.feed(story.events)
    resolved = reporting.summary(first="2019-03-01", last="2019-03-31")["resolved"]
    assert resolved == {"total": 4, "early": 0, "on_time": 3, "late": 1}
