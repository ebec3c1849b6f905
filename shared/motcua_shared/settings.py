"""Every setting of every service, declared once with its default and help text.

Settings are read from the environment only (twelve-factor): the same variables drive `make run`,
docker compose and the tests. `python -m motcua_shared.settings` prints the reference table that
`docs/configuration.md` is generated from, so the documentation can never drift from the code.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

SERVICES = ("intake", "routing", "notification", "postal", "reporting")
DEFAULT_PORTS = {"intake": 8001, "routing": 8002, "notification": 8003, "postal": 8004, "reporting": 8005}
# The officers' web application: a sixth process with a database of its own, but no events, so it is
# not among SERVICES (which drive the broker's topology and users).
CONSOLE = "console"
CONSOLE_PORT = 8006
WORKER_METRICS_OFFSET = 100  # a worker's /metrics port is its API's default port + 100: intake 8101, ...
LONG_REQUEST_SECONDS = 300  # see <SERVICE>_WEB_TIMEOUT
DEVELOPMENT, PRODUCTION = "development", "production"  # MOTCUA_ENV (production.py)


def _float_list(raw: str) -> tuple[float, ...]:
    return tuple(float(part) for part in raw.split(",") if part.strip())


def _at_least_one(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("must be 1 or more")
    return value


def boolean(raw: str) -> bool:
    """A yes/no setting; anything else is a typo that must stop the process, not silently mean no."""
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default, meaning and how to parse it."""

    name: str
    default: Any
    help: str
    cast: Callable[[str], Any] = str
    secret: bool = False
    # Former names still read (for one release) when the setting itself is not set.
    deprecated_aliases: tuple[str, ...] = ()

    @property
    def attr(self) -> str:
        return self.name.lower()

    def read(self, environ: Mapping[str, str]) -> Any:
        name, raw = self.name, environ.get(self.name)
        for alias in self.deprecated_aliases:
            if raw is None or raw == "":
                name, raw = alias, environ.get(alias)
        if raw is None or raw == "":
            return self.default
        try:
            return self.cast(raw)
        except ValueError as exc:  # a typo in the environment must stop the process with a clear line
            shown = "" if self.secret else f"={raw!r}"  # a secret's value never reaches a log
            raise SystemExit(f"motcua: setting {name}{shown} is invalid: {exc}") from None


def environment(raw: str) -> str:
    """MOTCUA_ENV: a typo must not quietly mean development."""
    value = raw.strip().lower()
    if value not in (DEVELOPMENT, PRODUCTION):
        raise ValueError("expected development or production")
    return value


def public_base_url(raw: str) -> str:
    """MOTCUA_PUBLIC_BASE_URL: an absolute http(s) address every link is appended to (no trailing slash)."""
    value = raw.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment \
            or parts.username is not None:
        raise ValueError("expected an absolute http(s) address without user, query or fragment, "
                         "e.g. https://motcua.sonla.gov.vn")
    return value


def _workcal():
    # Imported when a value is read, not at import time: the calendar package must not depend on settings.
    from . import workcal

    return workcal


def _checked_text(parse: Callable[[str], object]) -> Callable[[str], str]:
    """Keep the text (readable in the generated reference) but refuse a value that does not parse."""
    def cast(raw: str) -> str:
        parse(raw)
        return raw.strip()
    return cast


