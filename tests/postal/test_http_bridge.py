"""The reference bridge for an HTTP-only postal operator (examples/postal_http_bridge), as a separate
process logged in as `postal_partner`, between the real postal worker and a stand-in of the operator's
API (a real HTTP server in this test that records orders, fails the way operators fail, and sends
signed tracking callbacks): pickup → one order even through a 503, a time-out and a redelivery →
callbacks → the shipment delivered at the desk; bad callbacks refused with problem+json and changing
nothing; a refused order reported `failed`; a shipment called off cancels its order. One test: the
system fixture's set-up and tear-down cost more than all of it."""
from __future__ import annotations

import importlib.util
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest
import requests
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from motcua_shared.events.catalogue.shipment import PICKUP_REQUESTED, SHIPMENT_PROGRESSED

from motcua_testing.ports import free_port
from motcua_testing.waiting import wait_for
from postal.harness import (PARTNER_PASSWORD, PARTNER_USER, Listener, create_partner_user, processed, publish,
                            publish_as_intake, received, returned, take_dead_letters)

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parents[2]
BRIDGE = ROOT / "examples" / "postal_http_bridge" / "bridge.py"
SCHEMA = ROOT / "docs" / "events" / "schemas" / "vn.motcua.postal.status.reported.json"
TOKEN = "operator-api-token-for-the-test"
SECRET = "callback-secret-shared-with-the-operator-0123456789"
OUT_OF_AREA = "ngoài vùng phục vụ"


def _bridge_module():
    spec = importlib.util.spec_from_file_location("postal_http_bridge", BRIDGE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sign = _bridge_module().sign  # the stand-in signs its callbacks exactly as the bridge checks them


class Operator:
    """The operator's API: orders by Idempotency-Key, a scripted failure per request, and callbacks."""

    def __init__(self):
        self.orders: dict[str, dict] = {}  # Idempotency-Key → order
        self.requests: Counter = Counter()  # Idempotency-Key → POST /orders seen
        self.script: list[str] = []  # what the next requests meet: "unavailable", "slow"
        self.cancelled: list[str] = []
        self.lock = threading.Lock()
        app = Flask("operator")
        app.add_url_rule("/v1/orders", view_func=self.create, methods=["POST"])
        app.add_url_rule("/v1/orders/<order_id>/cancel", view_func=self.cancel, methods=["POST"])
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def create(self):
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return jsonify(title="unauthorized"), 401
        key = request.headers.get("Idempotency-Key")
        if not key:
            return jsonify(title="Idempotency-Key required"), 400
        body = request.get_json()
        with self.lock:
            self.requests[key] += 1
            action = self.script.pop(0) if self.script else "normal"
            if action == "unavailable":
                return jsonify(title="maintenance"), 503
            if OUT_OF_AREA in body["recipient"]["address"]:
                return jsonify(title="refused", detail="Địa chỉ ngoài vùng phục vụ."), 422
            replay = key in self.orders
            if not replay:
                self.orders[key] = {"order_id": f"ORD-{len(self.orders) + 1}", "body": body,
                                    "tracking_number": f"EB{len(self.orders) + 100000001}VN"}
            order = self.orders[key]
        if action == "slow":
            time.sleep(2)  # the order exists, the answer comes after the bridge stopped waiting
        return jsonify(order_id=order["order_id"], tracking_number=order["tracking_number"]), 200 if replay else 201

    def cancel(self, order_id):
        self.cancelled.append(order_id)
        return jsonify(order_id=order_id, status="cancelled")

    def callback(self, bridge_url: str, reference: str, status: str, event_id: str | None = None,
                 secret: str = SECRET, body: bytes | None = None, **extra) -> requests.Response:
        body = body if body is not None else json.dumps({
            "event_id": event_id or str(uuid.uuid4()), "reference": reference, "status": status,
            "occurred_at": datetime.now(timezone.utc).isoformat(), **extra}).encode()
        return requests.post(f"{bridge_url}/callbacks", data=body, timeout=10, headers={
            "Content-Type": "application/json", "X-Signature": sign(secret, int(time.time()), body)})

    def close(self):
        self.server.shutdown()


@pytest.fixture
def operator():
    stand_in = Operator()
    yield stand_in
    stand_in.close()


def start_bridge(system, operator: Operator, port: int) -> subprocess.Popen:
    url = system.broker.url_for(system.vhost, PARTNER_USER, "x").replace(f"{PARTNER_USER}:x@", f"{PARTNER_USER}@")
    env = {**os.environ, "POSTAL_PARTNER_AMQP_URL": url, "POSTAL_PARTNER_PASSWORD": PARTNER_PASSWORD,
           "OPERATOR_API_URL": operator.url, "OPERATOR_API_TOKEN": TOKEN, "OPERATOR_CALLBACK_SECRET": SECRET,
           "BRIDGE_LISTEN": f"127.0.0.1:{port}", "BRIDGE_STATE": str(system.var_dir / "bridge.sqlite3"),
           "BRIDGE_SOURCE": "/partners/operator-test", "OPERATOR_TIMEOUT_SECONDS": "1", "OPERATOR_RETRIES": "5"}
    with open(system.var_dir / "bridge.log", "ab") as log:
        process = subprocess.Popen([sys.executable, str(BRIDGE)], env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), what="the bridge's callback server")
    return process


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code == 200
    except requests.RequestException:
        return False


