"""Shipments follow intake's events: created when a dossier travels by post, kept waiting when the
facts come late, called off before pickup when no longer wanted, and never made twice."""
from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from motcua_shared.broker.catalogue import POSTAL_PICKUPS
from motcua_shared.events.catalogue.shipment import (PICKUP_CANCELLED, PICKUP_REQUESTED, SHIPMENT_CREATED,
                                                     SHIPMENT_PROGRESSED)
from motcua_shared.messaging import PermanentError
from motcua_shared.settings import load

from motcua_postal import config as postal_config
from motcua_postal.models import dossier_returns

from postal.harness import at

DESK = {"name": "Bộ phận một cửa UBND xã Chiềng Khương",
        "address": "Trụ sở UBND xã Chiềng Khương, huyện Sông Mã, tỉnh Sơn La", "phone": None}
CITIZEN_HOME = {"name": "Lò Văn Hùng", "address": "Bản Hưng Mai, xã Chiềng Khương", "phone": "0912345678"}
CITIZEN_DELIVERY = {**CITIZEN_HOME, "address": "Số 12, bản Hưng Mai, xã Chiềng Khương, huyện Sông Mã"}


def test_a_dossier_sent_by_post_is_fetched_from_the_citizen_for_the_desk(postal, code):
    postal.deliver(postal.submitted(code, submitted_at=at("2019-03-15 08:10")))

    (shipment,) = postal.shipments(code)
    assert shipment["direction"] == "dossier_to_office" and shipment["status"] == "requested"
    (pickup,) = postal.published(PICKUP_REQUESTED)
    assert (pickup["exchange"], pickup["routing_key"], pickup["subject"]) == (POSTAL_PICKUPS, "pickup", code)
    assert pickup["data"] == {
        "shipment_id": shipment["id"], "dossier_code": code, "direction": "dossier_to_office",
        "pickup": CITIZEN_HOME, "delivery": DESK, "cod_amount_vnd": 0,
        "requested_at": "2019-03-15T08:10:00+07:00",
        "deliver_by": "2019-03-20T08:10:00+07:00",  # Friday + 3 working days (POSTAL_DELIVERY_WORKING_DAYS)
    }
    (created,) = postal.published(SHIPMENT_CREATED)
    assert created["exchange"] == "postal.events" and created["routing_key"] == SHIPMENT_CREATED
    assert created["data"]["unit"] == "04222" and created["data"]["unit_path"] == "14.126.04222"
    assert [h["status"] for h in postal.history(shipment["id"])] == ["requested"]


@pytest.mark.parametrize("channel,result,cod", [
    ("counter", "approved", 0),       # the fee was paid at the counter
    ("online", "approved", 50000),    # nobody has taken the fee yet: collected on delivery
    ("postal", "approved", 50000),
    ("online", "rejected", 0),        # a refusal costs nothing
])
def test_a_result_returned_by_post_goes_from_the_desk_to_the_citizen(postal, code, channel, result, cod):
    postal.deliver(postal.received(code, channel=channel),
                   postal.processed(code, occurred_at=at("2019-03-19 16:05"), result=result))

    (shipment,) = postal.shipments(code)
    assert shipment["direction"] == "result_to_citizen"
    (pickup,) = postal.published(PICKUP_REQUESTED)
    assert pickup["data"]["pickup"] == DESK and pickup["data"]["delivery"] == CITIZEN_DELIVERY
    assert pickup["data"]["cod_amount_vnd"] == cod
    # 16:05 is after the 15:00 cut-off: the count starts Wednesday, three working days end Friday 17:00.
    assert pickup["data"]["deliver_by"] == "2019-03-22T17:00:00+07:00"


def test_processed_before_the_facts_waits_for_them(postal, code):
    postal.deliver(postal.processed(code, occurred_at=at("2019-03-19 10:00")))
    assert postal.shipments(code) == [] and postal.published() == []

    postal.deliver(postal.received(code, channel="counter"))
    (shipment,) = postal.shipments(code)
    assert shipment["direction"] == "result_to_citizen"
    assert postal.published(PICKUP_REQUESTED)[0]["data"]["requested_at"] == "2019-03-19T10:00:00+07:00"


def test_replayed_intake_events_change_nothing(postal, code):
    events = [postal.submitted(code), postal.received(code), postal.processed(code), postal.returned(code, "postal")]
    postal.deliver(*events)
    before = (postal.shipments(code), postal.published())
    postal.deliver(*events, *reversed(events))
    assert (postal.shipments(code), postal.published()) == before
    assert [s["direction"] for s in before[0]] == ["dossier_to_office", "result_to_citizen"]


