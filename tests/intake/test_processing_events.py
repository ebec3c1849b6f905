"""The events intake consumes, published on the real broker the way routing and postal publish them
(persistent, confirmed, on their own exchanges), consumed by a real intake worker.

Duplicates (the same event redelivered, or a second event with the same meaning) and events that arrive
after the dossier moved on change nothing; an event about a dossier intake does not hold is dropped,
not dead-lettered.
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from motcua_shared.broker.catalogue import events_exchange
from motcua_shared.events.catalogue import route, shipment

from motcua_testing.pipeline import dead_letters
from motcua_testing.waiting import wait_for

from intake.support import at, dossier, publish, token

ROUTING = events_exchange("routing")
POSTAL = events_exchange("postal")
POSTAL_RETURN = {"return_method": "postal", "delivery_address": "Bản Hưng Mai, xã Chiềng Khương"}
STEPS = [{"step_id": "S-a1", "sequence": 1, "unit": "04222", "unit_path": "14.04222", "level": "commune",
          "action": "process", "budget_hours": 40.0}]


def _import(sut, received_at: datetime, **overrides) -> str:
    answer = sut.client("intake").post("/api/v1/dossiers", headers=token("admin", unit="14"), json=dossier(
        received_at=received_at.isoformat(), **overrides))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["code"]


def _dossier(sut, code: str) -> dict:
    return sut.client("intake").get(f"/api/v1/dossiers/{code}", headers=token("receptionist", unit="04222")).get_json()


def _published(sut, code: str) -> list[dict]:
    """Intake's events about `code`, in the order intake wrote them."""
    rt = sut.runtime("intake")
    table = rt.spec.metadata.tables["outbox"]
    with rt.engine.connect() as conn:
        bodies = conn.execute(select(table.c.body).order_by(table.c.id)).scalars().all()
    return [e for e in map(json.loads, bodies) if e["subject"] == code]


def _handled(sut, count: int) -> bool:
    return sut.count("intake", "inbox") >= count


def _completed(sut, code: str, when: datetime, outcome: str = "approved", note: str | None = None):
    return publish(sut.amqp_url, ROUTING, route.ROUTE_COMPLETED, {
        "dossier_code": code, "outcome": outcome, "completed_at": when.isoformat(), "note": note})


def _started(sut, code: str, when: datetime):
    return publish(sut.amqp_url, ROUTING, route.ROUTE_STARTED, {
        "dossier_code": code, "started_at": when.isoformat(), "due_at": at("2026-05-05 09:00").isoformat(),
        "steps": STEPS})


def _apology(sut, code: str, new_due: datetime, issued: datetime, reason: str):
    return publish(sut.amqp_url, ROUTING, route.APOLOGY_ISSUED, {
        "dossier_code": code, "original_due_at": at("2026-05-05 09:00").isoformat(), "new_due_at": new_due.isoformat(),
        "reason": reason, "issued_at": issued.isoformat(), "unit": "04222"})


def _shipment(sut, code: str, status: str, when: datetime, shipment_id: str):
    return publish(sut.amqp_url, POSTAL, shipment.SHIPMENT_PROGRESSED, {
        "shipment_id": shipment_id, "dossier_code": code, "direction": "result_to_citizen", "status": status,
        "occurred_at": when.isoformat(), "tracking_number": "EB123456789VN"})


def test_news_from_processing_moves_the_dossier_once_whatever_the_order(intake_system):
    sut = intake_system
    sut.start_workers("intake")
    a = _import(sut, at("2026-04-23 09:00"))  # due 05/05 09:00
    b = _import(sut, at("2026-04-23 10:00"))
    started = _started(sut, a, at("2026-04-23 09:05"))
    publish(sut.amqp_url, ROUTING, route.ROUTE_STARTED, {}, event=started)  # redelivered: the same event id
    _apology(sut, a, at("2026-05-08 09:00"), at("2026-05-04 08:00"), "Cần xác minh thêm.")
    _apology(sut, a, at("2026-05-20 09:00"), at("2026-05-04 09:00"), "Lần nữa.")  # the date is reset only once
    _completed(sut, a, at("2026-05-06 15:00"))
    _completed(sut, a, at("2026-05-07 15:00"), "rejected", "Trùng lặp.")  # same meaning, another id: no effect
    _completed(sut, b, at("2026-04-28 10:00"), "rejected", "Không đủ điều kiện.")
    _started(sut, b, at("2026-04-23 10:05"))  # overtaken by the completion: changes nothing
    _completed(sut, "H52.04222-260423-9999", at("2026-04-28 10:00"))  # a dossier intake never had
    wait_for(lambda: _handled(sut, 8), what="intake to handle the eight distinct events")

    first = _dossier(sut, a)
    assert first["status"] == "processed" and first["result"] == "approved"
    assert datetime.fromisoformat(first["processed_at"]) == at("2026-05-06 15:00")
    assert datetime.fromisoformat(first["due_at"]) == at("2026-05-05 09:00")  # what reports judge by
    assert datetime.fromisoformat(first["rescheduled_due_at"]) == at("2026-05-08 09:00")  # shown to the citizen
    assert [h["action"] for h in first["history"]] == ["receive", "transfer", "apology", "process"]
    published = _published(sut, a)
    assert [e["type"] for e in published] == ["vn.motcua.dossier.received", "vn.motcua.dossier.transferred",
                                              "vn.motcua.dossier.processed"]
    assert datetime.fromisoformat(published[-1]["data"]["occurred_at"]) == at("2026-05-06 15:00")
    assert published[-1]["data"]["result"] == "approved" and published[-1]["data"]["actor"] == "routing"

    second = _dossier(sut, b)
    assert second["status"] == "processed" and second["result"] == "rejected"
    assert [e["type"] for e in _published(sut, b)] == ["vn.motcua.dossier.received", "vn.motcua.dossier.processed"]
    assert all(count == 0 for count in dead_letters(sut.amqp_url).values())
    log = sut.processes.log("intake-worker")
    assert '"event_changes_nothing"' in log and '"event_for_unknown_dossier"' in log
    assert not any(personal in log for personal in ("014090001234", "0912345678", "hung@example.vn", "Lò Văn Hùng"))


