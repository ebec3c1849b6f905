"""Helpers of the postal tests.

`Postal` (the `postal` fixture in conftest.py) drives the service in-process on its own fresh
PostgreSQL database: intake's events are delivered to the real handlers the way the consumer does
(parsed and validated, then handled in one transaction), the sweep runs with a clock the test
chooses, and the HTTP API answers through a Flask test client. The broker helpers publish and
listen on a test's vhost, and start the reference partner client as a separate process.
"""
from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pika
from sqlalchemy import select

from motcua_shared.broker.permissions import POSTAL_PARTNER_PERMISSION
from motcua_shared.broker.setup import create_users
from motcua_shared.events import Event, new_event, parse, registry
from motcua_shared.events.catalogue import dossier as dossier_events
from motcua_shared.events.catalogue.shipment import STATUS_REPORTED
from motcua_shared.service import Runtime
from motcua_shared.settings import load

from motcua_postal import config as postal_config
from motcua_postal.app import create_app
from motcua_postal.handlers import build
from motcua_postal.models import outbox, shipment_history, shipments
from motcua_postal.service import SPEC
from motcua_postal.sweeps import sweep_unaccepted

from motcua_testing.system import System

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PARTNER_SOURCE = "/partners/vnpost-son-la"


def at(text: str) -> datetime:
    """'2019-03-19 16:05' in Vietnam's time."""
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def citizen_facts(code: str, **overrides) -> dict:
    """The facts of a dossier that travels by post both ways, as intake sends them."""
    data = copy.deepcopy(registry.get(dossier_events.DOSSIER_RECEIVED).example)
    data.update(code=code, channel="postal", return_method="postal", fee_vnd=50000,
                delivery_address="Số 12, bản Hưng Mai, xã Chiềng Khương, huyện Sông Mã")
    data["applicant"].update(address="Bản Hưng Mai, xã Chiềng Khương", phone="0912345678",
                             email="hung@example.vn")
    for key, value in overrides.items():
        data[key] = value
    return data


# -- intake's events, as intake publishes them -----------------------------------------------------
def intake_event(event_type: str, data: dict, code: str) -> Event:
    return new_event(event_type, source="/motcua/intake", subject=code, data=json.loads(json.dumps(data, default=str)))


def submitted(code: str, submitted_at: datetime = at("2019-03-15 08:10"), **facts) -> Event:
    data = citizen_facts(code, **facts)
    data.pop("received_at"), data.pop("due_at")
    data["submitted_at"] = submitted_at.isoformat()
    return intake_event(dossier_events.DOSSIER_SUBMITTED, data, code)


def received(code: str, received_at: datetime = at("2019-03-15 14:30"), **facts) -> Event:
    data = citizen_facts(code, **facts)
    data.update(received_at=received_at.isoformat(), due_at=(received_at + timedelta(days=5)).isoformat())
    return intake_event(dossier_events.DOSSIER_RECEIVED, data, code)


def processed(code: str, occurred_at: datetime = at("2019-03-19 16:05"), result: str = "approved") -> Event:
    return intake_event(dossier_events.DOSSIER_PROCESSED, {
        "code": code, "occurred_at": occurred_at.isoformat(), "actor": "specialist-7", "result": result,
        "note": None, "due_at": at("2019-03-20 14:30").isoformat()}, code)


def withdrawn(code: str, occurred_at: datetime = at("2019-03-16 09:00")) -> Event:
    return intake_event(dossier_events.DOSSIER_WITHDRAWN, {
        "code": code, "occurred_at": occurred_at.isoformat(), "actor": None, "reason": "Không còn nhu cầu."}, code)


def returned(code: str, method: str, occurred_at: datetime = at("2019-03-20 09:00")) -> Event:
    return intake_event(dossier_events.DOSSIER_RETURNED, {
        "code": code, "occurred_at": occurred_at.isoformat(), "actor": "receptionist-1", "method": method}, code)


# -- the partner's reports ----------------------------------------------------------------------------
def report(shipment_id: str, status: str, occurred_at: datetime | None = None,
           tracking_number: str | None = "EB123456789VN", note: str | None = None) -> Event:
    moment = occurred_at or datetime.now(timezone.utc)
    return new_event(STATUS_REPORTED, source=PARTNER_SOURCE, subject=None, data={
        "shipment_id": shipment_id, "status": status, "occurred_at": moment.isoformat(),
        "tracking_number": tracking_number, "note": note})


