"""OpenTelemetry tracing across HTTP and AMQP: one dossier's path through the processes is one trace.

Off by default. A process traces only when the standard OpenTelemetry environment asks for it
(`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_TRACES_EXPORTER=otlp`);
then spans go over OTLP/HTTP (protobuf) through a BatchSpanProcessor. Off, the SDK is not even
imported, no thread is started, and every hook below costs one `is None` check.

Where spans come from (docs/tracing.md):
- a SERVER span per HTTP request (`instrument_flask`), child of the caller's W3C `traceparent`;
- a CLIENT span per outgoing HTTP call (`http_client_span`), whose context is sent as `traceparent`;
- the context of the span in hand is written into each event when it enters the outbox
  (`current_trace`), as the CloudEvents distributed-tracing extension attributes `traceparent` and
  `tracestate`, and into the outbox row;
- a PRODUCER span when the relay publishes the row, from publish to the broker's confirm (`publish_span`);
- a CONSUMER span around each handled event (`consuming`), child of the event's `traceparent`, so
  what the handler publishes continues the same trace.

Attributes never carry personal data: no URL, query string, body, name, phone, address or identity
number, and no exception message (it may quote data), only its class. The dossier code (an event's
`subject`) is recorded, because it is what an operator searches a trace by; it names a dossier, not
a person.
"""
from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, ContextManager, Iterator, Mapping, MutableMapping

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import INVALID_SPAN, SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from . import context as log_context

if TYPE_CHECKING:  # pragma: no cover
    from .events import Event
    from .messaging.outbox import OutboxRow

log = logging.getLogger("motcua.tracing")

INSTRUMENTATION = "motcua"
# W3C Trace Context level 1 (https://www.w3.org/TR/trace-context/#traceparent-header-field-values): a later
# version may append fields; version ff and all-zero ids are invalid.
TRACEPARENT = re.compile(r"^(?!ff)[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}(-[^\s]*)?$")
# Probes and scrapes would bury the requests that matter.
UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

_propagator = TraceContextTextMapPropagator()
# What the span hooks hand out when tracing is off: one shared object, no span, no allocation.
_OFF = nullcontext(INVALID_SPAN)
_tracer: trace.Tracer | None = None  # None: tracing is off in this process
_provider = None


