"""The partner's reports, applied by rank whatever their order: duplicates and late ones change
nothing (and publish nothing) but are kept in the history; a failure goes back to the desk; reports
that can never be true are refused for the dead-letter queue."""
from __future__ import annotations

from datetime import timedelta

import pytest

from motcua_shared.events.catalogue.shipment import SHIPMENT_ESCALATED, SHIPMENT_PROGRESSED
from motcua_shared.messaging import PermanentError

from postal.harness import at


@pytest.fixture
def result_shipment(postal, code):
    """A result waiting at the desk of Chiềng Khương for the partner (requested 2019-03-19 16:05)."""
    postal.deliver(postal.received(code), postal.processed(code, occurred_at=at("2019-03-19 16:05")))
    return postal.shipment(code, "result_to_citizen")["id"]


def statuses_published(postal) -> list[str]:
    return [e["data"]["status"] for e in postal.published(SHIPMENT_PROGRESSED)]


def test_reports_in_order_move_the_shipment_and_each_is_announced(postal, result_shipment):
    postal.deliver(postal.report(result_shipment, "accepted", at("2019-03-20 08:00"), tracking_number=None),
                   postal.report(result_shipment, "picked_up", at("2019-03-20 09:15")),
                   postal.report(result_shipment, "delivered", at("2019-03-21 10:40")))

    shipment = postal.shipments()[0]
    assert shipment["status"] == "delivered" and shipment["tracking_number"] == "EB123456789VN"
    assert statuses_published(postal) == ["accepted", "picked_up", "delivered"]
    delivered = postal.published(SHIPMENT_PROGRESSED)[-1]["data"]
    assert delivered == {
        "shipment_id": result_shipment, "dossier_code": shipment["dossier_code"], "direction": "result_to_citizen",
        "status": "delivered", "occurred_at": "2019-03-21T10:40:00+07:00", "tracking_number": "EB123456789VN",
        "previous_status": "picked_up", "unit": "04222", "source": "partner", "recorded_by": None, "note": None}
    # The hand-over times of the control log: taken at the desk 09:15, handed to the citizen 10:40.
    history = [(h["status"], h["occurred_at"].astimezone(at("2019-01-01 00:00").tzinfo).strftime("%d/%m %H:%M"),
                h["source"], h["effective"]) for h in postal.history(result_shipment)]
    assert history == [("requested", "19/03 16:05", "system", True), ("accepted", "20/03 08:00", "partner", True),
                       ("picked_up", "20/03 09:15", "partner", True), ("delivered", "21/03 10:40", "partner", True)]


def test_duplicates_and_late_reports_change_nothing_but_are_kept(postal, result_shipment):
    delivered = postal.report(result_shipment, "delivered", at("2019-03-21 10:40"))
    postal.deliver(delivered)
    before = postal.shipments()

    postal.deliver(postal.report(result_shipment, "picked_up", at("2019-03-20 09:15")),  # late
                   postal.report(result_shipment, "accepted", at("2019-03-20 08:00")),   # later still
                   postal.report(result_shipment, "delivered", at("2019-03-21 10:40")),  # the same, again
                   postal.report(result_shipment, "failed", at("2019-03-21 09:00")),     # after the end
                   delivered)                                                            # redelivered as is

    assert postal.shipments() == before
    assert statuses_published(postal) == ["delivered"]
    assert [(h["status"], h["effective"]) for h in postal.history(result_shipment)] == [
        ("requested", True), ("delivered", True), ("picked_up", False), ("accepted", False), ("delivered", False),
        ("failed", False), ("delivered", False)]


def test_a_failed_delivery_goes_back_to_the_desk_and_the_desk_is_told(postal, result_shipment):
    postal.deliver(postal.report(result_shipment, "picked_up", at("2019-03-20 09:15")),
                   postal.report(result_shipment, "failed", at("2019-03-21 10:40"), note="Người nhận vắng nhà."))

    shipment = postal.shipments()[0]
    assert (shipment["status"], shipment["attention"]) == ("failed", "failed")
    (escalated,) = postal.published(SHIPMENT_ESCALATED)
    assert escalated["data"] == {
        "shipment_id": result_shipment, "dossier_code": shipment["dossier_code"], "direction": "result_to_citizen",
        "unit": "04222", "reason": "failed", "escalated_at": "2019-03-21T10:40:00+07:00", "announcements": None,
        "note": "Người nhận vắng nhà."}

    postal.deliver(postal.report(result_shipment, "failed", at("2019-03-22 10:00")))  # a second attempt failed
    assert len(postal.published(SHIPMENT_ESCALATED)) == 1

    postal.deliver(postal.report(result_shipment, "returned", at("2019-03-25 08:00")))
    shipment = postal.shipments()[0]
    assert (shipment["status"], shipment["attention"]) == ("returned", "returned")
    assert [e["data"]["reason"] for e in postal.published(SHIPMENT_ESCALATED)] == ["failed", "returned"]

    # The desk hands the result over at the counter: the alarm is settled.
    postal.deliver(postal.returned(shipment["dossier_code"], "counter", occurred_at=at("2019-03-26 09:00")))
    shipment = postal.shipments()[0]
    assert (shipment["status"], shipment["attention"]) == ("returned", None)


def test_a_delivery_after_a_failed_attempt_settles_the_alarm(postal, result_shipment):
    postal.deliver(postal.report(result_shipment, "failed", at("2019-03-21 10:40")),
                   postal.report(result_shipment, "delivered", at("2019-03-22 10:40")))
    shipment = postal.shipments()[0]
    assert (shipment["status"], shipment["attention"]) == ("delivered", None)


def test_reports_on_a_cancelled_shipment_are_kept_but_change_nothing(postal, code):
    postal.deliver(postal.submitted(code), postal.withdrawn(code))
    shipment_id = postal.shipments()[0]["id"]
    postal.deliver(postal.report(shipment_id, "accepted", at("2019-03-16 10:00")))
    assert postal.shipments()[0]["status"] == "cancelled"
    assert postal.history(shipment_id)[-1]["effective"] is False


def test_a_report_for_an_unknown_shipment_is_refused_for_good(postal, result_shipment):
    with pytest.raises(PermanentError, match="unknown shipment_id 'SH-000000000000'"):
        postal.deliver(postal.report("SH-000000000000", "delivered"))
    assert statuses_published(postal) == []


@pytest.mark.parametrize("occurred_at,reason", [
    (at("2019-03-19 12:00"), "earlier than the pickup request"),
    (None, "later than the report's arrival"),
])
def test_a_report_whose_time_cannot_be_true_is_refused_for_good(postal, result_shipment, occurred_at, reason):
    moment = occurred_at or postal.config.now() + timedelta(hours=1)
    with pytest.raises(PermanentError, match=reason):
        postal.deliver(postal.report(result_shipment, "delivered", moment))
    assert postal.shipments()[0]["status"] == "requested"
    assert len(postal.history(result_shipment)) == 1
