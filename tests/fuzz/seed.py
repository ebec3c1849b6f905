"""Records the fuzz tests address: without them every generated code or id meets 404 and the handlers'
real work (state transitions, forms, previews) is never reached. Intake's and notification's are made
through their own API; routing's and postal's from intake's dossier events, handed to the service's
handlers in-process the way its consumer does (the workers need not run)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from motcua_shared.events import new_event, parse
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

from intake.support import dossier
from postal.harness import processed as postal_processed
from postal.harness import received as postal_received
from routing.support import received as routing_received

CODE = "G22.04222-260101-0001"


def _intake(system) -> dict[str, str]:
    client = system.client("intake")
    made = client.post("/api/v1/dossiers", json=dossier(), headers=system.auth("receptionist", unit="04222"))
    assert made.status_code == 201, made.get_json()
    day = client.put("/api/v1/calendar/overrides/2026-12-24", json={"kind": "day_off", "note": "Nghỉ bù"},
                     headers=system.auth("admin", unit="14"))
    assert day.status_code in (200, 201), day.get_json()
    return {"code": made.get_json()["code"], "day": "2026-12-24"}


def _notification(system) -> dict[str, str]:
    client = system.client("notification")
    officer = system.auth("receptionist", unit="04222")
    templates = client.get("/api/v1/templates", headers=officer)
    assert templates.status_code == 200, templates.get_json()
    body = templates.get_json()
    items = body if isinstance(body, list) else body.get("items", body.get("templates", []))
    # No dossier uses this address yet: only the province's administrator may opt it out (issue 15).
    opt_out = client.post("/api/v1/opt-outs", json={"channel": "sms", "address": "0912345678"},
                          headers=system.auth("admin", unit="14"))
    assert opt_out.status_code in (200, 201), opt_out.get_json()
    seeds = {"opt_out_id": opt_out.get_json()["id"], "code": CODE}
    if items:
        seeds["key"] = items[0]["key"]
    return seeds


def as_consumed(event):
    """The event as a consumer hands it to its handler: serialised, parsed and validated."""
    return parse(event.to_json())


def _routing(system) -> dict[str, str]:
    """A route as routing plans it from intake's dossier.received (handled in-process: no worker)."""
    from motcua_routing.handlers import handlers
    from motcua_routing.models import route_steps

    runtime = system.app("routing").extensions["motcua"]
    data = routing_received(CODE, "1.004884", datetime.now(timezone.utc) - timedelta(days=1))
    with runtime.sessions.begin() as session:
        handlers(runtime)[DOSSIER_RECEIVED](session, as_consumed(new_event(
            DOSSIER_RECEIVED, source="/motcua/intake", subject=CODE, data=data)))
        step = session.execute(select(route_steps.c.step_id).limit(1)).scalar_one()
    return {"dossier_code": CODE, "step_id": step}


def _postal(system) -> dict[str, str]:
    """A dossier that travels by post: postal opens its shipment from dossier.received (in-process)."""
    from motcua_postal.config import PostalConfig
    from motcua_postal.handlers import build
    from motcua_postal.models import shipments

    runtime = system.app("postal").extensions["motcua"]
    handlers = build(PostalConfig.from_settings(runtime.settings))
    with runtime.sessions.begin() as session:
        for event in (postal_received(CODE), postal_processed(CODE)):  # the result goes back by post
            handlers[event.type](session, as_consumed(event))
        shipment = session.execute(select(shipments.c.id).limit(1)).scalar_one()
    return {"shipment_id": shipment}


def _reporting(_system) -> dict[str, str]:
    """Reports need a unit in the reference registry and a sensible period, which random digits and
    dates rarely are: half the positive cases use Chiềng Khương's and this year's."""
    return {"unit": "04222", "from": "2026-01-01", "to": "2026-12-31"}


class Seeds(dict):
    """service → {path or query parameter name → a value naming a record that exists}."""

    MAKERS = {"intake": _intake, "notification": _notification, "routing": _routing, "postal": _postal,
              "reporting": _reporting}

    def prepare(self, system, service: str) -> None:
        self[service] = self.MAKERS[service](system) if service in self.MAKERS else {}


SEEDS = Seeds()