def test_a_supplement_asked_by_processing_pauses_the_clock_until_the_dossier_moves_on(intake_system):
    sut = intake_system
    sut.start_workers("intake")
    code = _import(sut, at("2026-04-23 09:00"))
    publish(sut.amqp_url, ROUTING, route.ROUTE_SUPPLEMENT_REQUIRED, {
        "dossier_code": code, "step_id": "S-7", "requested_at": at("2026-04-24 09:00").isoformat(),
        "note": "Thiếu bản sao Giấy khai sinh."}, times=2)
    wait_for(lambda: _dossier(sut, code)["status"] == "supplement_required", what="the supplement request")
    assert datetime.fromisoformat(_dossier(sut, code)["paused_from"]) == at("2026-04-24 09:00")
    requested = _published(sut, code)[-1]
    assert requested["type"] == "vn.motcua.dossier.supplement_requested"
    assert requested["data"]["stage"] == "processing" and requested["data"]["note"] == "Thiếu bản sao Giấy khai sinh."
    # Finished while still waiting (rejected for want of the paper): the wait does not count against the agency.
    _completed(sut, code, at("2026-04-28 09:00"), "rejected", "Công dân không bổ sung.")
    wait_for(lambda: _dossier(sut, code)["status"] == "processed", what="the completion")
    done = _dossier(sut, code)
    assert datetime.fromisoformat(done["due_at"]) == at("2026-05-06 09:00") and done["paused_from"] is None
    assert datetime.fromisoformat(_published(sut, code)[-1]["data"]["due_at"]) == at("2026-05-06 09:00")
    assert [e["type"] for e in _published(sut, code)].count("vn.motcua.dossier.supplement_requested") == 1


def test_the_post_delivers_the_result_or_the_desk_is_told_it_could_not(intake_system):
    sut = intake_system
    sut.start_workers("intake")
    delivered = _import(sut, at("2026-04-23 09:00"), **POSTAL_RETURN)
    failed = _import(sut, at("2026-04-23 09:30"), **POSTAL_RETURN)
    unfinished = _import(sut, at("2026-04-23 10:00"), **POSTAL_RETURN)
    _completed(sut, delivered, at("2026-04-29 10:00"))
    _completed(sut, failed, at("2026-04-29 10:00"))
    _shipment(sut, delivered, "picked_up", at("2026-04-29 14:00"), "SH-1")
    _shipment(sut, delivered, "delivered", at("2026-05-04 10:00"), "SH-1")
    _shipment(sut, delivered, "failed", at("2026-05-04 11:00"), "SH-1")  # after the delivery: nothing to flag
    _shipment(sut, failed, "picked_up", at("2026-04-29 14:10"), "SH-2")
    _shipment(sut, failed, "failed", at("2026-05-04 10:30"), "SH-2")
    _shipment(sut, unfinished, "delivered", at("2026-04-29 15:00"), "SH-9")  # no result yet: cannot be returned
    wait_for(lambda: _handled(sut, 8), what="intake to handle the reports")

    first = _dossier(sut, delivered)
    assert first["status"] == "returned" and first["returned_by"] == "postal" and first["postal_issue"] is None
    assert datetime.fromisoformat(first["returned_at"]) == at("2026-05-04 10:00")
    returned = _published(sut, delivered)[-1]
    assert returned["type"] == "vn.motcua.dossier.returned" and returned["data"]["method"] == "postal"

    second = _dossier(sut, failed)
    assert second["status"] == "processed" and second["postal_issue"] == "failed"
    assert [h["action"] for h in second["history"]][-2:] == ["postal_picked_up", "postal_failed"]
    flagged = sut.client("intake").get("/api/v1/dossiers?postal_issue=true",
                                       headers=token("receptionist", unit="04222")).get_json()
    assert [item["code"] for item in flagged["items"]] == [failed]
    assert _dossier(sut, unfinished)["status"] == "received"
    assert [e["type"] for e in _published(sut, unfinished)] == ["vn.motcua.dossier.received"]

    _shipment(sut, failed, "delivered", at("2026-05-06 09:00"), "SH-2")  # the second attempt worked
    wait_for(lambda: _dossier(sut, failed)["status"] == "returned", what="the second attempt")
    assert _dossier(sut, failed)["postal_issue"] is None
    assert all(count == 0 for count in dead_letters(sut.amqp_url).values())
