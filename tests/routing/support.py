"""What routing's tests share: dossier events as intake publishes them, answers as a province
publishes them, officers, the reference province handler as a process, and reading routing's state."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pika
from sqlalchemy import select

from motcua_shared.broker.catalogue import ROUTING_STEP_RESULTS, ROUTING_STEPS, events_exchange
from motcua_shared.broker.permissions import PROVINCE_ROUTING_PERMISSION
from motcua_shared.broker.setup import create_users
from motcua_shared.broker.topology import dead_letter_queue
from motcua_shared.events import isoformat, new_event
from motcua_shared.events.catalogue.dossier import (DOSSIER_RECEIVED, DOSSIER_SUPPLEMENT_RECEIVED,
                                                    DOSSIER_WITHDRAWN)
from motcua_shared.events.catalogue.route import STEP_COMPLETED
from motcua_shared.reference import load_catalogue, load_units
from motcua_shared.workcal import WorkingCalendar

from motcua_routing.locality import is_local
from motcua_testing.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
PROVINCE_HANDLER = ROOT / "examples" / "province_routing" / "province_routing.py"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
REPLY_TO = "result.motcua"  # the default ROUTING_REPLY_TO
# A district deployment whose province runs its own routing: Sông Mã's three-level units, and its
# nine communes' paths from 01/07/2025 (docs/domain.md §7.2).
SONG_MA = ("14.126,14.126.*," + ",".join(f"14.{code}" for code in (
    "04168", "04171", "04183", "04186", "04195", "04204", "04210", "04219", "04222")))


def routing_app(database_factory, tmp_path):
    """Routing's app on a fresh PostgreSQL database of its own, as a fixture's body (`yield from`): yields
    its runtime, with `test_client` for the officers' HTTP side; drops the database afterwards."""
    from motcua_shared.settings import load
    from motcua_testing.system import TEST_SECRET, spec_of

    from motcua_routing.app import create_app

    name = database_factory.create(spec_of("routing"))
    app = create_app(load("routing", spec_of("routing").settings, environ={
        "ROUTING_DATABASE_URL": database_factory.url(name), "MOTCUA_JWT_SECRET": TEST_SECRET,
        "MOTCUA_VAR_DIR": str(tmp_path)}))
    runtime = app.extensions["motcua"]
    runtime.test_client = app.test_client
    yield runtime
    runtime.close()
    database_factory.drop(name)


def handle(runtime, event_type: str, data: dict, *, subject: str) -> None:
    """One event through routing's handler in a transaction of its own, parsed as the consumer parses it."""
    from motcua_shared.events import parse

    from motcua_routing.handlers import handlers

    event = parse(new_event(event_type, source="/motcua/intake", data=data, subject=subject).to_json())
    with runtime.sessions.begin() as session:
        handlers(runtime)[event.type](session, event)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def received(code: str, procedure_code: str, received_at: datetime, *, receiving_unit: str = "04222",
             competent_unit: str | None = None, channel: str = "counter") -> dict:
    """The data of dossier.received exactly as intake builds it (the appointment from the calendar)."""
    units, procedure = load_units(), load_catalogue().get(procedure_code)
    day = received_at.astimezone(TZ).date()
    competent = competent_unit or receiving_unit
    due = WorkingCalendar().add(received_at, procedure.processing_time.value, procedure.processing_time.unit)
    return {
        "code": code, "procedure_code": procedure.code, "procedure_level": str(procedure.level_on(day)),
        "sector": procedure.sector, "inter_agency": procedure.inter_agency, "channel": channel,
        "receiving_unit": receiving_unit, "receiving_unit_path": units.path(receiving_unit, day),
        "competent_unit": competent, "competent_unit_path": units.path(competent, day),
        "received_at": isoformat(received_at), "due_at": isoformat(due), "return_method": "counter",
        "applicant": {"full_name": "Lò Văn Hùng", "phone": "0912345678", "email": None, "address": "Bản Hưng Mai"},
        "delivery_address": None, "fee_vnd": procedure.fee_vnd,
    }


