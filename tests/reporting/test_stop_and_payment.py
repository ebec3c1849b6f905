"""The agency's stop (DVCQG 8) and the wait for a payment (DVCQG 6) in the projection: a stop ends the
dossier like a withdrawal (on time or late, never early; counted among the ended, not in progress), and
the wait for a payment is left out of the clock exactly like a supplement.

Dates by hand: received Thu 23/04/2026 09:00, 5 working days → due Tue 05/05 09:00 (Fri 24, Tue 28,
Wed 29, Mon 4, Tue 5; Mon 27/4, Thu 30/4 and Fri 1/5 are days off). Payment asked Fri 24/04 09:00, paid
Tue 28/04 09:00: 8 working hours waited (6 on Friday, 2 on Tuesday), so intake moved the appointment to
Wed 06/05 09:00."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

from motcua_shared.events import new_event
from motcua_shared.events.catalogue import dossier, payment, stop
from motcua_shared.workcal import WorkingCalendar
from motcua_reporting.projection.dossier import project
from motcua_reporting.projection.timeline import entry_from_event
from motcua_reporting.statistics.period import Period
from motcua_reporting.statistics.placement import place

VN = timezone(timedelta(hours=7))
CODE = "H52.04222-260423-0001"


def at(text: str) -> str:
    return datetime.fromisoformat(text).replace(tzinfo=VN).isoformat()


def received():
    return (dossier.DOSSIER_RECEIVED, {
        "code": CODE, "procedure_code": "1.004884", "procedure_level": "commune", "sector": "Hộ tịch",
        "inter_agency": False, "channel": "counter", "receiving_unit": "04222", "receiving_unit_path": "14.04222",
        "competent_unit": "04222", "competent_unit_path": "14.04222", "return_method": "counter",
        "applicant": {"full_name": "Lò Văn Hùng"}, "received_at": at("2026-04-23 09:00"),
        "due_at": at("2026-05-05 09:00")})


def change(event_type: str, when: str, **data):
    return (event_type, {"code": CODE, "occurred_at": at(when), "actor": "officer-7", **data})


ASKED = change(payment.DOSSIER_PAYMENT_REQUESTED, "2026-04-24 09:00", obligation="charge", amount_vnd=10000,
               purpose="Lệ phí")
PAID = change(payment.DOSSIER_PAID, "2026-04-28 09:00", amount_vnd=10000, method="cash", online=0,
              receipt_number="BL-1", paused_from=at("2026-04-24 09:00"), due_at=at("2026-05-06 09:00"))


def stopped(when: str):
    return change(stop.DOSSIER_STOPPED, when, ground="court_proceedings", reason="Tòa án đã thụ lý.", unit="04222")


def row(*events) -> SimpleNamespace:
    entries = [entry_from_event(new_event(t, source="/motcua/intake", data=d).id, t, d) for t, d in events]
    return SimpleNamespace(**project(CODE, entries, calendar=WorkingCalendar()))


def test_a_stop_after_the_moved_appointment_is_late():
    projected = row(received(), ASKED, PAID, stopped("2026-05-06 10:00"))
    assert projected.end_kind == "stopped" and projected.end_class == "late"
    assert projected.end_due_at == datetime.fromisoformat(at("2026-05-06 09:00"))
    assert projected.supplement_requests == 0  # a payment is not a supplement request
    # 23/4 09:00-17:00 is 360 min, five full days (24/4, 28/4, 29/4, 4/5, 5/5) 2,400, 6/5 07:00-10:00 180:
    # 2,940 working minutes, less the 480 waited for the payment.
    assert projected.handling_minutes == 2460


def test_a_stop_within_the_moved_appointment_is_on_time_never_early():
    # Thu 30/4 is a day off but 29/4 is a working day before the appointment: a result that day would be early.
    projected = row(received(), ASKED, PAID, stopped("2026-04-29 10:00"))
    assert projected.end_kind == "stopped" and projected.end_class == "on_time"


def test_the_wait_for_a_payment_not_yet_made_stops_the_clock():
    # Stopped on Fri 08/05 while still awaiting the payment asked for on 24/04: the clock stood at 24/04 09:00.
    projected = row(received(), ASKED, stopped("2026-05-08 09:00"))
    assert projected.end_class == "on_time"
    waiting = row(received(), ASKED)
    may = Period(date(2026, 5, 1), date(2026, 5, 31))
    assert place(waiting, may).outcome == "within_deadline"


def test_a_stopped_dossier_counts_as_ended_in_its_period():
    projected = row(received(), stopped("2026-04-28 10:00"))
    april = Period(date(2026, 4, 1), date(2026, 4, 30))
    placement = place(projected, april)
    assert placement.resolved and placement.outcome == "on_time"
    may = Period(date(2026, 5, 1), date(2026, 5, 31))
    assert place(projected, may) is None