COMMON: tuple[Setting, ...] = (
    Setting("MOTCUA_ENV", DEVELOPMENT,
            "development or production. In production every process refuses to start, naming the setting, when a "
            "secret is unset, shorter than 32 characters or a value published in the repository, when its "
            "database is SQLite or a database or broker URL has no password, and when MOTCUA_PUBLIC_BASE_URL is "
            "not https or is a loopback address (docs/operations.md; `make secrets` writes fresh values).",
            environment),
    Setting("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F",
            "RabbitMQ URL used by every service unless <SERVICE>_AMQP_URL gives it its own broker user."),
    Setting("MOTCUA_VAR_DIR", "var", "Directory for the embedded SQLite databases and other local state."),
    Setting("MOTCUA_JWT_SECRET", "dev-secret-change-me-0123456789abcdef",
            "HS256 secret that signs and verifies bearer tokens.", secret=True),
    Setting("MOTCUA_JWT_ALGORITHM", "HS256", "HS256 (shared secret) or RS256 (verified against MOTCUA_JWKS_URL)."),
    Setting("MOTCUA_JWKS_URL", "", "JWKS URL of a provincial single sign-on, used when MOTCUA_JWT_ALGORITHM=RS256."),
    Setting("MOTCUA_JWT_PREVIOUS_SECRETS", "",
            "Comma-separated HS256 secrets replaced by MOTCUA_JWT_SECRET whose tokens are still accepted until "
            "they expire (key rotation without signing anyone out).", secret=True),
    Setting("MOTCUA_JWT_ISSUER", "motcua", "Required `iss` claim of every token (the province's identity provider "
            "with RS256)."),
    Setting("MOTCUA_JWT_AUDIENCE", "motcua", "Required `aud` claim of every token."),
    Setting("MOTCUA_JWT_MAX_LIFETIME", 43_200, "Longest accepted token lifetime (`exp` − `iat`) in seconds.", int),
    Setting("MOTCUA_PUBLIC_BASE_URL", "http://127.0.0.1:8001",
            "Public address of the system (its HTTPS proxy in production), the start of every link it gives out: "
            "receipt_url, the lookup link in receipts, SMS and e-mail, the unsubscribe and contact-confirmation "
            "links (/api/v1/unsubscribe, /api/v1/contact-confirmations).", public_base_url),
    Setting("LOG_LEVEL", "INFO", "Python log level of every process."),
    # Read by the OpenTelemetry exporter itself (tracing.py); declared here to be documented and passed on.
    Setting("OTEL_EXPORTER_OTLP_ENDPOINT", "",
            "Tracing (docs/tracing.md): the OTLP/HTTP endpoint of an OpenTelemetry collector or Jaeger, e.g. "
            "http://collector:4318 (spans go to /v1/traces). Empty: tracing is off, at no cost. The other standard "
            "variables are honoured: OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, "
            "OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*, OTEL_SDK_DISABLED."),
    Setting("MAX_CONTENT_LENGTH", 1_048_576, "Largest accepted HTTP request body in bytes.", int),
    Setting("OUTBOX_BATCH_SIZE", 500, "Outbox rows claimed per relay round; also the publisher-confirm window.", int),
    Setting("OUTBOX_POLL_INTERVAL", 0.05,
            "Seconds the relay waits before polling an empty outbox again when nothing wakes it: on SQLite, and on "
            "PostgreSQL while its LISTEN connection is down (docs/reliability.md §2).", float),
    Setting("OUTBOX_SAFETY_POLL_INTERVAL", 1.0,
            "Seconds between two polls of an empty outbox while PostgreSQL notifications wake the relay: a net "
            "for notifications lost while its LISTEN connection was down.", float),
    Setting("OUTBOX_LEASE_SECONDS", 15.0,
            "A claimed outbox row not confirmed within this many seconds is published again.", float),
    Setting("OUTBOX_RETENTION_HOURS", 72.0, "Sent outbox rows older than this are purged.", float),
    Setting("INBOX_RETENTION_DAYS", 30.0,
            "Processed event ids are kept this long for deduplication; far beyond any redelivery.", float),
    Setting("CONSUMER_PREFETCH", 100, "Unacknowledged deliveries a worker holds per queue (basic.qos).", int),
    Setting("CONSUMER_BATCH_SIZE", 50,
            "Deliveries a worker handles in one database transaction (one inbox statement, one commit, then the "
            "acks), taken from those already received, never waited for; 1: a transaction per delivery. A "
            "handler that fails rolls its batch back: the deliveries before it are handled one at a time, it "
            "alone is retried or dead-lettered, and the ones behind it form the next batch.",
            _at_least_one),
    Setting("CONSUMER_RETRY_DELAYS", (1.0, 5.0, 30.0, 120.0),
            "Comma-separated delays in seconds between handler retries; after the last one the event "
            "goes to the queue's dead-letter queue.", _float_list),
    Setting("BROKER_HEARTBEAT", 30, "AMQP heartbeat in seconds.", int),
    Setting("RECONNECT_MAX_DELAY", 30.0, "Upper bound of the reconnection back-off in seconds.", float),
    # The province's working time (docs/calendar.md): every service computes deadlines with the same
    # office day, cut-off and yearly schedules.
    Setting("MOTCUA_OFFICE_HOURS", "07:00-11:30,13:30-17:00",
            "Office periods of a working day in the province (HH:MM-HH:MM, comma-separated); one working day is "
            "their sum. Intake, routing and reporting all compute with it. Deprecated alias for one release: "
            "INTAKE_OFFICE_HOURS.", _checked_text(lambda raw: _workcal().OfficeHours.parse(raw)),
            deprecated_aliases=("INTAKE_OFFICE_HOURS",)),
    Setting("MOTCUA_RECEPTION_CUTOFF", "15:00",
            "A dossier received at or after this time (HH:MM) counts from the next working day; `off` disables "
            "it. Deprecated alias for one release: INTAKE_RECEPTION_CUTOFF.",
            _checked_text(lambda raw: _workcal().parse_cutoff(raw)), deprecated_aliases=("INTAKE_RECEPTION_CUTOFF",)),
    Setting("MOTCUA_CALENDAR_DIR", "",
            "Directory of the province's yearly calendar files (YYYY.csv: holidays, days in lieu, swaps); a file "
            "there replaces the shipped file of its year. Every file is checked at start: a bad one stops the "
            "service. Empty: the shipped files only (docs/calendar.md). Kept beside MOTCUA_REFERENCE_DIR, whose "
            "calendar/ subdirectory does the same; for the same year this directory's file wins."),
    # Reference data outside the image (docs/reference-data.md).
    Setting("MOTCUA_REFERENCE_DIR", "",
            "Directory of the district's reference data (units.csv, agencies.csv, procedures.csv, "
            "procedure_documents.csv, calendar/YYYY.csv, version.txt); a file there replaces the shipped one. The "
            "whole set is checked at start: a bad one stops the service. A set imported at intake replaces it "
            "(docs/reference-data.md)."),
    Setting("MOTCUA_REFERENCE_REFRESH_SECONDS", 10.0,
            "How often an API process or a worker looks in its database for a newer imported reference set "
            "(the worker that consumed the announcement uses it at once), and the console asks intake for "
            "the version in use.", float),
    Setting("MOTCUA_CLOCK_OFFSET_SECONDS", 0.0,
            "Test clock: seconds added to the wall clock by the scheduled jobs (deadlines, sweeps). Keep 0 in production.",
            float),
)