def publish(amqp_url: str, exchange: str, routing_key: str, *events) -> None:
    """Publish CloudEvents with confirms and `mandatory`, as a producer's relay does."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for event in events:
            channel.basic_publish(exchange, routing_key or event.type, event.to_json(), mandatory=True,
                                  properties=pika.BasicProperties(
                                      content_type="application/cloudevents+json", delivery_mode=2,
                                      message_id=event.id, correlation_id=event.correlationid))
    finally:
        connection.close()


def as_intake(system, event_type: str, data: dict):
    event = new_event(event_type, source="/motcua/intake", subject=data["code"], data=data)
    publish(system.amqp_url, events_exchange("intake"), event_type, event)
    return event


def receive(system, *dossiers: dict) -> None:
    for data in dossiers:
        as_intake(system, DOSSIER_RECEIVED, data)


def withdraw(system, code: str, at: datetime):
    return as_intake(system, DOSSIER_WITHDRAWN, {"code": code, "occurred_at": isoformat(at), "actor": "desk-1",
                                                 "reason": "Công dân không còn nhu cầu."})


def supplement_received(system, code: str, paused_from: datetime, at: datetime, due_at: datetime):
    return as_intake(system, DOSSIER_SUPPLEMENT_RECEIVED, {
        "code": code, "occurred_at": isoformat(at), "actor": "desk-1", "paused_from": isoformat(paused_from),
        "due_at": isoformat(due_at)})


def answer(system, step_id: str, dossier_code: str, outcome: str = "approved", *, completed_at: datetime,
           note: str | None = None, handled_by: str = "Sở Tư pháp tỉnh Sơn La", event_id: str | None = None):
    """A step's answer as a province handler sends it, on routing.step-results with the reply key."""
    event = new_event(STEP_COMPLETED, source="/province/14/routing", subject=dossier_code, data={
        "step_id": step_id, "dossier_code": dossier_code, "outcome": outcome,
        "completed_at": isoformat(completed_at), "handled_by": handled_by, "note": note})
    if event_id:
        event = dataclasses.replace(event, id=event_id)
    publish(system.amqp_url, ROUTING_STEP_RESULTS, REPLY_TO, event)
    return event


def answer_every_step(system, code: str, *, started: datetime, each: timedelta,
                      handled_by: str = "UBND xã Chiềng Khương") -> datetime:
    """Answer each step of `code` as the province as soon as it opens, the first ending `each` after
    `started` and every next one `each` later, until the route leaves in_progress; the last end."""
    ended = started
    for _ in range(10):
        step = wait_for(lambda: open_step(system, code) or route(system, code)["status"] != "in_progress",
                        timeout=60, what="the next step or the end of the route")
        if step is True:
            return ended
        ended += each
        answer(system, step["step_id"], code, completed_at=ended, handled_by=handled_by)
        wait_for(lambda: (open_step(system, code) or {}).get("step_id") != step["step_id"], timeout=60,
                 what="the step to close")
    raise AssertionError(f"{code} still has steps after ten answers")


def start_routing(system, name: str = "routing-worker", **env: str) -> None:
    """A routing worker, once it consumes. Its deadline sweep runs at start, then hourly: the deadlines
    of the tests' historical dossiers stay out of the way (or come once, early, in the outbox)."""
    system.processes.start(name, "routing", "worker", {"ROUTING_SWEEP_SECONDS": "3600", **env})
    wait_for(lambda: '"consumer_started"' in system.processes.log(name), what=f"{name} to consume")


# -- routing's state ---------------------------------------------------------------------------------
def route(system, code: str) -> dict | None:
    rows = [r for r in system.rows("routing", "dossier_routes") if r["dossier_code"] == code]
    return rows[0] if rows else None


def steps(system, code: str) -> list[dict]:
    return sorted((s for s in system.rows("routing", "route_steps") if s["dossier_code"] == code),
                  key=lambda s: (s["sequence"], s["attempt"]))


def wait_route(system, code: str, status: str, timeout: float = 30) -> dict:
    return wait_for(lambda: (lambda r: r if r and r["status"] == status else None)(route(system, code)),
                    timeout=timeout, what=f"route of {code} to be {status}")


