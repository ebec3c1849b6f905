"""The objects the authorisation matrix acts on: each service in the test process on its own fresh
PostgreSQL database (no broker), its data made through its API or by giving the events it consumes
to its real handlers, parsed and validated as the consumer does, in one transaction each.

Every object belongs to commune A (04222, Chiềng Khương) of Sông Mã district (126) in province 14,
in one of two worlds: "3L", received on 15/03/2019 under the three-level hierarchy (path
14.126.04222), or "2L", received now under the two-level one (14.04222, no district any more).
`fresh=True` gives a new object, for an action that changes what it acts on; otherwise one is
made once per (world, unit) and reused, since an out-of-scope request must change nothing.
"""
from __future__ import annotations

import copy
import itertools
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from motcua_shared.events import isoformat, new_event, parse, registry
from motcua_shared.events.catalogue import dossier as dossier_events
from motcua_shared.events.catalogue import route as route_events
from motcua_shared.reference import load_units
from motcua_shared.service import Runtime
from motcua_shared.settings import load
from motcua_shared.web.auth import issue_token

from motcua_testing.system import TEST_SECRET, spec_of

VN = ZoneInfo("Asia/Ho_Chi_Minh")
A, B, DISTRICT, PROVINCE = "04222", "04171", "126", "14"  # A and B: sibling communes of Sông Mã
OLD_DAY = datetime(2019, 3, 15, 8, 30, tzinfo=VN)
WORLDS = ("3L", "2L")
# The caller's unit claim, as seen from commune A. "unknown" names no unit; "wildcard" is what a SQL
# LIKE would read as "every unit"; "none" is no claim at all. The last two are refused with the token
# (401): an officer's token names a unit code, and no unit is not "the whole province".
UNITS = {"commune": A, "sibling": B, "district": DISTRICT, "province": PROVINCE, "none": None, "unknown": "99999",
         "wildcard": "%"}
APPLICANT_ID = "014090001234"  # the citizen who owns A's dossiers
OTHER_CITIZEN = "014190009999"


def day_of(world: str) -> date:
    return OLD_DAY.date() if world == "3L" else datetime.now(VN).date()


def path(unit: str, world: str) -> str:
    return load_units().path(unit, day_of(world))


def sub_of(role: str, unit: str | None) -> str:
    return f"{role}-{unit or 'province'}"


def token(*roles: str, unit: str | None = None, sub: str | None = None, **kwargs) -> str:
    return issue_token(secret=TEST_SECRET, roles=roles, unit=unit, sub=sub or sub_of(roles[0], unit), **kwargs)


def bearer(*roles: str, unit: str | None = None, sub: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(*roles, unit=unit, sub=sub)}"}


ADMIN = {"Authorization": f"Bearer {token('admin', unit=PROVINCE, sub='admin-province')}"}  # the province's admin


_serials = itertools.count(1)


def new_code(unit: str, world: str) -> str:
    # A counter, not a random number: a repeated code would be the same dossier to the services.
    return f"H52.{unit}-{day_of(world):%y%m%d}-{next(_serials) % 10000:04d}"


def _event(event_type: str, data: dict, subject: str | None, source: str):
    # Through the wire form, as the consumer receives it: the catalogue's schema checks the data.
    return parse(new_event(event_type, source=source, subject=subject, data=data).to_json())


def _facts(code: str, unit: str, world: str, **overrides) -> dict:
    data = copy.deepcopy(registry.get(dossier_events.DOSSIER_RECEIVED).example)
    data.update(code=code, receiving_unit=unit, receiving_unit_path=path(unit, world), competent_unit=unit,
                competent_unit_path=path(unit, world), procedure_code="1.004884", **overrides)
    return data


class Service:
    name = ""

    def __init__(self, database_url: str, tmp: str, **env: str):
        self.env = {f"{self.name.upper()}_DATABASE_URL": database_url, "MOTCUA_JWT_SECRET": TEST_SECRET,
                    "MOTCUA_VAR_DIR": tmp, **env}
        module = __import__(f"motcua_{self.name}.app", fromlist=["create_app"])
        self.app = module.create_app(load(self.name, spec_of(self.name).settings, environ=self.env))
        self.client = self.app.test_client()
        self._made: dict = {}

    @property
    def runtime(self) -> Runtime:
        return self.app.extensions["motcua"]

    def once(self, key, make):
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def close(self) -> None:
        self.runtime.close()


