"""A pickup the partner does not accept in time is announced again (the same data, a new event id)
up to POSTAL_PICKUP_REANNOUNCEMENTS times, then escalated to the desk once."""
from __future__ import annotations

from datetime import timedelta

from motcua_shared.events.catalogue.shipment import PICKUP_REQUESTED, SHIPMENT_ESCALATED

WINDOW = timedelta(minutes=120)  # POSTAL_PICKUP_ACCEPT_MINUTES
REANNOUNCEMENTS = 3  # POSTAL_PICKUP_REANNOUNCEMENTS


def test_an_unaccepted_pickup_is_announced_again_then_escalated_once(postal, code):
    postal.deliver(postal.received(code), postal.processed(code))
    (first,) = postal.published(PICKUP_REQUESTED)
    start = postal.shipments()[0]["last_announced_at"]

    assert postal.sweep(start + WINDOW - timedelta(seconds=1)).announced == 0
    moment = start
    for _ in range(REANNOUNCEMENTS):
        moment += WINDOW
        assert postal.sweep(moment).announced == 1
        assert postal.sweep(moment + timedelta(minutes=1)).announced == 0  # each window once
    announcements = postal.published(PICKUP_REQUESTED)
    assert len(announcements) == 1 + REANNOUNCEMENTS
    assert all(a["data"] == first["data"] for a in announcements)
    assert len({a["id"] for a in announcements}) == len(announcements)
    assert postal.published(SHIPMENT_ESCALATED) == []

    result = postal.sweep(moment + WINDOW)
    assert (result.announced, result.escalated) == (0, 1)
    shipment = postal.shipments()[0]
    assert shipment["attention"] == "pickup_not_accepted" and shipment["escalated_at"] is not None
    (escalated,) = postal.published(SHIPMENT_ESCALATED)
    assert escalated["data"]["reason"] == "pickup_not_accepted" and escalated["data"]["announcements"] == 4

    assert postal.sweep(moment + 10 * WINDOW).escalated == 0  # escalated once, never again
    assert [h["status"] for h in postal.history(shipment["id"])] == [
        "requested", "announced", "announced", "announced", "escalated"]


def test_an_accepted_pickup_is_left_alone_and_its_alarm_settled(postal, code):
    postal.deliver(postal.received(code), postal.processed(code))
    shipment = postal.shipments()[0]
    far = shipment["last_announced_at"] + 10 * WINDOW
    for step in range(REANNOUNCEMENTS + 1):
        postal.sweep(shipment["last_announced_at"] + (step + 1) * WINDOW)
    assert postal.shipments()[0]["attention"] == "pickup_not_accepted"

    postal.deliver(postal.report(shipment["id"], "accepted"))
    assert postal.shipments()[0]["attention"] is None
    before = len(postal.published())
    assert (postal.sweep(far).announced, postal.sweep(far).escalated) == (0, 0)
    assert len(postal.published()) == before
