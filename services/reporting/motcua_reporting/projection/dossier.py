"""Fold the timeline entries of one dossier into its `dossiers` row.

`project` is a pure function of the SET of entries (and the working calendar): it sorts them by
their own moments (then by event id, so ties are broken the same way every time) and never looks at
arrival order. Applying the same events twice, late, or shuffled therefore gives the same row, and
the rebuild from the event store gives the row the live consumer wrote.

What ends a received dossier's processing (Decision 766 §2.1 "end-of-processing events", docs/domain.md
§5.3): `processed` (DVCQG 9) when there is one, else `returned` (10; "if both 9 and 10 exist, use
9"), else the first of `withdrawn` (8), `refused` or `redirected` that happened after reception.
"""
from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, Iterable

from motcua_shared.workcal import WorkingCalendar

from . import times
from .clock import Apology, Clock, Deadline, Pause
from .timeline import (APOLOGY, PAID, PROCESSED, RECEIVED, REDIRECTED, REFUSED, RETURNED, ROUTE_HANDED_OVER,
                       ROUTE_STARTED, SUBMITTED, SUPPLEMENT_RECEIVED, SUPPLEMENT_REQUESTED, WITHDRAWN, Entry)
from .timeline import PAYMENT_REQUESTED, RESCHEDULED, STOPPED

RESULT_KINDS = (PROCESSED, RETURNED)  # a result exists: it may be early
# Stopped without a result: on time or late, never early. The agency's stop (DVCQG 8) ends processing
# like a withdrawal: Decision 766 lists "stopped" among the end-of-processing events; Biểu 06 does not
# count it as resolved (status 9), and it is no longer in progress (docs/lifecycle.md).
STOP_KINDS = (WITHDRAWN, REFUSED, REDIRECTED, STOPPED)
END_KINDS = {PROCESSED: "processed", RETURNED: "returned", WITHDRAWN: "withdrawn", REFUSED: "refused",
             REDIRECTED: "redirected", STOPPED: "stopped"}


@cache
def calendar() -> WorkingCalendar:
    """The national working calendar (office hours 07:00–11:30, 13:30–17:00, public holidays): the length
    of a working day. Durations are measured with the province's (`project`'s `calendar`)."""
    return WorkingCalendar()


def project(code: str, entries: Iterable[Entry], *, calendar: WorkingCalendar) -> dict[str, Any]:
    ordered = sorted(entries, key=lambda entry: (entry.occurred_at, entry.event_id))
    received, submitted = _first(ordered, RECEIVED), _first(ordered, SUBMITTED)
    row = {"code": code, **_facts(received or submitted), **_competent(received or submitted, ordered),
           "submitted_at": submitted.occurred_at if submitted is not None else None, "received_at": None,
           "due_at": None, "ended_at": None, "end_kind": None, "end_class": None, "end_due_at": None,
           "handling_minutes": None, "supplement_requests": 0, "apologised": _first(ordered, APOLOGY) is not None,
           # Decision 766 §3.6: a payment recorded as made online (DuocThanhToanTrucTuyen 1 or 2).
           "paid_online": any(entry.kind == PAID and (entry.facts or {}).get("online") in (1, 2) for entry in ordered),
           "clock": Clock().to_json()}
    if received is None:
        return row  # submitted online or by post, not accepted at a desk: not the state's obligation yet
    received_at = received.occurred_at
    after_reception = [entry for entry in ordered if entry.occurred_at >= received_at]
    clock = _clock(received, after_reception, _first(ordered, APOLOGY))
    row.update(received_at=received_at, due_at=clock.due_at(datetime.max.replace(tzinfo=received_at.tzinfo)),
               supplement_requests=sum(entry.kind == SUPPLEMENT_REQUESTED for entry in after_reception),
               clock=clock.to_json())
    end = _end(ordered, after_reception)
    if end is not None:
        ended_at = max(end.occurred_at, received_at)
        stopped = clock.stopped_at(ended_at)
        due = clock.due_at(stopped)
        row.update(ended_at=ended_at, end_kind=END_KINDS[end.kind], end_due_at=due,
                   end_class=end_class(end.kind, stopped, due),
                   handling_minutes=_handling_minutes(calendar, clock, received_at, ended_at))
    return row


def end_class(kind: str, stopped: datetime, due: datetime) -> str:
    """Late after the appointment instant; early when the result came on an earlier (local) day than
    the appointment's; otherwise on time. Stopped dossiers (withdrawn, refused) are never early."""
    if stopped > due:
        return "late"
    if kind in RESULT_KINDS and times.local_day(stopped) < times.local_day(due):
        return "early"
    return "on_time"


def _first(ordered: list[Entry], kind: str) -> Entry | None:
    return next((entry for entry in ordered if entry.kind == kind), None)