def published(system, event_type: str, code: str | None = None) -> list[dict]:
    """Events routing wrote into its outbox (hence published), as (exchange, routing key, event) dicts."""
    rt = system.runtime("routing")
    table = rt.spec.outbox_table
    with rt.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.event_type == event_type).order_by(table.c.id)).mappings()
        found = [{"exchange": r["exchange"], "routing_key": r["routing_key"], **json.loads(r["body"])} for r in rows]
    return [e for e in found if code is None or e["subject"] == code]


def open_step(system, code: str) -> dict | None:
    return next((s for s in steps(system, code) if s["status"] in ("assigned", "claimed")), None)


def wait_local(system, code: str) -> dict:
    """The open step of `code`, once it has reached the local work inbox."""
    return wait_for(lambda: (lambda s: s if s and s["local_at"] else None)(open_step(system, code)),
                    what=f"a local step of {code}")


def take(amqp_url: str, queue: str) -> list[tuple[pika.BasicProperties, dict]]:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        taken = []
        while True:
            method, props, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                return taken
            taken.append((props, json.loads(body)))
    finally:
        connection.close()


def dead_letters(amqp_url: str, queue: str):
    return take(amqp_url, dead_letter_queue(queue))


def steps_queue(amqp_url: str, name: str, *keys: str) -> None:
    """A queue of the test's own on routing.steps: the test then plays an external step handler."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        channel = connection.channel()
        channel.queue_declare(name, durable=True)
        for key in keys:
            channel.queue_bind(name, ROUTING_STEPS, routing_key=key)
    finally:
        connection.close()


def clock_offset_to(target: datetime) -> str:
    """MOTCUA_CLOCK_OFFSET_SECONDS that makes a worker started now believe it is `target`."""
    return str((target - datetime.now(timezone.utc)).total_seconds())


# -- officers ---------------------------------------------------------------------------------------
def officer(system, unit: str, role: str = "specialist", sub: str | None = None) -> dict:
    return system.auth(role, unit=unit, sub=sub or f"{role}-{unit}")


def work_through(system, code: str, patterns: tuple[str, ...] = ("#",), *, outcome: str = "approved") -> str:
    """Officers of each local step's unit claim and complete it, until the route leaves the
    deployment's hands: "done" (no longer in progress) or "external" (its open step is a province's)."""
    client = system.client("routing")

    def next_move():
        current = route(system, code)
        if current is None:
            return None
        if current["status"] != "in_progress":
            return "done", None
        step = open_step(system, code)
        if step is None:
            return None
        if not is_local(step["unit_path"], patterns):
            return "external", step
        return ("local", step) if step["local_at"] else None

    while True:
        move, step = wait_for(next_move, what=f"the next step of {code}")
        if move != "local":
            return move
        headers = officer(system, step["unit"], "leader" if step["action"] in ("approve", "sign") else "specialist")
        claimed = client.post(f"/api/v1/steps/{step['step_id']}/claim", headers=headers)
        assert claimed.status_code == 200, claimed.get_json()
        body = {"outcome": outcome} if outcome == "approved" else {"outcome": outcome, "note": "Thiếu giấy tờ."}
        done = client.post(f"/api/v1/steps/{step['step_id']}/complete", headers=headers, json=body)
        assert done.status_code == 200, done.get_json()


# -- the reference province handler ----------------------------------------------------------------
def start_province(system, **env: str) -> subprocess.Popen:
    """The reference province handler as a separate process, logged in as `province_routing`."""
    create_users(system.broker.admin(), system.vhost, environ={}, permissions=[PROVINCE_ROUTING_PERMISSION])
    user = PROVINCE_ROUTING_PERMISSION.user  # without PROVINCE_ROUTING_PASSWORD its password is its name
    log = open(system.var_dir / "province-routing.log", "ab")
    process = subprocess.Popen([sys.executable, str(PROVINCE_HANDLER)], stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True, env={
                                   **os.environ, "PROVINCE_AMQP_URL": system.broker.url_for(system.vhost, user, user),
                                   "PROVINCE_STATE": str(system.var_dir / "province.sqlite3"), **env})
    log.close()
    wait_for(lambda: "handling steps" in province_log(system), what="the province handler to bind its queue")
    return process


def province_log(system) -> str:
    path = system.var_dir / "province-routing.log"
    return path.read_text(errors="replace") if path.exists() else ""


def stop_process(process: subprocess.Popen) -> int:
    import signal

    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    return process.wait(timeout=30)
