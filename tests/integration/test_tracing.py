"""Tracing across HTTP and AMQP (docs/tracing.md): one dossier received over HTTP is ONE trace, from the
intake API through the intake relay to the routing, notification, postal and reporting workers and the
events they publish in turn, exported over OTLP/HTTP to a real receiver that decodes the protobuf.

Nothing in any span names a citizen. An event without a traceparent is handled as before (its consumers
start a trace of their own)."""
from __future__ import annotations

import secrets
import time

import httpx
import pytest

from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED

from motcua_testing.otlp import OtlpReceiver
from motcua_testing.ports import free_port
from motcua_testing.system import spec_of
from motcua_testing.waiting import wait_for

pytestmark = pytest.mark.timeout(120)

WORKERS = ("intake", "routing", "notification", "postal", "reporting")
APPLICANT = {"full_name": "Lò Văn Hùng", "id_number": "014090001234", "phone": "0912345678",
             "email": "hung@example.vn", "address": "Bản Hưng Mai, xã Chiềng Khương"}


def dossier() -> dict:
    return {
        "procedure_code": "1.004873", "channel": "counter", "receiving_unit": "04222", "applicant": APPLICANT,
        "return_method": "counter",
        "documents": [{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "copy_type": "original", "count": 1}],
    }


@pytest.fixture
def receiver():
    found = OtlpReceiver()
    yield found
    found.close()


def start_api(system, service: str, env: dict[str, str]) -> str:
    """`python -m motcua_<service> api` (gunicorn, one worker) on a free port, once it answers."""
    port = free_port()
    label = f"{service}-api"
    proc = system.processes.start(label, service, "api",
                                  {**env, f"{service.upper()}_PORT": str(port), f"{service.upper()}_WEB_WORKERS": "1"})
    base = f"http://127.0.0.1:{port}"

    def answers():
        if proc.popen.poll() is not None:
            raise AssertionError(f"{label} stopped:\n{system.processes.log(label)[-2000:]}")
        try:
            return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(answers, timeout=60, interval=0.2, what=f"{label} to answer")
    return base


def _tree_complete(spans, caller: str) -> bool:
    ids = {s.span_id for s in spans}
    return all(s.parent_span_id in ids or s.parent_span_id == caller for s in spans)


def test_one_dossier_is_one_trace_from_the_api_through_every_worker(receiver, system):
    started = time.monotonic()
    otel = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100"}
    system.start_workers(extra_env=otel)
    api = start_api(system, "intake", otel)

    # The caller (a console, a proxy) is part of a trace already: its traceparent is honoured.
    trace_id, caller = secrets.token_hex(16), secrets.token_hex(8)
    answer = httpx.post(f"{api}/api/v1/dossiers", json=dossier(), timeout=30,
                        headers={**system.auth("receptionist", unit="04222"), "traceparent": f"00-{trace_id}-{caller}-01"})
    assert answer.status_code == 201, answer.text
    code = answer.json()["code"]

    expected = {"motcua-intake-api", *(f"motcua-{s}-worker" for s in WORKERS)}

    def whole_trace():
        spans = receiver.of_trace(trace_id)
        services = {s.service for s in spans}
        # Done when every process has reported, every parent has arrived, and an event published by a
        # handler has been consumed in turn (a consumer span under another consumer span).
        by_id = {s.span_id: s for s in spans}
        second_hop = [s for s in spans if s.kind == "CONSUMER" and by_id.get(s.parent_span_id)
                      and by_id[s.parent_span_id].kind == "CONSUMER"]
        return spans if expected <= services and second_hop and _tree_complete(spans, caller) else None

    spans = wait_for(whole_trace, timeout=40, what="the dossier's whole trace")
    by_id = {s.span_id: s for s in spans}

    # One root: the intake API's server span, child of the caller's span.
    roots = [s for s in spans if s.parent_span_id == caller]
    assert len(roots) == 1, [(s.service, s.name) for s in roots]
    root = roots[0]
    assert (root.service, root.kind, root.name) == ("motcua-intake-api", "SERVER", "POST /api/v1/dossiers")
    assert root.attributes["http.route"] == "/api/v1/dossiers"
    assert root.attributes["http.response.status_code"] == 201
    assert root.resource["service.version"] == spec_of("intake").version
    assert root.resource["service.namespace"] == "motcua"

    # The intake relay published the event under the request's span, confirmed by the broker.
    published = [s for s in spans if s.service == "motcua-intake-worker" and s.kind == "PRODUCER"
                 and s.attributes["cloudevents.event_type"] == DOSSIER_RECEIVED]
    assert len(published) == 1 and published[0].parent_span_id == root.span_id
    assert published[0].status_code != 2  # not ERROR
    assert published[0].attributes["messaging.destination.name"] == "intake.events"

    # Each of the four services consumed it as a child of that same span.
    for service in ("routing", "notification", "postal", "reporting"):
        consumed = [s for s in spans if s.service == f"motcua-{service}-worker" and s.kind == "CONSUMER"
                    and s.attributes["cloudevents.event_type"] == DOSSIER_RECEIVED]
        assert len(consumed) == 1, (service, [(s.name, s.attributes) for s in consumed])
        assert consumed[0].parent_span_id == root.span_id
        assert consumed[0].attributes["motcua.outcome"] == "processed"
        assert consumed[0].attributes["cloudevents.event_subject"] == code

    # What the handlers published continues the trace: a consumer under a consumer of another service.
    hops = {(by_id[s.parent_span_id].service, s.service) for s in spans
            if s.kind == "CONSUMER" and by_id[s.parent_span_id].kind == "CONSUMER"}
    assert hops, "no event published by a handler was consumed within the trace"

    # No personal data in any attribute, of any span.
    for span in spans:
        for value in span.attributes.values():
            for personal in APPLICANT.values():
                assert personal not in str(value), (span.name, value)
    assert time.monotonic() - started < 30, "the trace took too long to arrive"

    # An event written outside any trace (this process does not trace) carries no traceparent, and is
    # handled as before: its consumers start a trace of their own.
    untraced = system.client("intake").post("/api/v1/dossiers", json=dossier(),
                                            headers=system.auth("receptionist", unit="04222"))
    assert untraced.status_code == 201
    other = untraced.get_json()["code"]
    untraced_rows = [r for r in system.rows("intake", "outbox") if r["traceparent"] is None]
    assert untraced_rows and all(b"traceparent" not in bytes(r["body"]) for r in untraced_rows)
    assert {r["event_type"] for r in untraced_rows} >= {DOSSIER_RECEIVED}
    wait_for(lambda: system.count("routing", "dossier_routes") == 2, what="routing to take the untraced dossier")

    def own_traces():
        return [s for s in receiver.spans if s.kind == "CONSUMER" and s.attributes.get("cloudevents.event_subject")
                == other and s.attributes["cloudevents.event_type"] == DOSSIER_RECEIVED]

    fresh = wait_for(lambda: len(own_traces()) == 4 and own_traces(), what="the untraced event's consumer spans")
    assert all(s.parent_span_id == "" and s.trace_id != trace_id for s in fresh)
    assert len({s.trace_id for s in fresh}) == 4  # nothing linked them: four traces