def _facts(source: Entry | None) -> dict[str, Any]:
    facts = (source.facts if source else None) or {}
    path = facts.get("receiving_unit_path") or ""
    segments = {len(segment): segment for segment in path.split(".") if segment}
    return {
        "procedure_code": facts.get("procedure_code"), "procedure_level": facts.get("procedure_level"),
        "sector": facts.get("sector"), "inter_agency": bool(facts.get("inter_agency")),
        "channel": facts.get("channel"), "receiving_unit": facts.get("receiving_unit"),
        "receiving_unit_path": path or None, "province_code": segments.get(2), "district_code": segments.get(3),
        "commune_code": segments.get(5),
    }


def _competent(source: Entry | None, ordered: list[Entry]) -> dict[str, Any]:
    """The unit that resolves the dossier, for Biểu 06 by the resolving agency (`attribution=competent`).

    From routing's latest plan (`route.started`; a plan made again replaces the earlier one): the last
    step at the level the procedure is decided at (`procedure_level`, which intake sends for the day of
    reception), or the plan's last step when none is at that level. A three-level liên thông procedure
    decided by the province (commune → district → province) is the province's; a liên thông group
    registered at the commune (birth or death registration with residence and benefits) stays the
    commune's, though later steps go to the district police or the province's social insurance. When
    that step was handed to a successor at the 2025 reform (`route.handed_over`), the successor's unit.
    Before routing has planned it (or for history imported without its route): the competent unit
    intake recorded at reception, which is the receiving unit unless the desk named another."""
    facts = (source.facts if source else None) or {}
    plans = [entry for entry in ordered if entry.kind == ROUTE_STARTED and entry.facts]
    if plans:
        steps = sorted(plans[-1].facts["steps"], key=lambda step: step["sequence"])
        deciding = [step for step in steps if step["level"] == facts.get("procedure_level")] or steps
        decisive = deciding[-1]
        unit, path = decisive["unit"], decisive["unit_path"]
        for entry in ordered:
            if entry.kind == ROUTE_HANDED_OVER and entry.occurred_at >= plans[-1].occurred_at and entry.facts:
                for step in entry.facts["steps"]:
                    if step["sequence"] == decisive["sequence"]:
                        unit, path = step["to_unit"], step["to_unit_path"]
    else:
        unit = facts.get("competent_unit") or facts.get("receiving_unit")
        path = facts.get("competent_unit_path") or (facts.get("receiving_unit_path") if unit == facts.get(
            "receiving_unit") else None)
    segments = {len(segment): segment for segment in (path or "").split(".") if segment}
    return {"competent_unit": unit, "competent_unit_path": path, "competent_province_code": segments.get(2),
            "competent_district_code": segments.get(3), "competent_commune_code": segments.get(5)}


def _clock(received: Entry, after_reception: list[Entry], apology: Entry | None) -> Clock:
    deadlines = [Deadline(received.occurred_at, received.due_at)]
    closed = []
    for entry in after_reception:
        # A payment recorded moves the appointment by the wait exactly as a supplement received does.
        if entry.kind in (SUPPLEMENT_RECEIVED, PAID):
            deadlines.append(Deadline(entry.occurred_at, entry.due_at, moved_by_pause=True))
            closed.append(Pause(max(entry.paused_from, received.occurred_at), entry.occurred_at))
        elif entry.kind in (PROCESSED, RESCHEDULED):  # a declared day off moves the appointment from then on
            deadlines.append(Deadline(entry.occurred_at, entry.due_at))
    # A request no supplement has answered yet: the clock has stood still since it.
    still_open = [Pause(entry.occurred_at, None) for entry in after_reception
                  if entry.kind in (SUPPLEMENT_REQUESTED, PAYMENT_REQUESTED)
                  and not any(pause.start <= entry.occurred_at <= pause.end for pause in closed)]
    return Clock(deadlines=tuple(sorted(deadlines)), pauses=tuple(sorted(closed + still_open)),
                 apology=None if apology is None else Apology(apology.occurred_at, apology.original_due_at))


def _end(ordered: list[Entry], after_reception: list[Entry]) -> Entry | None:
    for kind in RESULT_KINDS:
        found = _first(ordered, kind)
        if found is not None:
            return found
    return next((entry for entry in after_reception if entry.kind in STOP_KINDS), None)


def _handling_minutes(cal: WorkingCalendar, clock: Clock, received_at: datetime, ended_at: datetime) -> int:
    """Decision 766 §2.2 ThoiGianGiaiQuyet: working time from reception to the end, pauses excluded."""
    paused = sum(cal.working_minutes_between(start, end) for start, end in clock.paused_between(received_at, ended_at))
    return max(cal.working_minutes_between(received_at, ended_at) - paused, 0)
