"""Tracing's parts (docs/tracing.md): off by default at no cost; the W3C trace context in the CloudEvents
envelope; the outbox capturing the span in hand; HTTP server and client spans joined by `traceparent`.
The whole path over real processes, broker and OTLP receiver: tests/integration/test_tracing.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import httpx
import pytest
from flask import Flask
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.orm import Session

from motcua_shared import tracing
from motcua_shared.events import InvalidEvent, new_event, parse
from motcua_shared.events.catalogue.dossier import DOSSIER_RECEIVED
from motcua_shared.events.documents import event_schema
from motcua_shared.messaging import Outbox, outbox_table

from motcua_console.clients.base import ApiClient

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def example() -> dict:
    from motcua_shared.events import registry

    return registry.get(DOSSIER_RECEIVED).example


@pytest.fixture
def spans():
    """Tracing on in this process, spans kept in memory; off again afterwards."""
    assert not tracing.enabled()
    exporter = InMemorySpanExporter()
    assert tracing.configure("motcua-test", "9.9.9", span_processor=SimpleSpanProcessor(exporter))
    yield exporter
    tracing.shutdown()


@pytest.mark.parametrize("env,on", [
    ({}, False),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
    ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
    ({"OTEL_TRACES_EXPORTER": "otlp"}, True),
    ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, False),
    ({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, False),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "  "}, False),
])
def test_only_the_standard_variables_turn_tracing_on(env, on):
    assert tracing.wanted(env) is on


def test_off_by_default_no_sdk_no_thread_in_an_api_or_a_worker(tmp_path):
    """A process with no OTEL_* set builds its API and its worker without importing the SDK or starting
    any thread: the hooks cost one check."""
    script = """
import json, sys, threading
from motcua_intake.app import create_app
from motcua_shared import tracing, worker
from motcua_shared.service import Runtime
from motcua_intake.service import SPEC
app = create_app()
app.test_client().get("/healthz")
worker.build(Runtime(SPEC))
print(json.dumps({"on": tracing.enabled(), "sdk": sorted(m for m in sys.modules if m.startswith("opentelemetry.sdk")),
                  "threads": [t.name for t in threading.enumerate()]}))
"""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env["MOTCUA_VAR_DIR"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"on": False, "sdk": [], "threads": ["MainThread"]}


def test_the_trace_context_travels_in_the_envelope_and_a_malformed_one_is_ignored():
    event = replace(new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example()),
                    traceparent=TRACEPARENT, tracestate="vnpost=1")
    body = event.to_dict()
    assert (body["traceparent"], body["tracestate"]) == (TRACEPARENT, "vnpost=1")
    assert parse(event.to_json()) == event
    # W3C: an invalid traceparent is ignored, with its tracestate; the event itself is still good.
    for bad in ("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331", "ff-" + TRACEPARENT[3:],
                "00-00000000000000000000000000000000-b7ad6b7169203331-01", "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
                7):
        parsed = parse(json.dumps({**body, "traceparent": bad}).encode())
        assert (parsed.traceparent, parsed.tracestate) == (None, None)
        assert parsed.id == event.id
    # Still bounded like any extension attribute.
    with pytest.raises(InvalidEvent):
        parse(json.dumps({**body, "tracestate": "x" * 600}).encode())
    # Without tracing nothing is added: the body is what it always was.
    plain = new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example())
    assert "traceparent" not in plain.to_dict()


def test_the_published_json_schema_accepts_the_trace_context():
    properties = event_schema(DOSSIER_RECEIVED, {"type": "object"})["properties"]
    assert {"traceparent", "tracestate"} <= set(properties)


def _outbox():
    metadata = MetaData()
    table = outbox_table(metadata)
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    return engine, table, Outbox(table, exchange="intake.events")


def test_an_event_entering_the_outbox_carries_the_span_in_hand(spans):
    engine, table, outbox = _outbox()
    tracer = tracing._tracer
    with Session(engine) as session, session.begin():
        with tracer.start_as_current_span("request") as span:
            outbox.add(session, new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example()))
        outbox.add(session, new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example()))  # outside any span
    with engine.connect() as conn:
        traced, untraced = conn.execute(select(table.c.traceparent, table.c.body).order_by(table.c.id)).all()
    context = span.get_span_context()
    assert traced.traceparent == f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"
    assert json.loads(traced.body)["traceparent"] == traced.traceparent
    assert untraced.traceparent is None and "traceparent" not in json.loads(untraced.body)


def test_a_consumed_event_continues_its_trace_and_a_failure_names_its_class_only(spans):
    event = replace(new_event(DOSSIER_RECEIVED, source="/motcua/intake", data=example(), subject="H52.04222-261207-0001"),
                    traceparent=TRACEPARENT)
    with pytest.raises(ValueError):
        with tracing.consuming(event, queue="routing.inbox", consumer="routing"):
            raise ValueError("Lò Văn Hùng 0912345678")
    (span,) = spans.get_finished_spans()
    assert span.context.trace_id == int(TRACEPARENT[3:35], 16) and span.parent.span_id == int(TRACEPARENT[36:52], 16)
    assert span.status.description == "ValueError" and not span.events  # no exception event, no message
    assert span.attributes["cloudevents.event_subject"] == "H52.04222-261207-0001"
    assert "0912345678" not in repr(dict(span.attributes))


def test_the_console_s_call_and_the_service_s_request_are_one_trace(spans):
    """The client span's traceparent reaches the server, whose span is its child; the server records
    the route template, never the path or query that may carry what a citizen typed."""
    app = Flask("service")
    tracing.instrument_flask(app)

    @app.get("/api/v1/dossiers/<code>")
    def dossier(code):
        return {"code": code}

    client = ApiClient(httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://intake"),
                       token=lambda: "t")
    client.service = "intake"
    assert client.get("/api/v1/dossiers/H52.04222-261207-0001", phone="0912345678") == {
        "code": "H52.04222-261207-0001"}
    server, outgoing = _by_kind(spans.get_finished_spans())
    assert outgoing.name == "GET intake" and server.name == "GET /api/v1/dossiers/<code>"
    assert server.parent.span_id == outgoing.context.span_id and server.context.trace_id == outgoing.context.trace_id
    assert server.attributes["http.response.status_code"] == outgoing.attributes["http.response.status_code"] == 200
    recorded = repr([dict(s.attributes) for s in (server, outgoing)])
    assert "0912345678" not in recorded and "261207" not in recorded
    assert server.resource.attributes["service.name"] == "motcua-test"
    assert server.resource.attributes["service.version"] == "9.9.9"


def _by_kind(finished):
    from opentelemetry.trace import SpanKind

    kinds = {s.kind: s for s in finished}
    return kinds[SpanKind.SERVER], kinds[SpanKind.CLIENT]
