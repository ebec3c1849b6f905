"""Postal erases the names, addresses and phones it no longer needs (issue 15, item 5): an ended shipment's
parties POSTAL_CONTACT_RETENTION_DAYS (180 by default) after its end, and the citizen's contact kept for a
dossier once postal is done with it. Every moment below is set by hand; the ends plus 180 days are
counted on the calendar in the comments."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from motcua_postal.models import dossier_returns
from motcua_postal.retention import erase_expired_contacts
from motcua_postal.shipments import aware
from motcua_postal.sweeps import periodic_jobs

from postal.harness import at

NAME, PHONE = "Lò Văn Hùng", "0912345678"


def erase(postal, now):
    return erase_expired_contacts(postal.runtime.sessions, postal.config, now)


def contact(postal, code: str) -> dict:
    with postal.runtime.engine.connect() as conn:
        row = conn.execute(select(dossier_returns).where(dossier_returns.c.dossier_code == code)).mappings().one()
    found = {name: row[name] for name in ("applicant_name", "applicant_phone", "applicant_address",
                                          "delivery_address")}
    return {**found, "contacts_erased_at": aware(row["contacts_erased_at"])}  # SQLite gives naive UTC


def parties(shipment: dict) -> tuple:
    return tuple(shipment[name] for name in ("pickup_name", "pickup_address", "pickup_phone", "delivery_name",
                                             "delivery_address", "delivery_phone"))


def delivered_result(postal, code: str) -> dict:
    """Received at the desk on 15/03/2019, processed on 19/03, the result delivered by post on 21/03 10:00."""
    postal.deliver(postal.received(code), postal.processed(code))
    shipment = postal.shipment(code, "result_to_citizen")
    for status, moment in (("accepted", "2019-03-20 08:00"), ("picked_up", "2019-03-20 09:00"),
                           ("delivered", "2019-03-21 10:00")):
        postal.deliver(postal.report(shipment["id"], status, at(moment)))
    return postal.shipment(code, "result_to_citizen")


@pytest.mark.parametrize("harness", ["postal", "sqlite_postal"])
def test_a_delivered_results_contacts_are_erased_180_days_after_delivery(harness, request, code):
    postal = request.getfixturevalue(harness)
    shipment = delivered_result(postal, code)
    assert shipment["delivery_name"] == NAME and shipment["delivery_phone"] == PHONE
    assert contact(postal, code)["applicant_phone"] == PHONE

    # 21/03/2019 10:00 + 180 days: 10 days to 31/03, then 30 + 31 + 30 + 31 + 31 (April to August) = 163,
    # and 17 of September = 180: 17/09/2019 10:00.
    assert dataclasses.astuple(erase(postal, at("2019-09-17 09:59"))) == (0, 0)
    assert postal.shipment(code, "result_to_citizen")["delivery_name"] == NAME

    moment = at("2019-09-17 10:00")
    assert dataclasses.astuple(erase(postal, moment)) == (1, 1)
    after = postal.shipment(code, "result_to_citizen")
    assert parties(after) == (None,) * 6 and aware(after["contacts_erased_at"]) == moment
    assert (after["status"], after["tracking_number"], after["cod_amount_vnd"]) == ("delivered", "EB123456789VN", 50000)
    assert contact(postal, code) == {"applicant_name": None, "applicant_phone": None, "applicant_address": None,
                                     "delivery_address": None, "contacts_erased_at": moment}
    assert dataclasses.astuple(erase(postal, at("2019-12-31 10:00"))) == (0, 0)  # once


def test_a_withdrawn_dossiers_cancelled_pickup_is_erased_180_days_after_the_withdrawal(postal, code):
    postal.deliver(postal.submitted(code))  # sent by post: the partner is asked to collect it
    postal.deliver(postal.withdrawn(code))  # 16/03/2019 09:00: the pickup is called off then
    pickup = postal.shipment(code, "dossier_to_office")
    assert pickup["status"] == "cancelled" and pickup["pickup_name"] == NAME
    # 16/03/2019 09:00 + 180 days: 15 days to 31/03, then 163 (April to August) = 178, and 12 of September.
    assert dataclasses.astuple(erase(postal, at("2019-09-12 08:59"))) == (0, 0)
    assert dataclasses.astuple(erase(postal, at("2019-09-12 09:00"))) == (1, 1)
    assert parties(postal.shipment(code, "dossier_to_office")) == (None,) * 6
    assert contact(postal, code)["applicant_name"] is None


def test_nothing_still_moving_is_erased_however_old(postal, code):
    postal.deliver(postal.received(code), postal.processed(code))
    shipment = postal.shipment(code, "result_to_citizen")
    postal.deliver(postal.report(shipment["id"], "picked_up", at("2019-03-20 09:00")))
    assert dataclasses.astuple(erase(postal, at("2030-01-01 00:00"))) == (0, 0)
    assert postal.shipment(code, "result_to_citizen")["delivery_name"] == NAME
    assert contact(postal, code)["applicant_name"] == NAME


def test_a_dossiers_contact_waits_for_its_last_shipment_to_have_ended_long_enough(postal, code):
    """Withdrawn long ago, but an item that had left was reported returned much later: the contact stays
    until 180 days after that return, for a complaint about it."""
    postal.deliver(postal.submitted(code))
    pickup = postal.shipment(code, "dossier_to_office")
    postal.deliver(postal.report(pickup["id"], "picked_up", at("2019-03-15 15:00")))
    postal.deliver(postal.withdrawn(code))  # 16/03 09:00: too late to call off what was picked up
    postal.deliver(postal.report(pickup["id"], "returned", at("2019-04-01 10:00")))
    # 01/04/2019 10:00 + 180 days: 29 days to 30/04, then 31 + 30 + 31 + 31 (May to August) = 152, then 28
    # of September: 28/09/2019 10:00. The withdrawal's 12/09 is not enough.
    assert dataclasses.astuple(erase(postal, at("2019-09-20 10:00"))) == (0, 0)
    assert dataclasses.astuple(erase(postal, at("2019-09-28 10:00"))) == (1, 1)


def test_the_retention_is_a_setting(postal, code):
    postal.config_override = dataclasses.replace(postal.config, contact_retention=timedelta(days=30))
    delivered_result(postal, code)
    # 21/03/2019 10:00 + 30 days: 10 days to 31/03, 20 of April: 20/04/2019 10:00.
    assert dataclasses.astuple(erase(postal, at("2019-04-20 09:59"))) == (0, 0)
    assert dataclasses.astuple(erase(postal, at("2019-04-20 10:00"))) == (1, 1)


def test_the_worker_runs_the_retention_sweep(postal):
    assert "postal_contact_retention" in [job.name for job in periodic_jobs(postal.config)]


def test_an_erased_shipment_reads_as_erased_in_the_desks_api(postal, code):
    shipment = delivered_result(postal, code)
    erase(postal, at("2019-09-17 10:00"))
    answer = postal.client().get(f"/api/v1/shipments/{shipment['id']}", headers=postal.auth("receptionist"))
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["delivery"] == {"name": None, "address": None, "phone": None}
    assert body["status"] == "delivered"


# -- on a citizen's request --------------------------------------------------------------------------
def test_on_request_the_contacts_go_at_once_unless_a_shipment_still_needs_them(postal, code):
    from motcua_postal.retention import erase_dossiers

    delivered_result(postal, code)
    moving = code[:-4] + "MOVE"
    postal.deliver(postal.received(moving), postal.processed(moving))  # its result is still to be carried
    with postal.runtime.sessions.begin() as session:
        erased, kept = erase_dossiers(session, [code, moving, "H52.04222-190315-NONE"], at("2019-03-22 08:00"))
    assert (erased, kept) == ([code], sorted([moving, "H52.04222-190315-NONE"]))
    assert parties(postal.shipment(code, "result_to_citizen")) == (None,) * 6
    assert contact(postal, code)["applicant_name"] is None
    assert postal.shipment(moving, "result_to_citizen")["delivery_name"] == NAME
    assert contact(postal, moving)["applicant_name"] == NAME