# -- intake ---------------------------------------------------------------------------------------------
class Intake(Service):
    name = "intake"

    def _post(self, path: str, body: dict, headers: dict, status: int = 200) -> dict:
        answer = self.client.post(path, json=body, headers=headers)
        assert answer.status_code == status, (path, answer.status_code, answer.get_json())
        return answer.get_json()

    def receive(self, unit: str, world: str, *, submitted: bool = False) -> str:
        body = {"procedure_code": "1.004884", "channel": "counter", "receiving_unit": unit,
                "applicant": {"full_name": "Lò Văn Hùng", "id_number": APPLICANT_ID, "phone": "0912345678",
                              "email": None, "address": "Bản Hưng Mai"},
                "return_method": "counter",
                "documents": [{"name": "Tờ khai đăng ký lại khai sinh", "copy_type": "original", "count": 1}]}
        if submitted:
            body["status"] = "submitted"
        if world == "3L":  # a historical dossier, entered by a province administrator
            body["received_at"] = OLD_DAY.isoformat()
            return self._post("/api/v1/dossiers", body, ADMIN, 201)["code"]
        return self._post("/api/v1/dossiers", body, bearer("receptionist", unit=unit), 201)["code"]

    def act(self, code: str, action: str, body: dict | None = None) -> dict:
        return self._post(f"/api/v1/dossiers/{code}/{action}", body or {}, ADMIN)

    def deliver(self, event_type: str, data: dict) -> None:
        from motcua_intake import handlers

        event = _event(event_type, data, data.get("dossier_code"), "/motcua/routing")
        with self.runtime.sessions.begin() as session:
            handlers.build(self.runtime.extras["desk"])[event.type](session, event)

    def dossier(self, world: str, unit: str = A, state: str = "received", fresh: bool = False) -> str:
        """A dossier of `unit` in `state` (received, submitted, refused, processed, supplement_required
        (at reception), processing_supplement, withdrawal_requested, apologised, in_progress,
        awaiting_payment, stopped)."""
        if not fresh:
            return self.once(("dossier", world, unit, state), lambda: self.dossier(world, unit, state, True))
        code = self.receive(unit, world, submitted=state in ("submitted", "refused", "supplement_required"))
        now = datetime.now(timezone.utc)
        if state == "refused":
            self.act(code, "refusal", {"reason": "Hồ sơ không thuộc trường hợp giải quyết."})
        elif state == "supplement_required":
            self.act(code, "supplement-request", {"note": "Thiếu bản sao giấy khai sinh.", "items": ["Bản sao"]})
        elif state == "processed":
            self.deliver(route_events.ROUTE_COMPLETED, {"dossier_code": code, "outcome": "approved",
                                                        "completed_at": now.isoformat(), "note": None})
        elif state == "processing_supplement":
            self.deliver(route_events.ROUTE_SUPPLEMENT_REQUIRED, {
                "dossier_code": code, "step_id": "S-1", "requested_at": now.isoformat(),
                "note": "Thiếu bản sao Giấy khai sinh."})
        elif state == "withdrawal_requested":
            self.act(code, "withdrawal-request", {"reason": "Công dân không còn nhu cầu."})
        elif state in ("in_progress", "awaiting_payment"):  # routing started it; a fee asked for (issue 14)
            self.deliver(route_events.ROUTE_STARTED, {
                "dossier_code": code, "started_at": now.isoformat(), "due_at": (now + timedelta(days=5)).isoformat(),
                "steps": [{"step_id": "S-1", "sequence": 1, "unit": unit, "unit_path": path(unit, world),
                           "level": "commune", "action": "process", "budget_hours": 40.0}]})
            if state == "awaiting_payment":
                self.act(code, "payment-request", {"obligation": "fee", "amount_vnd": 10000, "purpose": "Lệ phí"})
        elif state == "stopped":  # the agency stopped it with its reason (issue 14)
            self.act(code, "stop", {"ground": "not_eligible", "reason": "Không đủ điều kiện."})
        elif state == "apologised":  # routing's apology with a new appointment (Mẫu 04)
            self.deliver(route_events.APOLOGY_ISSUED, {
                "dossier_code": code, "original_due_at": now.isoformat(), "new_due_at": now.isoformat(),
                "reason": "Cần xác minh thêm.", "issued_at": now.isoformat(), "unit": unit})
        return code

    def status(self, code: str) -> str:
        answer = self.client.get(f"/api/v1/dossiers/{code}", headers=ADMIN)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["status"]


