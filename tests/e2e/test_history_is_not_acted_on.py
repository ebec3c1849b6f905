"""History is recorded, not acted on (issue 17, part 2), through the real services: a dossier of March
2019 brought in by an administrator, its steps answered by the province with their 2019 times, while
routing's sweep runs every half second. Every service records it and reporting counts it in March
2019; no SMS or e-mail is written, no shipment asked of the post (though its result was to go by
post), and no warning, escalation or apology is issued, though its appointment passed years ago."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from motcua_shared.events.catalogue.route import APOLOGY_ISSUED, DEADLINE_ESCALATED, DEADLINE_WARNED

from motcua_testing.waiting import wait_for
from routing.support import TZ, answer_every_step, published, steps_queue, wait_route

pytestmark = pytest.mark.timeout(240)
CITIZEN = {"full_name": "Lò Thị Hoa", "id_number": "014190004321", "phone": "0987654321",
           "email": "hoa@example.vn", "address": "Bản Hưng Mai, xã Chiềng Khương"}
RECEIVED = datetime(2019, 3, 15, 8, 30, tzinfo=TZ)


def test_a_dossier_brought_in_from_2019_is_counted_and_nobody_is_disturbed(system):
    steps_queue(system.amqp_url, "test.province-handler", "step.#")  # the test answers as the province
    system.start_workers("intake", "notification", "postal", "reporting")
    system.processes.start("routing-worker", "routing", "worker",
                           {"ROUTING_LOCAL_UNITS": "99", "ROUTING_SWEEP_SECONDS": "0.5"})

    intake = system.client("intake")
    admin = system.auth("admin", unit="14")
    created = intake.post("/api/v1/dossiers", headers=admin, json={
        "procedure_code": "1.004873", "channel": "counter", "receiving_unit": "04222", "applicant": CITIZEN,
        "return_method": "postal", "delivery_address": CITIZEN["address"], "received_at": RECEIVED.isoformat(),
        "documents": [{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "copy_type": "original", "count": 1}],
    })
    assert created.status_code == 201, created.get_json()
    code = created.get_json()["code"]

    def detail() -> dict:
        return intake.get(f"/api/v1/dossiers/{code}", headers=admin).get_json()

    assert detail()["historical"] is True
    wait_route(system, code, "in_progress")
    time.sleep(2)  # four sweeps see the route while its 2019 appointment is long past
    ended = answer_every_step(system, code, started=RECEIVED, each=timedelta(hours=4))
    wait_route(system, code, "completed")
    wait_for(lambda: detail()["status"] == "processed", timeout=60, what="the result at the desk")
    assert datetime.fromisoformat(detail()["processed_at"]) == ended

    reporting = system.client("reporting")

    def march_2019():
        body = reporting.get("/api/v1/reports/summary?from=2019-03-01&to=2019-03-31&unit=04222",
                             headers=system.auth("leader", unit="04222")).get_json()
        return body if body.get("resolved", {}).get("total") == 1 else None

    figures = wait_for(march_2019, timeout=60, what="reporting to count the 2019 dossier")
    assert figures["received"]["total"] == 1 and figures["resolved"]["late"] == 0

    time.sleep(2)  # what would follow from the result (a message, a shipment) has had its time
    assert not [m for m in system.rows("notification", "messages") if m.get("dossier_code") == code]
    assert not [s for s in system.rows("postal", "shipments") if s.get("dossier_code") == code]
    for kind in (DEADLINE_WARNED, DEADLINE_ESCALATED, APOLOGY_ISSUED):
        assert not published(system, kind, code), kind
    assert "apology" not in [h["action"] for h in detail()["history"]]
