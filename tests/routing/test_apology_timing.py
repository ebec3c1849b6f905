"""When the deadline sweep apologises (Mẫu 04): Decree 61 wants the apology with a new appointment at
least one working day before the appointment, and only once. The sweep issues it one working day
before the appointment for a route still in progress, or earlier once lateness is certain; never for
a route that finished, never for a historical one, never twice.

Four dossiers of 1.004884 (5 working days; the commune's processing gets 75 %, 30 working hours, the
chairman's signature 25 %, 10), all received Monday 11/03/2019 08:00 and due Monday 18/03/2019 08:00.
Office hours 07:00–11:30 and 13:30–17:00 (8 working hours a day). Worked by hand:

    processing step due Thursday 14/03 16:00 (Mon 7 h + Tue 8 + Wed 8 + Thu 07:00–11:30 and 13:30–16:00)
    one working day before the appointment: Friday 15/03 08:00 (Fri 08:00–17:00 = 7 h, Mon 07:00–08:00 = 1 h)

    ON_TRACK    processing answered Wednesday 13/03 09:30; the signature stays open
    DONE        both steps answered Wednesday 13/03 (09:30, 09:45): finished in time
    STUCK       nobody answers: at Thursday 16:01 the signature's 10 h no longer fit in what is left
    HISTORICAL  brought in from the past, never answered
"""
from __future__ import annotations

from datetime import datetime

import pytest

from motcua_shared.events.catalogue.route import APOLOGY_ISSUED

from routing.support import (answer, clock_offset_to, local, open_step, published, receive, received, steps,
                             steps_queue, wait_route)
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(180)
ON_TRACK, DONE, STUCK, HISTORICAL = (f"H52.04222-190311-000{n}" for n in range(1, 5))
RECEIVED_AT = local("2019-03-11T08:00")
WORKER = "routing-worker"


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def run_worker(system, now: datetime) -> None:
    """One routing worker believing it is `now`, sweeping five times a second."""
    system.processes.stop_all()
    system.processes.procs.clear()
    system.processes.start(WORKER, "routing", "worker", {
        "ROUTING_LOCAL_UNITS": "99", "ROUTING_SWEEP_SECONDS": "0.2", "LOG_LEVEL": "DEBUG",
        "MOTCUA_CLOCK_OFFSET_SECONDS": clock_offset_to(now)})


def let_sweep(system, times: int = 5) -> None:
    def sweeps() -> int:
        return system.processes.log(WORKER).count('"deadline_sweep"')

    target = sweeps() + times
    wait_for(lambda: sweeps() >= target, what="more sweeps")


def apologies(system, code: str) -> list[dict]:
    return [e["data"] for e in published(system, APOLOGY_ISSUED, code)]


def answer_open_step(system, code: str, at: datetime) -> None:
    step = wait_for(lambda: open_step(system, code), what=f"the open step of {code}")
    answer(system, step["step_id"], code, completed_at=at, handled_by="UBND xã Chiềng Khương")
    wait_for(lambda: (open_step(system, code) or {}).get("step_id") != step["step_id"], what="the step to close")


def test_the_apology_comes_one_working_day_before_the_appointment_once(system):
    steps_queue(system.amqp_url, "test.external-handler", "step.#")  # the test answers as the commune

    # Wednesday 13/03 10:00: every route is on schedule; two steps are answered.
    run_worker(system, local("2019-03-13T10:00"))
    receive(system, received(ON_TRACK, "1.004884", RECEIVED_AT), received(DONE, "1.004884", RECEIVED_AT),
            received(STUCK, "1.004884", RECEIVED_AT),
            {**received(HISTORICAL, "1.004884", RECEIVED_AT), "historical": True})
    for code in (ON_TRACK, DONE, STUCK, HISTORICAL):
        wait_route(system, code, "in_progress")
    assert steps(system, STUCK)[0]["due_at"] == local("2019-03-14T16:00")
    answer_open_step(system, ON_TRACK, local("2019-03-13T09:30"))
    answer_open_step(system, DONE, local("2019-03-13T09:30"))
    answer_open_step(system, DONE, local("2019-03-13T09:45"))
    wait_route(system, DONE, "completed")
    let_sweep(system)
    assert all(apologies(system, code) == [] for code in (ON_TRACK, DONE, STUCK, HISTORICAL))

    # Friday 15/03 07:30: 8 h 30 min of working time left before Monday 08:00, more than a working day:
    # no apology for ON_TRACK yet. STUCK's processing overran on Thursday 16:00 and the signature's
    # 10 h no longer fit in 8 h 30: lateness is certain, apologised for at once.
    run_worker(system, local("2019-03-15T07:30"))
    wait_for(lambda: apologies(system, STUCK), what="STUCK's apology")
    let_sweep(system)
    assert apologies(system, ON_TRACK) == []
    [stuck] = apologies(system, STUCK)
    assert local("2019-03-15T07:30") <= moment(stuck["issued_at"]) < local("2019-03-15T07:31")
    assert moment(stuck["original_due_at"]) == local("2019-03-18T08:00")
    # The appointment (Monday 08:00, later than now) plus 30 + 10 working hours: five working days on.
    assert moment(stuck["new_due_at"]) == local("2019-03-25T08:00")

    # Friday 15/03 08:00, exactly one working day before the appointment: ON_TRACK's signature is still
    # open, so the apology comes now, not at the appointment.
    run_worker(system, local("2019-03-15T08:00"))
    wait_for(lambda: apologies(system, ON_TRACK), what="ON_TRACK's apology")
    let_sweep(system)
    [on_track] = apologies(system, ON_TRACK)
    assert local("2019-03-15T08:00") <= moment(on_track["issued_at"]) < local("2019-03-15T08:01")
    assert moment(on_track["original_due_at"]) == local("2019-03-18T08:00")
    # Monday 08:00 plus the signature's 10 h: Monday 08:00–11:30, 13:30–17:00 (7 h), Tuesday 07:00–10:00.
    assert moment(on_track["new_due_at"]) == local("2019-03-19T10:00")
    assert on_track["unit"] == "04222" and "xin lỗi" in on_track["reason"]

    # Tuesday 19/03 09:00: one working hour before the new appointment, the signature still open. The
    # appointment is re-set only once: nothing more for anyone; none ever for DONE or HISTORICAL.
    run_worker(system, local("2019-03-19T09:00"))
    let_sweep(system)
    assert len(apologies(system, ON_TRACK)) == 1 and len(apologies(system, STUCK)) == 1
    assert apologies(system, DONE) == [] and apologies(system, HISTORICAL) == []