def wanted(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the standard OpenTelemetry variables ask this process to export traces."""
    env = os.environ if environ is None else environ
    if env.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = {part.strip().lower() for part in env.get("OTEL_TRACES_EXPORTER", "").split(",") if part.strip()}
    if exporters:
        if exporters - {"otlp", "none"}:
            log.warning("tracing_exporter_unsupported", extra={"detail": "only OTEL_TRACES_EXPORTER=otlp is supported"})
        return "otlp" in exporters
    return bool(env.get("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip()
                or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").strip())


def configure(service_name: str, version: str | None = None, *, span_processor=None) -> bool:
    """Turn tracing on for this process when the environment asks for it (or a processor is given, in
    tests); returns whether it is on. Called once per process, after any fork: the batch processor's
    thread must belong to the process that records the spans. A second call changes nothing."""
    global _tracer, _provider
    if _tracer is not None:
        return True
    if span_processor is None and not wanted():
        return False
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider

    protocol = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or os.environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
    if protocol and protocol != "http/protobuf":
        log.warning("tracing_protocol_unsupported", extra={"detail": "spans are sent over http/protobuf"})
    if span_processor is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        # Endpoint, headers, time-out, compression, certificates and the batch's size and delay come
        # from the standard OTEL_EXPORTER_OTLP_* and OTEL_BSP_* variables; the sampler from OTEL_TRACES_SAMPLER.
        span_processor = BatchSpanProcessor(OTLPSpanExporter())
    attributes = {"service.name": service_name, "service.namespace": "motcua"}
    if version:
        attributes["service.version"] = version
    # OTEL_RESOURCE_ATTRIBUTES (e.g. deployment.environment.name=production) is merged in; the name is ours.
    _provider = TracerProvider(resource=Resource.create(attributes))
    _provider.add_span_processor(span_processor)
    _tracer = _provider.get_tracer(INSTRUMENTATION, version)
    log.info("tracing_on", extra={"service_name": service_name})
    return True


def shutdown() -> None:
    """Export what is still batched and turn tracing off (a worker's clean stop; tests)."""
    global _tracer, _provider
    provider, _tracer, _provider = _provider, None, None
    if provider is not None:
        provider.shutdown()


def enabled() -> bool:
    return _tracer is not None


def _parent(traceparent: str | None, tracestate: str | None) -> otel_context.Context:
    """The context to start a span under: the one a traceparent names, else a new trace (never the
    ambient span, which belongs to other work)."""
    if not traceparent:
        return otel_context.Context()
    carrier = {"traceparent": traceparent}
    if tracestate:
        carrier["tracestate"] = tracestate
    return _propagator.extract(carrier, context=otel_context.Context())


def _failed(span, exc: BaseException) -> None:
    # The class only: a message may quote a citizen's data.
    span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
    span.set_attribute("error.type", type(exc).__name__)


# -- events --------------------------------------------------------------------------------------

def valid_traceparent(value: Any) -> str | None:
    """A traceparent as received in an event, if it is one; anything else is ignored (W3C: start anew)."""
    return value if isinstance(value, str) and TRACEPARENT.match(value) else None


def current_trace() -> tuple[str | None, str | None]:
    """(traceparent, tracestate) of the span in hand, for an event entering the outbox; (None, None) when
    tracing is off or no span is in hand."""
    if _tracer is None:
        return None, None
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent"), carrier.get("tracestate") or None


def _event_attributes(event: "Event") -> dict[str, Any]:
    attributes = {"cloudevents.event_id": event.id, "cloudevents.event_type": event.type,
                  "cloudevents.event_source": event.source, "motcua.correlation_id": event.correlationid}
    if event.subject:
        attributes["cloudevents.event_subject"] = event.subject
    return attributes


def consuming(event: "Event", *, queue: str, consumer: str) -> ContextManager[trace.Span]:
    """The CONSUMER span of one delivery, child of the event's traceparent (a new trace without one),
    current while the handler runs so that the events it writes carry it on."""
    return _OFF if _tracer is None else _consuming(event, queue, consumer)


@contextmanager
def _consuming(event: "Event", queue: str, consumer: str) -> Iterator[trace.Span]:
    attributes = {"messaging.system": "rabbitmq", "messaging.operation.type": "process",
                  "messaging.operation.name": "process", "messaging.destination.name": queue,
                  "messaging.consumer.group.name": consumer, "messaging.message.id": event.id,
                  **_event_attributes(event)}
    with _tracer.start_as_current_span(f"process {event.type}", context=_parent(event.traceparent, event.tracestate),
                                       kind=SpanKind.CONSUMER, attributes=attributes, record_exception=False,
                                       set_status_on_exception=False) as span:
        try:
            yield span
        except BaseException as exc:
            _failed(span, exc)
            raise


def handling_failed(span: trace.Span, exc: BaseException, outcome: str) -> None:
    """A handler that raised: the span says so (class only) and what became of the event."""
    _failed(span, exc)
    span.set_attribute("motcua.outcome", outcome)


def publish_span(row: "OutboxRow"):
    """The PRODUCER span of one outbox row's publish, child of the context the event was written under;
    None when tracing is off or the event was written outside any trace. Ended by `published`."""
    if _tracer is None or not row.traceparent:
        return None
    return _tracer.start_span(
        f"publish {row.event_type}", context=_parent(row.traceparent, row.tracestate), kind=SpanKind.PRODUCER,
        attributes={"messaging.system": "rabbitmq", "messaging.operation.type": "send",
                    "messaging.operation.name": "publish", "messaging.destination.name": row.exchange,
                    "messaging.rabbitmq.destination.routing_key": row.routing_key,
                    "messaging.message.id": row.event_id, "cloudevents.event_id": row.event_id,
                    "cloudevents.event_type": row.event_type, "motcua.correlation_id": row.correlation_id})


def published(span, error: str | None = None) -> None:
    """End a publish span: confirmed by the broker, or not (nacked, unroutable, channel lost)."""
    if span is None:
        return
    if error:
        span.set_status(Status(StatusCode.ERROR, error))
    span.end()


# -- HTTP ----------------------------------------------------------------------------------------

def instrument_flask(app) -> None:
    """A SERVER span per request, child of the caller's `traceparent`. Call right after creating the app
    so that its hooks run first and end last."""
    if _tracer is None:
        return
    from flask import g, request

    def start():
        if request.path in UNTRACED_PATHS:
            return
        rule = request.url_rule.rule if request.url_rule is not None else None
        attributes = {"http.request.method": request.method}
        if rule:
            # The route template, never the path itself: paths and queries may carry what a citizen typed.
            attributes["http.route"] = rule
        span = _tracer.start_span(f"{request.method} {rule}" if rule else request.method,
                                  context=_propagator.extract(request.headers, context=otel_context.Context()),
                                  kind=SpanKind.SERVER, attributes=attributes)
        g._motcua_span = span
        g._motcua_span_token = otel_context.attach(trace.set_span_in_context(span))

    def finish(response):
        span = g.get("_motcua_span")
        if span is not None:
            responded(span, response.status_code)
            if log_context.correlation_id():  # bridges the trace to the JSON log lines
                span.set_attribute("motcua.correlation_id", log_context.correlation_id())
        return response

    def end(exc):
        span = g.pop("_motcua_span", None)
        if span is None:
            return
        if exc is not None:
            _failed(span, exc)
        otel_context.detach(g.pop("_motcua_span_token"))
        span.end()

    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request(finish)
    app.teardown_request_funcs.setdefault(None, []).insert(0, end)


def responded(span: trace.Span, status: int) -> None:
    """Record an HTTP answer's status on a server or client span; a 5xx marks it failed."""
    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR, str(status)))


def http_client_span(backend: str, method: str, headers: MutableMapping[str, str]) -> ContextManager[trace.Span]:
    """A CLIENT span around one outgoing HTTP call; its `traceparent` is added to `headers`. The caller
    records the answer with `responded(span, status)`."""
    return _OFF if _tracer is None else _http_client_span(backend, method, headers)


@contextmanager
def _http_client_span(backend: str, method: str, headers: MutableMapping[str, str]) -> Iterator[trace.Span]:
    with _tracer.start_as_current_span(f"{method} {backend}", kind=SpanKind.CLIENT,
                                       attributes={"http.request.method": method, "server.address": backend},
                                       record_exception=False, set_status_on_exception=False) as span:
        _propagator.inject(headers)
        try:
            yield span
        except BaseException as exc:
            _failed(span, exc)
            raise