# -- routing --------------------------------------------------------------------------------------------
class Routing(Service):
    name = "routing"

    def _handle(self, event_type: str, data: dict, source: str = "/motcua/intake") -> None:
        from motcua_routing.handlers import handlers

        event = _event(event_type, data, data.get("code") or data.get("dossier_code"), source)
        with self.runtime.sessions.begin() as session:
            handlers(self.runtime)[event.type](session, event)

    def steps(self, code: str) -> list[dict]:
        from motcua_routing.models import route_steps

        with self.runtime.engine.connect() as conn:
            rows = conn.execute(select(route_steps).where(route_steps.c.dossier_code == code)
                                .order_by(route_steps.c.sequence, route_steps.c.attempt)).mappings()
            return [dict(r) for r in rows]

    def localise(self, code: str) -> dict:
        """The open step of `code` enters the local work inbox: its step.assigned event, as routing put it
        in its outbox, is given to the handler of the local step queue. Returns the step."""
        import json

        step = next(s for s in self.steps(code) if s["status"] in ("assigned", "claimed"))
        if step["local_at"] is None:
            outbox = self.runtime.spec.outbox_table
            with self.runtime.engine.connect() as conn:
                bodies = conn.execute(select(outbox.c.body).where(outbox.c.event_type == route_events.STEP_ASSIGNED)
                                      .order_by(outbox.c.id.desc())).scalars()
                event = next(json.loads(b) for b in bodies if json.loads(b)["data"]["step_id"] == step["step_id"])
            self._handle(route_events.STEP_ASSIGNED, event["data"], source="/motcua/routing")
        return step

    def route(self, world: str, unit: str = A, fresh: bool = False) -> tuple[str, str]:
        """(dossier code, id of its first step, in the local inbox): 1.004884, process then sign at the commune."""
        if not fresh:
            return self.once(("route", world, unit), lambda: self.route(world, unit, True))
        code = new_code(unit, world)
        received_at = OLD_DAY if world == "3L" else datetime.now(VN) - timedelta(minutes=5)
        data = _facts(code, unit, world, received_at=isoformat(received_at),
                      due_at=isoformat(received_at + timedelta(days=7)))
        self._handle(dossier_events.DOSSIER_RECEIVED, data)
        return code, self.localise(code)["step_id"]

    def hand_second_step_to(self, world: str, unit: str, sub: str) -> str:
        """A fresh route whose first step is done and whose second (sign) is held by `sub`: a step that
        can be sent back."""
        code, first = self.route(world, unit, fresh=True)
        leader = bearer("leader", unit=PROVINCE)
        for action, body in (("claim", None), ("complete", {"outcome": "approved"})):
            answer = self.client.post(f"/api/v1/steps/{first}/{action}", json=body, headers=leader)
            assert answer.status_code == 200, answer.get_json()
        second = self.localise(code)["step_id"]
        self.hold(second, sub)
        return second

    def hold(self, step_id: str, sub: str) -> None:
        """The step claimed by `sub` (as if they had claimed it while it was in their scope)."""
        from motcua_routing.models import route_steps

        with self.runtime.sessions.begin() as session:
            session.execute(update(route_steps).where(route_steps.c.step_id == step_id).values(
                status="claimed", claimed_by=sub, claimed_at=datetime.now(timezone.utc)))

    def step(self, step_id: str) -> dict:
        from motcua_routing.routes import find_step

        with self.runtime.sessions() as session:
            return dict(find_step(session, step_id))


