"""Every event postal publishes matches the JSON Schema the partner and the other services read
(docs/events/, generated from the same registry), envelope included."""
from __future__ import annotations

import json
from datetime import timedelta

import jsonschema
from sqlalchemy import select

from motcua_shared.events.documents import data_schemas, event_schema

from motcua_postal.models import outbox

from postal.harness import at


def test_every_event_postal_publishes_matches_its_documented_schema(postal):
    to_office, to_citizen, called_off = "H52.04222-190315-0001", "H52.04222-190315-0002", "H52.04222-190315-0003"
    postal.deliver(postal.submitted(to_office), postal.submitted(called_off), postal.withdrawn(called_off),
                   postal.received(to_citizen, channel="online"), postal.processed(to_citizen))
    office_id = postal.shipment(to_office, "dossier_to_office")["id"]
    citizen_id = postal.shipment(to_citizen, "result_to_citizen")["id"]
    postal.deliver(postal.report(office_id, "accepted", at("2019-03-15 09:00"), tracking_number=None),
                   postal.report(office_id, "picked_up", at("2019-03-15 10:00")),
                   postal.report(office_id, "delivered", at("2019-03-15 14:00")))
    start = postal.shipments(to_citizen)[0]["last_announced_at"]
    for step in range(1, 6):  # announced again three times, then escalated
        postal.sweep(start + step * timedelta(minutes=121))
    postal.deliver(postal.report(citizen_id, "failed", at("2019-03-20 10:00"), note="Sai địa chỉ."),
                   postal.report(citizen_id, "returned", at("2019-03-21 10:00")))

    schemas = data_schemas()
    with postal.runtime.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.body, outbox.c.event_type)).all()
    types = set()
    for body, event_type in rows:
        event = json.loads(body)
        jsonschema.validate(event, event_schema(event_type, schemas[event_type]),
                            cls=jsonschema.Draft202012Validator, format_checker=jsonschema.FormatChecker())
        types.add(event_type)
    assert types == {"vn.motcua.postal.pickup.requested", "vn.motcua.postal.pickup.cancelled",
                     "vn.motcua.shipment.created", "vn.motcua.shipment.progressed", "vn.motcua.shipment.escalated"}
