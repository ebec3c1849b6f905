"""End to end with the reference partner client (examples/postal_partner) as a separate process,
logged in as `postal_partner`: intake's events in, pickups on postal.pickups, the partner's reports
back through postal.partner, `shipment.*` events out on postal.events."""
from __future__ import annotations

from collections import Counter

import pytest

from motcua_shared.events.catalogue.shipment import SHIPMENT_ESCALATED, SHIPMENT_PROGRESSED

from motcua_testing.waiting import wait_for
from postal.harness import (Listener, at, create_partner_user, partner_reports, partner_work_orders, processed,
                            publish_as_intake, received, start_partner, stop_partner, submitted, take_dead_letters,
                            withdrawn)

pytestmark = pytest.mark.timeout(120)


def statuses(system) -> dict[tuple[str, str], str]:
    return {(s["dossier_code"], s["direction"]): s["status"] for s in system.rows("postal", "shipments")}


def progressed(listener: Listener) -> Counter:
    return Counter((e["data"]["shipment_id"], e["data"]["status"]) for e in listener.drain()
                   if e["type"] == SHIPMENT_PROGRESSED)


def test_dossiers_and_results_travel_both_ways_through_the_partner(system):
    create_partner_user(system)
    listener = Listener(system.amqp_url, "postal.events", "vn.motcua.shipment.#")
    system.start_workers("postal")
    partner = start_partner(system, "--simulate", "--step-seconds", "0.2", "--duplicates")
    try:
        by_post, at_counter, called_off = ("H52.04222-190315-0001", "H52.04222-190315-0002", "H52.04222-190315-0003")
        # A dossier sent by post, and withdrawn one before the partner could fetch it.
        publish_as_intake(system.amqp_url, submitted(by_post), submitted(called_off, channel="postal"),
                          withdrawn(called_off, occurred_at=at("2019-03-15 08:20")))
        wait_for(lambda: statuses(system).get((by_post, "dossier_to_office")) == "delivered",
                 what="the dossier carried to the desk")
        # It is received at the desk and processed; another was received at the counter, to be returned by post.
        publish_as_intake(system.amqp_url, received(by_post), processed(by_post),
                          received(at_counter, channel="counter"), processed(at_counter))
        wait_for(lambda: [statuses(system).get((code, "result_to_citizen")) for code in (by_post, at_counter)]
                 == ["delivered", "delivered"], what="both results delivered")
    finally:
        exit_code = stop_partner(partner)
    assert exit_code == 0  # a clean stop on SIGTERM

    assert statuses(system)[(called_off, "dossier_to_office")] == "cancelled"
    shipments = {(s["dossier_code"], s["direction"]): s for s in system.rows("postal", "shipments")}
    delivered = [s for s in shipments.values() if s["status"] == "delivered"]
    assert len(delivered) == 3 and all(s["tracking_number"].startswith("EB") for s in delivered)
    # Every report came twice (--duplicates): each status is recorded twice, applied and published once.
    out = wait_for(lambda: (lambda c: c if sum(c.values()) >= 10 else None)(progressed(listener)),
                   what="shipment.progressed events")
    for shipment in delivered:
        assert [out[(shipment["id"], s)] for s in ("accepted", "picked_up", "delivered")] == [1, 1, 1]
        history = [h for h in system.rows("postal", "shipment_history") if h["shipment_id"] == shipment["id"]]
        assert Counter((h["status"], h["effective"]) for h in history if h["source"] == "partner") == {
            ("accepted", True): 1, ("accepted", False): 1, ("picked_up", True): 1, ("picked_up", False): 1,
            ("delivered", True): 1, ("delivered", False): 1}
    assert out[(shipments[(called_off, "dossier_to_office")]["id"], "cancelled")] == 1
    assert sum(out.values()) == 10  # 3 × (accepted, picked_up, delivered) + 1 cancelled: nothing else
    listener.close()
    for queue in ("postal.inbox", "postal.partner-reports"):
        assert take_dead_letters(system.amqp_url, queue) == []


def test_an_unaccepted_pickup_is_announced_again_and_a_failed_delivery_goes_back_to_the_desk(system):
    create_partner_user(system)
    listener = Listener(system.amqp_url, "postal.events", "vn.motcua.shipment.#")
    system.start_workers("postal", extra_env={"POSTAL_PICKUP_ACCEPT_MINUTES": "0.01", "POSTAL_SWEEP_SECONDS": "0.2",
                                               "POSTAL_PICKUP_REANNOUNCEMENTS": "50"})
    code = "H52.04222-190315-0004"
    publish_as_intake(system.amqp_url, received(code, channel="counter"), processed(code))
    # No partner yet: the pickup is announced again and again on the queue.
    wait_for(lambda: [h["status"] for h in system.rows("postal", "shipment_history")].count("announced") >= 2,
             what="the pickup announced again")

    partner = start_partner(system, "--simulate", "--step-seconds", "0.2", "--fail-rate", "1")
    try:
        wait_for(lambda: statuses(system).get((code, "result_to_citizen")) == "returned",
                 what="the failed delivery returned to the desk")
    finally:
        exit_code = stop_partner(partner)
    assert exit_code == 0  # a clean stop on SIGTERM

    (shipment,) = system.rows("postal", "shipments")
    assert shipment["attention"] == "returned"
    events = listener.drain()
    # The partner saw every announcement but took the shipment once (it deduplicates on shipment_id).
    assert Counter(e["data"]["status"] for e in events if e["type"] == SHIPMENT_PROGRESSED) == {
        "accepted": 1, "picked_up": 1, "failed": 1, "returned": 1}
    assert [e["data"]["reason"] for e in events if e["type"] == SHIPMENT_ESCALATED] == ["failed", "returned"]
    listener.close()
    answer = system.client("postal").get("/api/v1/shipments?attention=true",
                                         headers=system.auth("receptionist", unit="04222"))
    assert [i["shipment_id"] for i in answer.get_json()["items"]] == [shipment["id"]]


def test_without_simulation_the_client_accepts_prints_the_work_order_and_reports_by_hand(system):
    create_partner_user(system)
    system.start_workers("postal")
    code = "H52.04222-190315-0006"
    partner = start_partner(system)
    try:
        publish_as_intake(system.amqp_url, received(code, channel="online"), processed(code))
        wait_for(lambda: statuses(system).get((code, "result_to_citizen")) == "accepted", what="the pickup accepted")
        (order,) = wait_for(lambda: partner_work_orders(system), what="the work order")
        assert order["dossier_code"] == code and order["delivery"]["name"] == "Lò Văn Hùng"
        assert order["cod_amount_vnd"] == 50000  # an online dossier's fee is collected on delivery
        for status, when in (("picked_up", "2019-03-20T09:15:00+07:00"), ("delivered", "2019-03-21T10:40:00+07:00")):
            sent = partner_reports(system, order["shipment_id"], status, "--occurred-at", when,
                                   "--tracking-number", "EB987654321VN")
            assert sent.returncode == 0, sent.stderr
        wait_for(lambda: statuses(system).get((code, "result_to_citizen")) == "delivered", what="the delivery")
    finally:
        exit_code = stop_partner(partner)
    assert exit_code == 0
    (shipment,) = system.rows("postal", "shipments")
    assert shipment["tracking_number"] == "EB987654321VN"
    assert shipment["status_at"].isoformat() == "2019-03-21T03:40:00+00:00"