# -- notification ---------------------------------------------------------------------------------------
class Notification(Service):
    name = "notification"

    def dossier(self, world: str, unit: str = A) -> str:
        return self.once(("dossier", world, unit), lambda: self._received(world, unit, "0912345678"))

    def _received(self, world: str, unit: str, phone: str) -> str:
        from motcua_notification.handlers import handlers
        from motcua_notification.options import Options

        code = new_code(unit, world)
        received_at = datetime.now(timezone.utc) - timedelta(minutes=10)
        data = _facts(code, unit, world, received_at=isoformat(received_at),
                      due_at=isoformat(received_at + timedelta(days=3)))
        data["applicant"].update(phone=phone, email="hung.lo@example.vn")
        event = _event(dossier_events.DOSSIER_RECEIVED, data, code, "/motcua/intake")
        settings = self.runtime.settings
        with self.runtime.sessions.begin() as session:
            handlers(settings, Options.from_settings(settings))[event.type](session, event)
        return code

    def contact(self, world: str, unit: str = A) -> str:
        """The phone number of a new dossier of `unit`, one no other dossier uses: an address in its scope."""
        phone = f"09{next(_serials) % 10**8:08d}"
        self._received(world, unit, phone)
        return phone

    def opt_out(self) -> str:
        """An opt-out of the phone of one of commune A's dossiers, recorded by a province-wide admin."""
        answer = self.client.post("/api/v1/opt-outs", json={"channel": "sms", "address": self.contact("2L")},
                                  headers=ADMIN)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["id"]


# -- postal ---------------------------------------------------------------------------------------------
class Postal(Service):
    name = "postal"

    def shipment(self, world: str, unit: str = A, fresh: bool = False) -> str:
        """A shipment carrying a dossier sent by post to the desk of `unit` (status `requested`)."""
        if not fresh:
            return self.once(("shipment", world, unit), lambda: self.shipment(world, unit, True))
        from motcua_postal.config import PostalConfig
        from motcua_postal.handlers import build
        from motcua_postal.models import shipments

        code = new_code(unit, world)
        submitted_at = OLD_DAY if world == "3L" else datetime.now(VN) - timedelta(minutes=10)
        data = _facts(code, unit, world, channel="postal", return_method="postal", submitted_at=isoformat(submitted_at),
                      delivery_address="Số 12, bản Hưng Mai, xã Chiềng Khương")
        data.pop("received_at"), data.pop("due_at")
        data["applicant"].update(address="Bản Hưng Mai, xã Chiềng Khương", phone="0912345678")
        event = _event(dossier_events.DOSSIER_SUBMITTED, data, code, "/motcua/intake")
        with self.runtime.sessions.begin() as session:
            build(PostalConfig.from_settings(self.runtime.settings))[event.type](session, event)
        with self.runtime.engine.connect() as conn:
            return conn.execute(select(shipments.c.id).where(shipments.c.dossier_code == code)).scalar_one()

    def dossier_of(self, shipment_id: str) -> str:
        from motcua_postal.models import shipments

        with self.runtime.engine.connect() as conn:
            return conn.execute(select(shipments.c.dossier_code).where(shipments.c.id == shipment_id)).scalar_one()

    def status(self, shipment_id: str) -> str:
        from motcua_postal.models import shipments

        with self.runtime.engine.connect() as conn:
            return conn.execute(select(shipments.c.status).where(shipments.c.id == shipment_id)).scalar_one()


# -- reporting ------------------------------------------------------------------------------------------
class Reporting(Service):
    name = "reporting"

    def feed_one_dossier_per_unit_and_world(self) -> None:
        for world in WORLDS:
            for unit in (A, B):
                self.received(unit, world, OLD_DAY if world == "3L" else datetime.now(VN) - timedelta(days=1))

    def received(self, unit: str, world: str, received_at: datetime) -> str:
        from motcua_reporting.handlers import store_and_project

        code = new_code(unit, world)
        data = _facts(code, unit, world, received_at=isoformat(received_at),
                      due_at=isoformat(received_at + timedelta(days=7)))
        with self.runtime.sessions.begin() as session:
            store_and_project(session, _event(dossier_events.DOSSIER_RECEIVED, data, code, "/motcua/intake"))
        return code


    def job(self) -> str:
        """The id of the rebuild job (queued by the province's administrator; no worker runs it here)."""
        answer = self.client.post("/api/v1/admin/projections/rebuild", headers=ADMIN)
        assert answer.status_code in (202, 409), answer.get_json()
        return answer.get_json()["id" if answer.status_code == 202 else "job"]


SERVICES = {"intake": Intake, "routing": Routing, "notification": Notification, "postal": Postal,
            "reporting": Reporting}
