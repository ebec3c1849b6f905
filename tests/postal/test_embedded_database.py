"""On the embedded SQLite database of `make run`: moments keep their meaning (SQLite stores no
offset), and the sweep and the overdue list compare them correctly."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from motcua_shared.events.catalogue.shipment import PICKUP_REQUESTED

from postal.harness import at


def test_moments_sweeps_and_the_overdue_list_on_sqlite(sqlite_postal, code):
    postal = sqlite_postal
    postal.deliver(postal.received(code, channel="online"), postal.processed(code, occurred_at=at("2019-03-19 16:05")))
    shipment_id = postal.shipments()[0]["id"]
    postal.deliver(postal.report(shipment_id, "accepted", at("2019-03-20 08:00")))

    body = postal.client().get(f"/api/v1/shipments/{shipment_id}",
                               headers=postal.auth("receptionist", unit="04222")).get_json()
    assert body["requested_at"] == "2019-03-19T09:05:00+00:00"  # 16:05 in Vietnam
    assert body["deliver_by"] == "2019-03-22T10:00:00+00:00"  # Friday 17:00 in Vietnam
    assert body["status_at"] == "2019-03-20T01:00:00+00:00"
    assert body["overdue"] is True
    assert postal.published(PICKUP_REQUESTED)[0]["data"]["requested_at"] == "2019-03-19T16:05:00+07:00"

    other = code[:-4] + "ZZZZ"
    postal.deliver(postal.received(other), postal.processed(other, occurred_at=datetime.now(timezone.utc)))
    start = datetime.now(timezone.utc)
    assert postal.sweep(start + timedelta(minutes=119)).announced == 0
    assert postal.sweep(start + timedelta(minutes=121)).announced == 1
    overdue = postal.client().get("/api/v1/shipments/overdue", headers=postal.auth("leader", unit="126")).get_json()
    assert [i["dossier_code"] for i in overdue["items"]] == [code]
