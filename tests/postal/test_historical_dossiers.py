"""A dossier an administrator brought in from the past (issue 17): its dossier events carry
`historical`; postal records the dossier and never asks for a pickup nor sends its result, in any
order of the events, however long overdue by the wall clock. The same dossier live does (the proof
that the test can fail)."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select

from motcua_shared.events import Event

from motcua_postal.models import dossier_returns

from postal.harness import at


def historical(event: Event) -> Event:
    return dataclasses.replace(event, data={**event.data, "historical": True})


def the_story(postal, code: str) -> list[Event]:
    """Sent by post, received at the desk, processed, its result to go back by post."""
    return [postal.submitted(code, submitted_at=at("2019-03-15 08:10")),
            postal.received(code, received_at=at("2019-03-15 14:30")),
            postal.processed(code, occurred_at=at("2019-03-19 16:05"))]


def row(postal, code: str) -> dict:
    with postal.runtime.engine.connect() as conn:
        return dict(conn.execute(select(dossier_returns)
                                 .where(dossier_returns.c.dossier_code == code)).mappings().one())


def test_a_historical_dossier_gets_no_pickup_and_no_result_shipment(postal, code):
    live, past, late = code, code[:-4] + "PAST", code[:-4] + "LATE"
    postal.deliver(*the_story(postal, live))
    assert {s["direction"] for s in postal.shipments(live)} == {"dossier_to_office", "result_to_citizen"}
    published_for_live = len(postal.published())
    assert published_for_live > 0

    postal.deliver(*map(historical, the_story(postal, past)))
    # In another order: the result's news before the facts, as a redelivery may bring them.
    submitted, received, processed = map(historical, the_story(postal, late))
    postal.deliver(processed, received, submitted)
    postal.sweep(at("2026-12-07 09:00"))  # years after every deadline

    for code_ in (past, late):
        assert postal.shipments(code_) == []
        facts = row(postal, code_)
        assert facts["historical"] is True and facts["processed_at"] is not None and facts["received_at"] is not None
    assert len(postal.published()) == published_for_live
    assert row(postal, live)["historical"] is False


def test_a_late_event_without_the_flag_does_not_make_a_historical_dossier_live(postal, code):
    postal.deliver(historical(postal.received(code, channel="counter")))
    postal.deliver(postal.processed(code, occurred_at=at("2019-03-19 16:05")))
    assert postal.shipments(code) == [] and postal.published() == []
    assert row(postal, code)["historical"] is True
