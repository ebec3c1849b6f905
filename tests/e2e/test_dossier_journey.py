"""A dossier's whole journey through the five real services, on the real broker and databases:
received at a commune desk, processed by the commune's specialist in routing's work inbox, result
ready at the desk, returned to the citizen, counted by reporting. Every event any service
published on the way validates against the committed JSON Schemas (the contract outsiders read)."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from motcua_shared.settings import SERVICES

from motcua_testing.waiting import wait_for

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "events" / "schemas"
TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


def schema_validator(event_type: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{event_type}.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def open_step(system, code: str):
    answer = system.client("routing").get("/api/v1/steps?status=open", headers=system.auth("specialist", unit="04222"))
    assert answer.status_code == 200, answer.get_json()
    return next((s for s in answer.get_json()["items"] if s["dossier_code"] == code), None)


def dossier_status(system, code: str) -> str:
    answer = system.client("intake").get(f"/api/v1/dossiers/{code}", headers=system.auth("receptionist", unit="04222"))
    return answer.get_json()["status"]


def test_a_commune_dossier_travels_through_every_service(system):
    system.start_workers()
    intake = system.client("intake")
    received = intake.post("/api/v1/dossiers", headers=system.auth("receptionist", unit="04222"), json={
        "procedure_code": "1.004873", "channel": "counter", "receiving_unit": "04222",
        "applicant": {"full_name": "Lò Thị Hoa", "id_number": "014190004321", "phone": "0987654321",
                      "email": "hoa@example.vn", "address": "Bản Hưng Mai, xã Chiềng Khương"},
        "return_method": "counter",
        "documents": [{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "copy_type": "original", "count": 1}],
    })
    assert received.status_code == 201, received.get_json()
    code = received.get_json()["code"]

    # The commune's route has several steps (e.g. the civil-status officer processes, the chairman
    # signs): work through the inbox until routing reports the route complete.
    routing = system.client("routing")
    officer = system.auth("specialist", "leader", unit="04222", sub="officer-04222")
    for _ in range(10):
        step = wait_for(lambda: open_step(system, code) or dossier_status(system, code) == "processed", timeout=60,
                        what="the next step in the commune's work inbox")
        if step is True:
            break
        claimed = routing.post(f"/api/v1/steps/{step['step_id']}/claim", headers=officer)
        assert claimed.status_code == 200, claimed.get_json()
        done = routing.post(f"/api/v1/steps/{step['step_id']}/complete", headers=officer, json={"outcome": "approved"})
        assert done.status_code == 200, done.get_json()
        wait_for(lambda: (open_step(system, code) or {}).get("step_id") != step["step_id"], what="the step to close")

    wait_for(lambda: dossier_status(system, code) == "processed", timeout=60, what="the result at the desk")
    returned = intake.post(f"/api/v1/dossiers/{code}/return", headers=system.auth("receptionist", unit="04222"),
                           json={"method": "counter"})
    assert returned.status_code == 200, returned.get_json()
    assert returned.get_json()["status"] == "returned"

    reporting = system.client("reporting")

    def summary():
        answer = reporting.get(f"/api/v1/reports/summary?from={TODAY}&to={TODAY}&unit=04222",
                               headers=system.auth("leader", unit="04222"))
        body = answer.get_json()
        return body if body.get("resolved", {}).get("total") == 1 else None

    figures = wait_for(summary, timeout=60, what="reporting to count the dossier resolved")
    assert figures["received"]["total"] == 1 and figures["received"]["counter_postal"] == 1
    assert figures["resolved"]["early"] + figures["resolved"]["on_time"] == 1
    assert figures["in_progress"]["total"] == 0
    assert figures["one_stop"]["resolved"]["total"] == 1

    # Every event every service published validates against the documented contract.
    published = []
    for service in SERVICES:
        wait_for(lambda: system.runtime(service).outbox_store("e2e").lag()[0] == 0, what=f"{service}'s outbox to drain")
        published += [(service, json.loads(row["body"])) for row in system.rows(service, "outbox")]
    assert {e["type"] for _, e in published} >= {
        "vn.motcua.dossier.received", "vn.motcua.route.started", "vn.motcua.routing.step.assigned",
        "vn.motcua.routing.step.completed", "vn.motcua.route.completed", "vn.motcua.dossier.processed",
        "vn.motcua.dossier.returned"}
    for service, event in published:
        errors = sorted(schema_validator(event["type"]).iter_errors(event), key=str)
        assert not errors, f"{service} published an invalid {event['type']}: {errors[0].message}"

    # Nothing was dead-lettered anywhere, and no personal data reached any worker's log.
    from motcua_testing.pipeline import dead_letters

    assert set(dead_letters(system.amqp_url).values()) == {0}
    for service in SERVICES:
        log = system.processes.log(f"{service}-worker")
        for secret in ("014190004321", "0987654321", "hoa@example.vn"):
            assert secret not in log, f"personal data in {service}'s log"


@pytest.mark.parametrize("service", SERVICES)
def test_every_consumer_accepts_the_documented_examples_of_what_it_consumes(system, service):
    """One contract per consumer and event: the documented example, published as its producer would,
    is consumed without being dead-lettered (the handler may ignore it, e.g. an unknown dossier)."""
    import pika

    from motcua_shared.broker.catalogue import SUBSCRIPTIONS
    from motcua_shared.broker.topology import dead_letter_queue
    from motcua_shared.events import new_event, registry

    from motcua_testing.pipeline import dead_letters

    def binding_matches(key: str, event_type: str) -> bool:
        from fnmatch import fnmatch

        return key == "#" or fnmatch(event_type, key.replace(".#", "*"))

    consumed = sorted({entry.type for entry in registry.all_types() for sub in SUBSCRIPTIONS[service]
                       for exchange, key in sub.sources
                       if exchange == f"{entry.producer}.events" and binding_matches(key, entry.type)})
    if not consumed:
        pytest.skip(f"{service} consumes no domain events")
    system.start_workers(service)
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    channel = connection.channel()
    channel.confirm_delivery()
    sent = set()
    for event_type in consumed:
        entry = registry.get(event_type)
        event = new_event(event_type, source=f"/motcua/{entry.producer}", data=json.loads(json.dumps(entry.example)))
        channel.basic_publish(f"{entry.producer}.events", event_type, event.to_json(),
                              pika.BasicProperties(message_id=event.id, delivery_mode=2,
                                                   content_type="application/cloudevents+json"))
        sent.add(event.id)
    connection.close()
    # The inbox may also hold events the service caused itself (routing consumes its own steps).
    wait_for(lambda: sent <= {row["event_id"] for row in system.rows(service, "inbox")}, timeout=60,
             what=f"{service} to consume {len(consumed)} documented examples")
    assert dead_letters(system.amqp_url)[dead_letter_queue(f"{service}.inbox")] == 0