def shipment(system, code: str) -> dict | None:
    return next((s for s in system.rows("postal", "shipments") if s["dossier_code"] == code), None)


def bridge_log(system) -> str:
    return (system.var_dir / "bridge.log").read_text(errors="replace")


def test_pickups_become_one_order_each_and_callbacks_deliver_the_shipment(system, operator):
    create_partner_user(system)
    listener = Listener(system.amqp_url, "postal.events", "vn.motcua.shipment.#")
    system.start_workers("postal")
    port = free_port()
    bridge_url = f"http://127.0.0.1:{port}"
    operator.script = ["unavailable", "slow"]  # the first call meets a 503, the second a time-out
    bridge = start_bridge(system, operator, port)
    try:
        code, far, collected = "H52.04222-190315-0701", "H52.04222-190315-0702", "H52.04222-190315-0703"
        publish_as_intake(system.amqp_url, received(code, channel="counter"), processed(code))
        wait_for(lambda: (shipment(system, code) or {}).get("status") == "accepted", what="the order accepted")
        (sid,) = operator.orders
        assert sid == shipment(system, code)["id"]  # the idempotency key is motcua's shipment id
        # 503, then the time-out (the operator created the order), then the retry under the same key.
        assert operator.requests[sid] == 3 and len(operator.orders) == 1
        (pickup,) = [json.loads(row["body"]) for row in system.rows("postal", "outbox")
                     if row["event_type"] == PICKUP_REQUESTED]
        order = operator.orders[sid]
        assert order["body"] == {"reference": sid, "note": f"Hồ sơ {code}", "sender": pickup["data"]["pickup"],
                                 "recipient": pickup["data"]["delivery"], "deliver_by": pickup["data"]["deliver_by"],
                                 "cod_amount": pickup["data"]["cod_amount_vnd"]}
        assert shipment(system, code)["tracking_number"] == order["tracking_number"]

        # The broker delivers the same pickup again: no second order.
        publish(system.amqp_url, "", "postal.pickups", [json.dumps(pickup).encode()])
        wait_for(lambda: f"pickup_repeated shipment={sid}" in bridge_log(system), what="the redelivery seen")
        assert operator.requests[sid] == 3 and len(operator.orders) == 1

        # The operator's callbacks: its vocabulary, one twice, one motcua has no status for.
        first = str(uuid.uuid4())
        answers = [operator.callback(bridge_url, sid, "picked_up", first),
                   operator.callback(bridge_url, sid, "picked_up", first),
                   operator.callback(bridge_url, sid, "in_transit"),
                   operator.callback(bridge_url, sid, "delivered")]
        assert [a.status_code for a in answers] == [200, 200, 200, 200], [a.text for a in answers]
        assert [a.json().get("reported") for a in answers] == ["picked_up", None, None, "delivered"]
        assert answers[1].json()["duplicate"] is True
        wait_for(lambda: shipment(system, code)["status"] == "delivered", what="the shipment delivered")

        # Refused callbacks, each an RFC 9457 answer with a machine code, none of which changes anything.
        forged = operator.callback(bridge_url, sid, "returned_to_sender", secret="not-the-shared-secret-" * 2)
        assert (forged.status_code, forged.headers["Content-Type"], forged.json()["code"]) == (
            401, "application/problem+json", "bad_signature")
        for body, status, problem in ((b"{not json", 400, "malformed_json"),
                                      (json.dumps({"event_id": "e", "reference": sid, "status": "teleported",
                                                   "occurred_at": "2026-01-01T00:00:00+07:00"}).encode(),
                                       422, "unknown_status"),
                                      (json.dumps({"event_id": "e2", "reference": "SH-none", "status": "delivered",
                                                   "occurred_at": "2026-01-01T00:00:00+07:00"}).encode(),
                                       404, "unknown_order")):
            answer = operator.callback(bridge_url, sid, "", body=body)
            assert (answer.status_code, answer.json()["code"]) == (status, problem), answer.text
        stale = requests.post(f"{bridge_url}/callbacks", data=b"{}", timeout=5, headers={
            "X-Signature": sign(SECRET, int(time.time()) - 3600, b"{}")})
        assert (stale.status_code, stale.json()["code"]) == (401, "bad_signature")  # a replayed old callback

        # An order the operator refuses (4xx) is reported `failed`: the desk is alerted.
        publish_as_intake(system.amqp_url, received(far, channel="counter", delivery_address=f"Bản Xa, {OUT_OF_AREA}"),
                          processed(far))
        wait_for(lambda: (shipment(system, far) or {}).get("status") == "failed", what="the refusal reported")
        assert shipment(system, far)["attention"] == "failed"

        # A result to go by post that the citizen collects at the counter first: the order is cancelled.
        publish_as_intake(system.amqp_url, received(collected, channel="counter"), processed(collected))
        wait_for(lambda: (shipment(system, collected) or {}).get("status") == "accepted", what="the third order")
        publish_as_intake(system.amqp_url, returned(collected, "counter", occurred_at=datetime.now(timezone.utc)))
        wait_for(lambda: operator.cancelled, what="the order cancelled at the operator")
        assert operator.cancelled == [operator.orders[shipment(system, collected)["id"]]["order_id"]]
        wait_for(lambda: "pickup_cancelled" in bridge_log(system), what="the cancellation recorded")
        assert shipment(system, collected)["status"] == "cancelled"
    finally:
        bridge.send_signal(signal.SIGTERM)
        exit_code = bridge.wait(timeout=30)
    assert exit_code == 0, bridge_log(system)[-3000:]
    assert shipment(system, code)["status"] == "delivered"

    progressed = Counter((e["data"]["shipment_id"], e["data"]["status"]) for e in wait_for(
        lambda: (lambda seen: seen if sum(e["type"] == SHIPMENT_PROGRESSED for e in seen) >= 6 else None)(
            listener.drain()), what="shipment.progressed events") if e["type"] == SHIPMENT_PROGRESSED)
    third = shipment(system, collected)["id"]
    assert progressed == {(sid, "accepted"): 1, (sid, "picked_up"): 1, (sid, "delivered"): 1,
                          (shipment(system, far)["id"], "failed"): 1, (third, "accepted"): 1, (third, "cancelled"): 1}
    listener.close()
    assert take_dead_letters(system.amqp_url, "postal.partner-reports") == []
    # Every report the bridge wrote is the published contract's event, exactly.
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")),
                                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    with sqlite3.connect(system.var_dir / "bridge.sqlite3") as db:
        reports = [json.loads(body) for (body,) in db.execute("SELECT body FROM reports")]
    assert len(reports) == 5  # accepted, picked_up, delivered; failed (the refusal); accepted (the third)
    for report in reports:
        assert list(validator.iter_errors(report)) == []

