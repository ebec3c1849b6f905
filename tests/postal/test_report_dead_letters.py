"""Through the real worker: the partner's duplicate and out-of-order reports change nothing, and
what can never be applied (malformed, unknown shipment, impossible time) changes nothing either
and rests in postal.partner-reports.dlq with the reason."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from motcua_shared.events.catalogue.shipment import SHIPMENT_PROGRESSED

from motcua_testing.waiting import wait_for
from postal.harness import (Listener, at, create_partner_user, processed, publish, publish_as_intake, received,
                            report, take_dead_letters)

pytestmark = pytest.mark.timeout(120)


def test_bad_duplicate_and_late_reports_change_nothing_and_the_bad_ones_are_dead_lettered(system):
    partner_url = create_partner_user(system)
    listener = Listener(system.amqp_url, "postal.events", SHIPMENT_PROGRESSED)
    system.start_workers("postal")
    code = "H52.04222-190315-0005"
    publish_as_intake(system.amqp_url, received(code, channel="counter"), processed(code))
    shipment_id = wait_for(lambda: [s["id"] for s in system.rows("postal", "shipments")], what="the shipment")[0]

    def send(*bodies: bytes) -> None:
        publish(partner_url, "postal.partner", "status", list(bodies))

    def history() -> list[tuple[str, bool]]:
        return [(h["status"], h["effective"]) for h in system.rows("postal", "shipment_history")
                if h["source"] == "partner"]

    delivered = report(shipment_id, "delivered", at("2019-03-21 10:40"))
    send(delivered.to_json(), delivered.to_json(),                                # the same report twice
         report(shipment_id, "delivered", at("2019-03-21 10:40")).to_json(),      # again, under a new id
         report(shipment_id, "picked_up", at("2019-03-20 09:15")).to_json(),      # late
         report(shipment_id, "accepted", at("2019-03-20 08:00")).to_json())       # later still
    wait_for(lambda: len(history()) == 4, what="the four distinct reports recorded")

    def broken(**data_changes) -> bytes:
        event = report(shipment_id, "returned").to_dict()
        return json.dumps({**event, "data": {**event["data"], **data_changes}}).encode()

    malformed = {
        "not json": b"EB123456789VN delivered",
        "envelope without id": json.dumps({k: v for k, v in report(shipment_id, "returned").to_dict().items()
                                           if k != "id"}).encode(),
        "unknown status": broken(status="lost"),
        "unknown field": broken(weight_g=120),
        # Hostile bodies, sent as the partner's own broker user: bounded before they are decoded.
        "deep": b"[" * 50_000 + b"]" * 50_000,
        "long number": json.dumps(report(shipment_id, "returned").to_dict()).replace(
            f'"{shipment_id}"', "9" * 5_000).encode(),
        "oversized": broken(note="x" * 300_000),
    }
    unknown = report("SH-000000000000", "delivered")
    future = report(shipment_id, "returned", datetime.now(timezone.utc) + timedelta(hours=2))
    send(*malformed.values(), unknown.to_json(), future.to_json())

    dead: list[tuple[dict, bytes]] = []

    def nine_dead_letters():
        dead.extend(take_dead_letters(system.amqp_url, "postal.partner-reports"))
        return len(dead) >= 9

    wait_for(nine_dead_letters, what="nine dead letters")
    reasons = {body: (headers["x-motcua-error-type"], headers["x-motcua-reason"]) for headers, body in dead}
    assert len(dead) == 9
    assert reasons[malformed["not json"]] == ("InvalidEvent", "body refused: malformed_json")
    assert reasons[malformed["deep"]] == ("InvalidEvent", "body refused: json_too_deep")
    assert reasons[malformed["long number"]] == ("InvalidEvent", "body refused: number_too_long")
    assert reasons[malformed["oversized"]] == ("InvalidEvent", "body refused: too_large")
    assert reasons[malformed["envelope without id"]] == ("InvalidEvent", "envelope invalid: fields ['id']")
    for name in ("unknown status", "unknown field"):
        assert reasons[malformed[name]][0] == "InvalidEvent"
        assert reasons[malformed[name]][1].startswith("data of vn.motcua.postal.status.reported invalid"), name
    assert reasons[unknown.to_json()] == ("PermanentError", "unknown shipment_id 'SH-000000000000'")
    assert reasons[future.to_json()] == ("PermanentError",
                                         f"shipment {shipment_id}: occurred_at is later than the report's arrival")
    assert all(headers["x-motcua-original-exchange"] == "postal.partner" for headers, _ in dead)

    # Nothing changed: one delivery applied, announced once; the rest only in the history.
    (shipment,) = system.rows("postal", "shipments")
    assert shipment["status"] == "delivered"
    assert sorted(history()) == sorted([("delivered", True), ("delivered", False), ("picked_up", False),
                                        ("accepted", False)])
    wait_for(lambda: listener.drain(), what="shipment.progressed")
    assert [(e["data"]["shipment_id"], e["data"]["status"]) for e in listener.drain()] == [(shipment_id, "delivered")]
    listener.close()