def per_service(service: str) -> tuple[Setting, ...]:
    upper = service.upper()
    # The console talks to the services over HTTP only: it has no broker user of its own.
    broker = () if service == CONSOLE else (
        Setting(f"{upper}_AMQP_URL", "", f"Broker URL with the {service} service's own user; empty means AMQP_URL."),
        Setting(f"{upper}_WORKER_METRICS_PORT", DEFAULT_PORTS[service] + WORKER_METRICS_OFFSET,
                f"Port where the {service} worker serves GET /metrics (Prometheus) and /healthz on MOTCUA_BIND_HOST; "
                "0 turns it off.", int),)
    return (
        Setting(f"{upper}_DATABASE_URL", "",
                f"SQLAlchemy URL of the {service} database; empty means SQLite at $MOTCUA_VAR_DIR/{service}.db."),
        *broker,
        Setting(f"{upper}_PORT", CONSOLE_PORT if service == CONSOLE else DEFAULT_PORTS[service],
                f"HTTP port of the {service} API.", int),
        Setting(f"{upper}_WEB_WORKERS", 2, f"gunicorn worker processes of the {service} API.", int),
        # Intake and the console take an administrator's upload of a district's past dossiers, checked
        # whole before anything is stored: a year's file (66,572 dossiers) takes one to two minutes.
        Setting(f"{upper}_WEB_THREADS", 4,
                f"Requests each {service} API worker serves at once (gunicorn gthread worker; 1: one at a time).",
                _at_least_one),
        Setting(f"{upper}_WEB_TIMEOUT", LONG_REQUEST_SECONDS if service in ("intake", CONSOLE) else 30,
                f"Seconds a {service} API worker may stay silent to gunicorn's arbiter before it is restarted; "
                f"with threads a long request holds one thread, not the worker.", int),
    )


