"""Helpers of the intake tests: a request body with sensible defaults, the desk as a test client on
its own PostgreSQL database, and publishing the events intake consumes the way their producer does."""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pika
from sqlalchemy import func, select

from motcua_shared.events import new_event
from motcua_shared.events.envelope import CONTENT_TYPE
from motcua_shared.settings import load
from motcua_shared.web.auth import issue_token

from motcua_intake.app import create_app
from motcua_intake.config import SETTINGS

from motcua_testing.system import TEST_SECRET

VN = ZoneInfo("Asia/Ho_Chi_Minh")
APPLICANT = {"full_name": "Lò Văn Hùng", "id_number": "014090001234", "phone": "0912345678",
             "email": "hung@example.vn", "address": "Bản Hưng Mai, xã Chiềng Khương"}


def at(text: str) -> datetime:
    """'2026-04-23 09:00' in Vietnam time."""
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def dossier(**overrides) -> dict:
    """A valid counter reception at Chiềng Khương of 1.004884 (đăng ký lại khai sinh, 5 working days)."""
    body = {
        "procedure_code": "1.004884", "channel": "counter", "receiving_unit": "04222",
        "applicant": copy.deepcopy(APPLICANT), "return_method": "counter",
        "documents": [{"name": "Tờ khai đăng ký lại khai sinh", "copy_type": "original", "count": 1},
                      {"name": "Bản sao giấy tờ tùy thân", "copy_type": "copy", "count": 1}],
    }
    body.update(overrides)
    return body


def token(*roles: str, unit: str | None = None, sub: str = "officer-1", name: str = "Lường Thị Mai") -> dict:
    return {"Authorization": f"Bearer {issue_token(secret=TEST_SECRET, roles=roles, unit=unit, sub=sub, name=name)}"}


@dataclass
class IntakeDesk:
    """The intake API on its own database, as a desk and a portal use it."""

    app: object

    @classmethod
    def on(cls, database_url: str, **env: str) -> "IntakeDesk":
        settings = load("intake", SETTINGS, environ={"INTAKE_DATABASE_URL": database_url,
                                                     "MOTCUA_JWT_SECRET": TEST_SECRET, **env})
        return cls(create_app(settings))

    @property
    def client(self):
        return self.app.test_client()

    @property
    def runtime(self):
        return self.app.extensions["motcua"]

    def receive(self, unit: str = "04222", role: str = "receptionist", **overrides) -> dict:
        answer = self.client.post("/api/v1/dossiers", json=dossier(receiving_unit=unit, **overrides),
                                  headers=token(role, unit=unit))
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    def imported(self, received_at: datetime, unit: str = "04222", **overrides) -> dict:
        """A historical dossier, entered by a province administrator with its own reception time."""
        answer = self.client.post("/api/v1/dossiers", headers=token("admin", unit="14"),
                                  json=dossier(receiving_unit=unit, received_at=received_at.isoformat(), **overrides))
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    def act(self, code: str, action: str, body: dict | None = None, *, role: str = "receptionist",
            unit: str | None = "04222"):
        return self.client.post(f"/api/v1/dossiers/{code}/{action}", json=body or {}, headers=token(role, unit=unit))

    def detail(self, code: str, unit: str = "04222") -> dict:
        answer = self.client.get(f"/api/v1/dossiers/{code}", headers=token("receptionist", unit=unit))
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    def count(self, table: str) -> int:
        with self.runtime.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(self.runtime.spec.metadata.tables[table])).scalar_one()

    def events(self) -> list[dict]:
        """What intake put in its outbox, oldest first: (type, data)."""
        table = self.runtime.spec.metadata.tables["outbox"]
        with self.runtime.engine.connect() as conn:
            bodies = conn.execute(select(table.c.body).order_by(table.c.id)).scalars().all()
        return [json.loads(body) for body in bodies]

    def event_types(self, code: str | None = None) -> list[str]:
        return [e["type"] for e in self.events() if code is None or e["subject"] == code]

    def close(self) -> None:
        self.runtime.close()


def publish(amqp_url: str, exchange: str, event_type: str, data: dict, *, times: int = 1, event=None):
    """Publish a catalogue event as its producer's relay does (persistent, mandatory, confirmed)."""
    event = event or new_event(event_type, source="/motcua/test-producer", data=data,
                               subject=data.get("dossier_code"))
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for _ in range(times):
            properties = pika.BasicProperties(
                content_type=CONTENT_TYPE, delivery_mode=pika.DeliveryMode.Persistent, message_id=event.id,
                correlation_id=event.correlationid, type=event.type, app_id=event.source)
            channel.basic_publish(exchange, event.type, event.to_json(), mandatory=True, properties=properties)
    finally:
        connection.close()
    return event


def deliver(desk: IntakeDesk, event_type: str, data: dict):
    """Run intake's handler for one event exactly as its consumer does (one transaction, after parsing the
    wire form), without the broker: for setting a dossier's state up. The broker path has its own tests."""
    from motcua_shared.events import parse

    from motcua_intake import handlers

    event = parse(new_event(event_type, source="/motcua/test-producer", data=data,
                            subject=data.get("dossier_code")).to_json())
    with desk.runtime.sessions.begin() as session:
        handlers.build(desk.app.extensions["motcua"].extras["desk"])[event.type](session, event)
    return event