def test_withdrawal_before_pickup_calls_the_shipment_off(postal, code):
    postal.deliver(postal.submitted(code), postal.withdrawn(code, occurred_at=at("2019-03-15 10:00")))

    (shipment,) = postal.shipments(code)
    assert shipment["status"] == "cancelled"
    (cancelled,) = postal.published(PICKUP_CANCELLED)
    assert (cancelled["exchange"], cancelled["routing_key"]) == (POSTAL_PICKUPS, "pickup")
    assert cancelled["data"] == {"shipment_id": shipment["id"], "dossier_code": code,
                                 "cancelled_at": "2019-03-15T10:00:00+07:00", "reason": "Công dân rút hồ sơ."}
    (progressed,) = postal.published(SHIPMENT_PROGRESSED)
    assert progressed["data"]["status"] == "cancelled" and progressed["data"]["previous_status"] == "requested"

    postal.deliver(postal.withdrawn(code))  # said twice: nothing more
    assert len(postal.published(PICKUP_CANCELLED)) == 1


def test_withdrawal_after_pickup_cancels_nothing(postal, code):
    postal.deliver(postal.submitted(code))
    shipment_id = postal.shipments(code)[0]["id"]
    postal.deliver(postal.report(shipment_id, "picked_up"), postal.withdrawn(code))
    assert postal.shipments(code)[0]["status"] == "picked_up"
    assert postal.published(PICKUP_CANCELLED) == []


def test_withdrawn_before_submitted_never_announces_a_pickup(postal, code):
    postal.deliver(postal.withdrawn(code), postal.submitted(code), postal.processed(code))
    assert postal.shipments(code) == [] and postal.published() == []


def test_a_dossier_that_reaches_the_desk_another_way_calls_off_a_pickup_never_accepted(postal, code):
    postal.deliver(postal.submitted(code), postal.received(code, received_at=at("2019-03-15 14:30")))
    (shipment,) = postal.shipments(code)
    assert shipment["status"] == "cancelled"
    assert postal.published(PICKUP_CANCELLED)[0]["data"]["reason"] == "Hồ sơ đã đến bộ phận một cửa theo cách khác."


def test_an_accepted_pickup_is_left_to_the_partner_when_the_dossier_reaches_the_desk(postal, code):
    postal.deliver(postal.submitted(code))
    shipment_id = postal.shipments(code)[0]["id"]
    postal.deliver(postal.report(shipment_id, "accepted", at("2019-03-15 09:00")), postal.received(code))
    assert postal.shipments(code)[0]["status"] == "accepted"
    postal.deliver(postal.report(shipment_id, "delivered", at("2019-03-15 14:00")))  # it did carry it
    assert postal.shipments(code)[0]["status"] == "delivered"
    assert postal.published(PICKUP_CANCELLED) == []


def test_a_result_collected_at_the_counter_calls_off_its_shipment(postal, code):
    postal.deliver(postal.received(code), postal.processed(code))
    postal.deliver(postal.returned(code, "postal"))  # intake's echo of our own delivery: nothing to do
    assert postal.shipments(code)[0]["status"] == "requested"
    postal.deliver(postal.returned(code, "counter"))
    assert postal.shipments(code)[0]["status"] == "cancelled"


def test_dossiers_that_do_not_travel_by_post_leave_no_personal_data(postal, code):
    postal.deliver(postal.received(code, channel="counter", return_method="counter", delivery_address=None),
                   postal.processed(code))
    assert postal.shipments(code) == [] and postal.published() == []
    with postal.runtime.engine.connect() as conn:
        row = conn.execute(select(dossier_returns).where(dossier_returns.c.dossier_code == code)).mappings().one()
    assert row["return_method"] == "counter" and row["processed_at"] is not None
    assert (row["applicant_name"], row["applicant_phone"], row["applicant_address"], row["delivery_address"]) == \
        (None, None, None, None)


def test_the_desk_address_and_phone_come_from_the_settings(postal, code):
    settings = load("postal", postal_config.SETTINGS, environ={
        "POSTAL_DESKS": '{"04222": {"address": "Bản Nà Dòn, xã Chiềng Khương", "phone": "02123876543"}}'})
    postal.config_override = dataclasses.replace(postal.config, desks=settings.postal_desks)
    postal.deliver(postal.received(code), postal.processed(code))
    assert postal.published(PICKUP_REQUESTED)[0]["data"]["pickup"] == {
        "name": "Bộ phận một cửa UBND xã Chiềng Khương", "address": "Bản Nà Dòn, xã Chiềng Khương",
        "phone": "02123876543"}


def test_a_malformed_desk_setting_stops_the_process_with_a_clear_line():
    with pytest.raises(SystemExit, match="POSTAL_DESKS"):
        load("postal", postal_config.SETTINGS, environ={"POSTAL_DESKS": '{"04222": "Bản Nà Dòn"}'})


def test_a_postal_dossier_without_any_address_can_never_be_carried(postal, code):
    event = postal.submitted(code, delivery_address=None, applicant={"full_name": "Lò Văn Hùng", "phone": None,
                                                                      "email": None, "address": None})
    with pytest.raises(PermanentError, match="no address"):
        postal.deliver(event)
    assert postal.shipments(code) == [] and postal.published() == []