@dataclass
class Postal:
    runtime: Runtime
    env: dict
    apps: list = field(default_factory=list)
    config_override: postal_config.PostalConfig | None = None

    @property
    def config(self) -> postal_config.PostalConfig:
        return self.config_override or postal_config.PostalConfig.from_settings(self.runtime.settings)

    submitted = staticmethod(submitted)
    received = staticmethod(received)
    processed = staticmethod(processed)
    withdrawn = staticmethod(withdrawn)
    returned = staticmethod(returned)
    report = staticmethod(report)

    # -- driving the service ----------------------------------------------------------------------
    def deliver(self, *events: Event) -> None:
        """Each event the way the consumer handles it: parsed and validated, then one transaction."""
        handlers = build(self.config)
        for event in events:
            received = parse(event.to_json())
            with self.runtime.sessions.begin() as session:
                handlers[received.type](session, received)

    def sweep(self, now: datetime):
        return sweep_unaccepted(self.runtime.sessions, self.config, now)

    # -- what it did ----------------------------------------------------------------------------
    def shipments(self, dossier_code: str | None = None) -> list[dict]:
        query = select(shipments).order_by(shipments.c.created_at)
        if dossier_code:
            query = query.where(shipments.c.dossier_code == dossier_code)
        with self.runtime.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def shipment(self, dossier_code: str, direction: str) -> dict:
        (found,) = [s for s in self.shipments(dossier_code) if s["direction"] == direction]
        return found

    def history(self, shipment_id: str) -> list[dict]:
        with self.runtime.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(shipment_history).where(
                shipment_history.c.shipment_id == shipment_id).order_by(shipment_history.c.id)).mappings()]

    def published(self, event_type: str | None = None) -> list[dict]:
        """Outbox rows, oldest first: {type, exchange, routing_key, id, data}."""
        with self.runtime.engine.connect() as conn:
            rows = conn.execute(select(outbox).order_by(outbox.c.id)).mappings().all()
        found = []
        for row in rows:
            body = json.loads(row["body"])
            if event_type is None or row["event_type"] == event_type:
                found.append({"type": row["event_type"], "exchange": row["exchange"], "routing_key": row["routing_key"],
                              "id": body["id"], "data": body["data"], "subject": body["subject"]})
        return found

    def client(self, **env):
        """The HTTP API on this database; `env` adds settings (e.g. MOTCUA_CLOCK_OFFSET_SECONDS)."""
        app = create_app(load("postal", SPEC.settings, environ={**self.env, **env}))
        self.apps.append(app)
        return app.test_client()

    def close(self) -> None:
        for app in self.apps:
            app.extensions["motcua"].close()
        self.runtime.close()

    def auth(self, *roles: str, unit: str | None = "04222", sub: str = "officer-1") -> dict:
        return {"Authorization": f"Bearer {System.token(*roles, unit=unit, sub=sub)}"}


# -- on the broker ------------------------------------------------------------------------------------
def publish(amqp_url: str, exchange: str, routing_key: str, bodies: list[bytes]) -> None:
    """Publish with confirms, each body persistent and with its event id as message_id when it has one."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for body in bodies:
            try:
                message_id = json.loads(body).get("id")
            except (ValueError, AttributeError, RecursionError):  # the hostile bodies carry none
                message_id = None
            channel.basic_publish(exchange, routing_key, body, mandatory=True, properties=pika.BasicProperties(
                content_type="application/cloudevents+json", delivery_mode=2, message_id=message_id))
    finally:
        connection.close()


def publish_as_intake(amqp_url: str, *events: Event) -> None:
    """Intake's events the way its relay publishes them: on intake.events, routing key = event type."""
    for event in events:
        publish(amqp_url, "intake.events", event.type, [event.to_json()])


class Listener:
    """A queue of the test's own bound to an exchange, to see what a service published."""

    def __init__(self, amqp_url: str, exchange: str, binding_key: str):
        self.connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
        self.channel = self.connection.channel()
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        self.channel.queue_bind(self.queue, exchange, routing_key=binding_key)
        self.received: list[dict] = []

    def drain(self) -> list[dict]:
        while True:
            method, _props, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                return self.received
            self.received.append(json.loads(body))

    def close(self) -> None:
        self.connection.close()


def take_dead_letters(amqp_url: str, queue: str) -> list[tuple[dict, bytes]]:
    """Empty `queue`.dlq: (headers, body) of each dead letter."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        taken = []
        while True:
            method, props, body = channel.basic_get(f"{queue}.dlq", auto_ack=True)
            if method is None:
                return taken
            taken.append((props.headers or {}, body))
    finally:
        connection.close()


# -- the reference partner client, as a separate process ------------------------------------------------
PARTNER_CLIENT = Path(__file__).resolve().parents[2] / "examples" / "postal_partner" / "postal_partner.py"
PARTNER_USER = POSTAL_PARTNER_PERMISSION.user
# Broker users are broker-wide and other suites create this one too: the same development password
# (the user name, as `make run` gives it) keeps them from changing it under each other.
PARTNER_PASSWORD = PARTNER_USER


def create_partner_user(setup) -> str:
    """The `postal_partner` user with its pinned permissions on `setup.vhost` (of `setup.broker`), the way
    `make run` creates it; returns its URL."""
    create_users(setup.broker.admin(), setup.vhost, environ={"POSTAL_PARTNER_PASSWORD": PARTNER_PASSWORD},
                 permissions=[POSTAL_PARTNER_PERMISSION])
    return setup.broker.url_for(setup.vhost, PARTNER_USER, PARTNER_PASSWORD)


def _partner_command(system, *args: str) -> tuple[list[str], dict]:
    """`postal_partner.py ...` logged in as postal_partner, its password from the environment."""
    url = system.broker.url_for(system.vhost, PARTNER_USER, "x").replace(f"{PARTNER_USER}:x@", f"{PARTNER_USER}@")
    env = {**os.environ, "POSTAL_PARTNER_AMQP_URL": url, "POSTAL_PARTNER_PASSWORD": PARTNER_PASSWORD}
    return [sys.executable, str(PARTNER_CLIENT), "--state", str(system.var_dir / "partner.db"), *args], env


def start_partner(system, *args: str) -> subprocess.Popen:
    """`postal_partner.py run ...` in the background; its work orders (stdout) in `partner_work_orders`."""
    command, env = _partner_command(system, "run", *args)
    with open(system.var_dir / "postal-partner.out", "ab") as out, \
            open(system.var_dir / "postal-partner.log", "ab") as log:
        return subprocess.Popen(command, env=env, stdout=out, stderr=log)


def partner_work_orders(system) -> list[dict]:
    path = system.var_dir / "postal-partner.out"
    return [json.loads(line)["work_order"] for line in path.read_text().splitlines()] if path.exists() else []


def partner_reports(system, *args: str) -> subprocess.CompletedProcess:
    """`postal_partner.py report ...`: one status, sent by hand."""
    command, env = _partner_command(system, "report", *args)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def stop_partner(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)