@dataclass
class Settings:
    """The settings one service process runs with; attributes are the lower-cased variable names."""

    service: str
    values: dict[str, Any] = field(default_factory=dict)
    # The attributes whose variable was not set (they hold their default): production refuses a secret here.
    unset: frozenset[str] = frozenset()

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def database_url(self) -> str:
        url = self.values[f"{self.service}_database_url"]
        if url:
            return url
        return f"sqlite:///{Path(self.motcua_var_dir).resolve() / (self.service + '.db')}"

    @property
    def amqp(self) -> str:
        return self.values[f"{self.service}_amqp_url"] or self.amqp_url

    @property
    def port(self) -> int:
        return self.values[f"{self.service}_port"]

    @property
    def worker_metrics_port(self) -> int:
        return self.values[f"{self.service}_worker_metrics_port"]

    @property
    def web_workers(self) -> int:
        return self.values[f"{self.service}_web_workers"]

    @property
    def web_threads(self) -> int:
        return self.values[f"{self.service}_web_threads"]

    @property
    def web_timeout(self) -> int:
        return self.values[f"{self.service}_web_timeout"]


def declared(service: str, extra: tuple[Setting, ...] = ()) -> tuple[Setting, ...]:
    return COMMON + per_service(service) + extra


def load(service: str, extra: tuple[Setting, ...] = (), environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    settings = declared(service, extra)
    unset = frozenset(s.attr for s in settings if not any(env.get(name) for name in (s.name, *s.deprecated_aliases)))
    return Settings(service, {s.attr: s.read(env) for s in settings}, unset)


def reference_markdown(extras: Mapping[str, tuple[Setting, ...]]) -> str:
    """The configuration reference: every variable, its default and meaning."""
    lines = ["# Configuration reference", "",
             "Generated by `python -m motcua_shared.settings`; do not edit by hand.", ""]

    def table(title: str, settings: tuple[Setting, ...]) -> None:
        lines.extend([f"## {title}", "", "| Variable | Default | Meaning |", "| --- | --- | --- |"])
        for s in settings:
            default = "(secret)" if s.secret else (",".join(map(str, s.default)) if isinstance(s.default, tuple)
                                                  else str(s.default))
            lines.append(f"| `{s.name}` | `{default}` | {s.help} |")
        lines.append("")

    table("Every service", COMMON)
    for service in (*SERVICES, CONSOLE):
        table(f"{service} service", per_service(service) + tuple(extras.get(service, ())))
    return "\n".join(lines)


def _service_extras() -> dict[str, tuple[Setting, ...]]:
    import importlib

    extras = {}
    for service in (*SERVICES, CONSOLE):
        try:
            module = importlib.import_module(f"motcua_{service}.config")
        except ModuleNotFoundError:
            continue
        extras[service] = tuple(getattr(module, "SETTINGS", ()))
    return extras


if __name__ == "__main__":
    sys.stdout.write(reference_markdown(_service_extras()) + "\n")
