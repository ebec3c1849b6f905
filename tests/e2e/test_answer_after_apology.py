"""Facts keep their times, through the real services (issue 17): routing's deadline sweep apologises
for a dossier whose province answers are still to come; the answers then arrive, dated when the steps
really ended, long before the apology. The dossier ends at that `completed_at` in routing, at the
desk and in Biểu 06, which counts it early, and the apology stays in its history."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua_shared.events.catalogue.route import APOLOGY_ISSUED

from motcua_testing.waiting import wait_for
from routing.support import TZ, answer_every_step, clock_offset_to, published, steps_queue, wait_route

pytestmark = pytest.mark.timeout(240)
CITIZEN = {"full_name": "Lò Thị Hoa", "id_number": "014190004321", "phone": "0987654321",
           "email": "hoa@example.vn", "address": "Bản Hưng Mai, xã Chiềng Khương"}


def test_a_province_answer_dated_before_the_sweeps_apology_ends_the_dossier_when_it_happened(system):
    steps_queue(system.amqp_url, "test.province-handler", "step.#")  # the test answers as the province
    system.start_workers("intake", "reporting")
    # Routing believes it is a month later: every appointment has passed, the sweep apologises at once.
    system.processes.start("routing-worker", "routing", "worker", {
        "ROUTING_LOCAL_UNITS": "99", "ROUTING_SWEEP_SECONDS": "0.5",
        "MOTCUA_CLOCK_OFFSET_SECONDS": clock_offset_to(datetime.now(TZ) + timedelta(days=30))})

    intake = system.client("intake")
    desk = system.auth("receptionist", unit="04222")
    created = intake.post("/api/v1/dossiers", headers=desk, json={
        "procedure_code": "1.004873", "channel": "counter", "receiving_unit": "04222", "applicant": CITIZEN,
        "return_method": "counter",
        "documents": [{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "copy_type": "original", "count": 1}],
    })
    assert created.status_code == 201, created.get_json()
    code = created.get_json()["code"]

    def detail() -> dict:
        return intake.get(f"/api/v1/dossiers/{code}", headers=desk).get_json()

    received_at, due_at = (datetime.fromisoformat(detail()[name]) for name in ("received_at", "due_at"))
    wait_route(system, code, "in_progress")
    [apology] = wait_for(lambda: published(system, APOLOGY_ISSUED, code), timeout=60, what="the sweep's apology")
    issued_at = datetime.fromisoformat(apology["data"]["issued_at"])
    assert issued_at > due_at
    wait_for(lambda: "apology" in [h["action"] for h in detail()["history"]], timeout=60,
             what="the desk to record the apology")

    # The province's answers, one per step, each dated a second after the one before it (a moment
    # before the answer is sent, weeks before routing's clock).
    ended = answer_every_step(system, code, started=received_at, each=timedelta(seconds=1))
    finished = wait_route(system, code, "completed")
    assert finished["completed_at"] == ended and finished["apology_issued_at"] == issued_at

    wait_for(lambda: detail()["status"] == "processed", timeout=60, what="the result at the desk")
    done = detail()
    assert datetime.fromisoformat(done["processed_at"]) == ended < due_at
    history = done["history"]
    assert [h["action"] for h in history][-2:] == ["process", "apology"]
    moments = [datetime.fromisoformat(h["occurred_at"]) for h in history]
    assert moments == sorted(moments)

    first, last = received_at.astimezone(TZ).date().isoformat(), ended.astimezone(TZ).date().isoformat()
    reporting = system.client("reporting")

    def summary():
        body = reporting.get(f"/api/v1/reports/summary?from={first}&to={last}&unit=04222",
                             headers=system.auth("leader", unit="04222")).get_json()
        return body if body.get("resolved", {}).get("total") == 1 else None

    figures = wait_for(summary, timeout=60, what="reporting to count the dossier resolved")
    assert figures["resolved"]["late"] == 0
    assert figures["resolved"]["early"] == 1  # ended on the day of its receipt, days before the appointment
    assert figures["in_progress"]["total"] == 0
