"""A partner writes its reports with the official CloudEvents Python SDK, as the contract lets it:
the optional attributes the SDK and tracing tools add (`dataschema`, `traceparent`, `tracestate`)
must not keep a report from being applied. They were dead-lettered as unknown attributes before."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest
from cloudevents.conversion import to_structured
from cloudevents.http import CloudEvent

from motcua_shared.events.catalogue.shipment import STATUS_REPORTED

from motcua_testing.waiting import wait_for
from postal.harness import create_partner_user, processed, publish, publish_as_intake, received, take_dead_letters

pytestmark = pytest.mark.timeout(120)


def test_a_report_written_with_the_cloudevents_sdk_is_applied(system):
    partner_url = create_partner_user(system)
    system.start_workers("postal")
    code = "H52.04222-190315-0007"
    publish_as_intake(system.amqp_url, received(code, channel="counter"), processed(code))
    shipment_id = wait_for(lambda: [s["id"] for s in system.rows("postal", "shipments")], what="the shipment")[0]

    attributes = {
        "type": STATUS_REPORTED, "source": "/vnpost", "id": str(uuid.uuid4()),
        "datacontenttype": "application/json", "correlationid": f"vnpost-{uuid.uuid4()}",
        "dataschema": "https://motcua.example/docs/events/schemas/vn.motcua.postal.status.reported.json",
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tracestate": "vnpost=1",
    }
    data = {"shipment_id": shipment_id, "status": "accepted", "tracking_number": "EB123456789VN",
            "occurred_at": datetime.now(timezone.utc).isoformat(), "note": None}
    headers, body = to_structured(CloudEvent(attributes, data))
    assert headers["content-type"] == "application/cloudevents+json"
    publish(partner_url, "postal.partner", "status", [body])

    wait_for(lambda: [h for h in system.rows("postal", "shipment_history") if h["source"] == "partner"],
             what="the partner's report applied")
    assert take_dead_letters(system.amqp_url, "postal.partner-reports") == []
