"""A generated history with known answers: the dossiers of Sông Mã district (126) around March 2019.

Every event is built with `new_event`, so its data passes the catalogue's schema exactly as intake's
and routing's would. `MARCH` is the period; `EXPECTED` is its Biểu 06 table worked out by hand from
the stories below (the comment on each story says where it lands and why). 2019-03 has no public
holiday: working days are Monday to Friday, 07:00–11:30 and 13:30–17:00.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from motcua_shared.events import Event, new_event
from motcua_shared.events.catalogue import dossier as dossier_events
from motcua_shared.events.catalogue import route

MARCH = (date(2019, 3, 1), date(2019, 3, 31))

PATHS = {"04222": "14.126.04222", "04204": "14.126.04204", "04168": "14.126.04168", "125": "14.125"}


def t(month_day: str, clock: str = "08:00") -> str:
    """An instant of 2019 in Vietnam: t("03-04", "09:30")."""
    return f"2019-{month_day}T{clock}:00+07:00"


@dataclass
class Story:
    code: str
    unit: str = "04222"
    channel: str = "counter"
    inter_agency: bool = False
    procedure_code: str = "1.004873"
    level: str = "commune"
    sector: str = "Hộ tịch"
    path: str | None = None  # the receiving unit's path; by default its three-level one
    events: list[Event] = field(default_factory=list)

    def _facts(self) -> dict:
        return {"code": self.code, "procedure_code": self.procedure_code, "procedure_level": self.level,
                "sector": self.sector, "inter_agency": self.inter_agency, "channel": self.channel,
                "receiving_unit": self.unit, "receiving_unit_path": self.path or PATHS[self.unit],
                "competent_unit": self.unit, "competent_unit_path": self.path or PATHS[self.unit],
                "return_method": "counter",
                "applicant": {"full_name": "Lò Văn Hùng", "phone": "0912345678", "email": None,
                              "address": "Bản Hưng Mai"}, "delivery_address": None, "fee_vnd": 0}

    def _add(self, event_type: str, data: dict, source: str = "/motcua/intake") -> "Story":
        self.events.append(new_event(event_type, source=source, subject=self.code, data=data))
        return self

    def _change(self, event_type: str, when: str, **extra) -> "Story":
        return self._add(event_type, {"code": self.code, "occurred_at": when, "actor": "officer-7", **extra})

    def submitted(self, when: str) -> "Story":
        return self._add(dossier_events.DOSSIER_SUBMITTED, {**self._facts(), "submitted_at": when})

    def received(self, when: str, due: str) -> "Story":
        return self._add(dossier_events.DOSSIER_RECEIVED, {**self._facts(), "received_at": when, "due_at": due})

    def refused(self, when: str) -> "Story":
        return self._change(dossier_events.DOSSIER_REFUSED, when, reason="Không đủ điều kiện.")

    def supplement_requested(self, when: str) -> "Story":
        return self._change(dossier_events.DOSSIER_SUPPLEMENT_REQUESTED, when, stage="processing", items=[],
                            note="Thiếu bản sao Giấy khai sinh.")

    def supplement_received(self, when: str, paused_from: str, due: str) -> "Story":
        return self._change(dossier_events.DOSSIER_SUPPLEMENT_RECEIVED, when, paused_from=paused_from, due_at=due)

    def withdrawal_requested(self, when: str) -> "Story":
        return self._change(dossier_events.DOSSIER_WITHDRAWAL_REQUESTED, when, reason="Không còn nhu cầu.")

    def withdrawn(self, when: str) -> "Story":
        return self._change(dossier_events.DOSSIER_WITHDRAWN, when, reason="Không còn nhu cầu.")

    def processed(self, when: str, due: str) -> "Story":
        return self._change(dossier_events.DOSSIER_PROCESSED, when, result="approved", note=None, due_at=due)

    def returned(self, when: str) -> "Story":
        return self._change(dossier_events.DOSSIER_RETURNED, when, method="counter")

    def apology(self, when: str, original_due: str, new_due: str) -> "Story":
        return self._add(route.APOLOGY_ISSUED, {"dossier_code": self.code, "original_due_at": original_due,
                                                "new_due_at": new_due, "reason": "Cần xác minh thêm.",
                                                "issued_at": when, "unit": self.unit}, source="/motcua/routing")


def code(number: int, unit: str = "04222") -> str:
    return f"H52.{unit}-190301-{number:04d}"


@cache
def stories() -> tuple[Story, ...]:
    """Built once per test session: the same events, with the same ids, every time they are fed."""
    return (
        # Early: processed two days before the appointment's day.
        Story(code(1)).received(t("03-04"), t("03-07")).processed(t("03-05", "10:00"), t("03-07"))
        .returned(t("03-06", "09:00")),
        # On time: the appointment's day, an hour before it.
        Story(code(2), channel="online").received(t("03-04", "09:00"), t("03-06", "16:00"))
        .processed(t("03-06", "15:00"), t("03-06", "16:00")),
        # On time: exactly at the appointment (completed_at <= due).
        Story(code(3, "04204"), unit="04204", channel="postal").received(t("03-05"), t("03-08"))
        .processed(t("03-08"), t("03-08")),
        # Late.
        Story(code(4, "04204"), unit="04204").received(t("03-05", "09:00"), t("03-07", "09:00"))
        .processed(t("03-11", "10:00"), t("03-07", "09:00")),
        # In progress at the end of March, appointment in April: within the deadline.
        Story(code(5, "04168"), unit="04168").received(t("03-27", "09:00"), t("04-03", "09:00")),
        # In progress at the end of March, appointment passed on 25 March: overdue.
        Story(code(6, "04168"), unit="04168", channel="online").received(t("03-20", "09:00"), t("03-25", "09:00")),
        # Paused for a supplement from Tue 12 to Mon 18 (4 working days): the appointment moves from
        # Thu 14 to Wed 20; processed Tue 19 → early. Without the pause it would be late.
        Story(code(7)).received(t("03-11"), t("03-14")).supplement_requested(t("03-12"))
        .supplement_received(t("03-18"), t("03-12"), t("03-20")).processed(t("03-19", "10:00"), t("03-20")),
        # Waiting for a supplement since 27 March, before its appointment of 28 March, when March
        # ends: in progress within the deadline (the clock stands still). What happens in April
        # does not change March.
        Story(code(8, "04204"), unit="04204").received(t("03-25"), t("03-28")).supplement_requested(t("03-27", "10:00"))
        .supplement_received(t("04-08"), t("03-27", "10:00"), t("04-11", "07:00"))
        .processed(t("04-10"), t("04-11", "07:00")),
        # Inter-agency (liên thông), on time: the appointment's day, half an hour early.
        Story(code(9), inter_agency=True, procedure_code="MC.010", sector="Hộ tịch - Cư trú - Bảo hiểm y tế (liên thông)")
        .received(t("03-06"), t("03-13")).processed(t("03-13", "07:30"), t("03-13")),
        # Inter-agency, apologised on 20 March with a new date of 28 March, still open at the end of
        # March: overdue against its appointment of 21 March (the apology does not move it).
        Story(code(10, "04204"), unit="04204", channel="online", inter_agency=True, procedure_code="MC.010",
              sector="Hộ tịch - Cư trú - Bảo hiểm y tế (liên thông)")
        .received(t("03-14"), t("03-21")).apology(t("03-20"), t("03-21"), t("03-28"))
        .processed(t("04-02"), t("03-21")),
        # Carried over from February, processed on its appointment's day: on time.
        Story(code(11)).received(t("02-25"), t("03-04")).processed(t("03-04", "07:30"), t("03-04")),
        # Carried over from February, a long procedure still running: within the deadline.
        Story(code(12, "04168"), unit="04168", channel="postal", procedure_code="2.000806", level="district")
        .received(t("02-27"), t("04-10")),
        # Resolved in February: not in March's table.
        Story(code(13)).received(t("02-20"), t("02-25")).processed(t("02-22"), t("02-25")),
        # Received in April: not in March's table.
        Story(code(14)).received(t("04-02"), t("04-05")),
        # Submitted online, never accepted at a desk: not received, not counted.
        Story(code(15), channel="online").submitted(t("03-10")),
        # Submitted online, refused at reception: not counted.
        Story(code(16), channel="online").submitted(t("03-11")).refused(t("03-12")),
        # Withdrawn after reception, before its appointment: resolved on time (never early).
        Story(code(17)).received(t("03-15"), t("03-20")).withdrawal_requested(t("03-18", "09:00"))
        .withdrawn(t("03-18", "10:00")),
        # Apologised (new date 15 March), processed on 14 March: late against the appointment of 12 March.
        Story(code(18, "04204"), unit="04204").received(t("03-07"), t("03-12")).apology(t("03-11"), t("03-12"), t("03-15"))
        .processed(t("03-14", "10:00"), t("03-12")),
        # Received at another district's desk (Mai Sơn, 125): outside Sông Mã.
        Story(code(19, "125"), unit="125", procedure_code="2.000806", level="district").received(t("03-05"), t("03-08"))
        .processed(t("03-06"), t("03-08")),
        # Two supplement requests, processed on the appointment's day before the instant: on time in
        # Biểu 06, but late for Decision 766 §2.1 (more than one request).
        Story(code(20, "04168"), unit="04168").received(t("03-04"), t("03-11")).supplement_requested(t("03-05"))
        .supplement_received(t("03-06"), t("03-05"), t("03-12")).supplement_requested(t("03-07"))
        .supplement_received(t("03-08"), t("03-07"), t("03-13")).processed(t("03-13", "07:00"), t("03-13")),
    )


def events() -> list[Event]:
    return [event for story in stories() for event in story.events]


# Where each dossier lands in March 2019 for district 126: (received column, outcome column).
PLACEMENTS = {
    code(1): ("counter_postal", "early"),
    code(2): ("online", "on_time"),
    code(3, "04204"): ("counter_postal", "on_time"),
    code(4, "04204"): ("counter_postal", "late"),
    code(5, "04168"): ("counter_postal", "within_deadline"),
    code(6, "04168"): ("online", "overdue"),
    code(7): ("counter_postal", "early"),
    code(8, "04204"): ("counter_postal", "within_deadline"),
    code(9): ("counter_postal", "on_time"),
    code(10, "04204"): ("online", "overdue"),
    code(11): ("carried_over", "on_time"),
    code(12, "04168"): ("carried_over", "within_deadline"),
    code(17): ("counter_postal", "on_time"),
    code(18, "04204"): ("counter_postal", "late"),
    code(20, "04168"): ("counter_postal", "on_time"),
}

EXPECTED = {
    "received": {"total": 15, "online": 3, "counter_postal": 10, "carried_over": 2},
    "resolved": {"total": 10, "early": 2, "on_time": 6, "late": 2},
    "in_progress": {"total": 5, "within_deadline": 3, "overdue": 2},
    "one_stop": {
        "received": {"total": 13, "online": 2, "counter_postal": 9, "carried_over": 2},
        "resolved": {"total": 9, "early": 2, "on_time": 5, "late": 2},
        "in_progress": {"total": 4, "within_deadline": 3, "overdue": 1},
    },
    "inter_agency": {
        "received": {"total": 2, "online": 1, "counter_postal": 1, "carried_over": 0},
        "resolved": {"total": 1, "early": 0, "on_time": 1, "late": 0},
        "in_progress": {"total": 1, "within_deadline": 0, "overdue": 1},
    },
}
