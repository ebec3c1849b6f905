"""docker-compose.yml is safe by default: checked statically (no Docker engine on the test machines).

- its structure against the Compose Specification's JSON Schema (tests/data/compose-spec.json);
- every secret required (`${NAME:?...}`), none with a default anyone could read in the repository, and
  every one of them written by `make secrets` (.env.example);
- MOTCUA_ENV production unless the operator says otherwise;
- nothing published but the proxy's 443 and 80 and the partners' AMQPS 5671; the dev and monitoring
  profiles' ports on loopback only;
- every long-running service with a health check; the mail catcher and SMS sink only in the dev profile;
- the services behind the proxy trust exactly one hop of X-Forwarded-*.
tests/unit/test_compose.py checks the rest (commands, settings, roles, broker definitions).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from motcua_shared.settings import SERVICES

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(TEXT)
SERVICES_BLOCK = COMPOSE["services"]
SCHEMA = json.loads((ROOT / "tests" / "data" / "compose-spec.json").read_text())

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
# Secret-looking names that may stay empty: the JWT keys being retired, an SMTP relay without AUTH.
OPTIONAL_SECRETS = {"MOTCUA_JWT_PREVIOUS_SECRETS", "SMTP_PASSWORD"}
# Required, but the district's own choices rather than generated secrets: README's install says to set them.
REQUIRED_SETTINGS = {"MOTCUA_PUBLIC_BASE_URL", "SMTP_HOST", "SMS_GATEWAY_URL"}
PUBLIC = {("proxy", 443), ("proxy", 80), ("rabbitmq", 5671)}
PROFILES = {"dev", "monitoring"}
ONE_SHOT = {"migrate"}


def header_secrets() -> list[str]:
    """The names the header lists under "Secrets come from ..." (up to the note on URLs)."""
    header = TEXT.split("\nname:", 1)[0]
    block = header.split("# Secrets come from", 1)[1].split("# Database and broker passwords", 1)[0]
    return re.findall(r"^#\s+([A-Z][A-Z0-9_]+)\b", block, re.M)


def uses() -> list[tuple[str, str, str]]:
    return _VARIABLE.findall(TEXT)


def published(service: dict) -> list[tuple[str, int]]:
    """(host address, host port) of every published port, short or long syntax."""
    result = []
    for port in service.get("ports", []):
        if isinstance(port, dict):
            result.append((port.get("host_ip", ""), int(port["published"])))
            continue
        parts = str(port).split(":")
        if len(parts) == 3:
            result.append((parts[0], int(parts[1])))
        elif len(parts) == 2:
            result.append(("", int(parts[0])))
        else:
            result.append(("", int(parts[0])))  # a container port alone: published on a random host port
    return result


def test_the_file_is_valid_against_the_compose_specification():
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(COMPOSE), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10])


def test_every_secret_is_required_and_has_no_default():
    listed = header_secrets()
    assert len(listed) >= 21 and len(set(listed)) == len(listed)
    for name, op, _message in uses():
        secret_like = re.search(r"(PASSWORD|SECRET|_KEY)S?$", name) and name not in OPTIONAL_SECRETS
        if name in listed or secret_like:
            assert op == ":?", f"${{{name}}} must be written ${{{name}:?... run make secrets}}, not {op or 'bare'}"
            assert name in listed, f"{name} is a secret: list it in the header"
    for name in listed:
        assert re.search(rf"\$\{{{name}:\?{name} is not set: run make secrets\}}", TEXT), name
    # Whatever `make secrets` does not write, the operator is told to set: nothing else is required.
    required = {name for name, op, _ in uses() if op in (":?", "?")}
    assert required == set(listed) | REQUIRED_SETTINGS


def test_make_secrets_writes_every_required_secret():
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", example, re.M))
    assert set(header_secrets()) <= documented, set(header_secrets()) - documented


def test_every_motcua_process_runs_in_production_unless_told_otherwise():
    assert re.search(r"^  MOTCUA_ENV: \$\{MOTCUA_ENV:-production\}$", TEXT, re.M)
    for name, service in SERVICES_BLOCK.items():
        command = " ".join(service.get("command", [])) if isinstance(service.get("command"), list) \
            else str(service.get("command", ""))
        if "motcua_" in command and "devsinks" not in command:
            assert service["environment"]["MOTCUA_ENV"] == "${MOTCUA_ENV:-production}", name


def test_only_the_proxy_and_the_partners_amqps_port_are_published():
    seen = set()
    for name, service in SERVICES_BLOCK.items():
        for address, port in published(service):
            if service.get("profiles"):
                assert set(service["profiles"]) <= PROFILES, name
                assert address == "127.0.0.1", f"{name} publishes {port} beyond loopback"
                continue
            assert (name, port) in PUBLIC, f"{name} publishes {port}"
            seen.add((name, port))
    assert seen == PUBLIC
    for s in SERVICES:
        assert "ports" not in SERVICES_BLOCK[f"{s}-api"], f"{s}-api is reached through the proxy"
    assert "ports" not in SERVICES_BLOCK["console-api"]


def test_every_long_running_service_has_a_health_check():
    for name, service in SERVICES_BLOCK.items():
        if name in ONE_SHOT:
            assert service["restart"] == "no"
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), f"{name} has no health check"


def test_the_mail_catcher_and_sms_sink_exist_only_in_the_dev_profile():
    for sink in ("mailpit", "sms-sink"):
        assert SERVICES_BLOCK[sink]["profiles"] == ["dev"]
    for name, service in SERVICES_BLOCK.items():
        if not service.get("profiles"):
            depends = service.get("depends_on", {})
            assert not {"mailpit", "sms-sink"} & set(depends), f"{name} would start the dev sinks"
            assert all(not SERVICES_BLOCK[d].get("profiles") for d in depends), name
    env = SERVICES_BLOCK["notification-worker"]["environment"]
    # No default pointing at a sink: the operator names the relay and the gateway (or the sinks, for a trial).
    assert env["SMTP_HOST"].startswith("${SMTP_HOST:?") and env["SMS_GATEWAY_URL"].startswith("${SMS_GATEWAY_URL?")


def test_the_monitoring_profile_mounts_the_shipped_prometheus_and_grafana_files():
    prometheus, grafana = SERVICES_BLOCK["prometheus"], SERVICES_BLOCK["grafana"]
    assert prometheus["profiles"] == grafana["profiles"] == ["monitoring"]
    assert "./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in prometheus["volumes"]
    assert "./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro" in prometheus["volumes"]
    assert "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro" in grafana["volumes"]
    assert any(v.startswith("./deploy/grafana/dashboards:") for v in grafana["volumes"])


def test_the_proxy_serves_the_generated_caddyfile_with_the_provinces_certificate():
    proxy = SERVICES_BLOCK["proxy"]
    assert "./deploy/proxy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert "./deploy/tls/proxy:/etc/motcua/tls/proxy:ro" in proxy["volumes"]
    assert proxy["environment"]["MOTCUA_PROXY_TLS"].endswith(
        ":-/etc/motcua/tls/proxy/cert.pem /etc/motcua/tls/proxy/key.pem}")
    # The health check asks Caddy's admin endpoint, which the Caddyfile keeps on the container's loopback.
    caddyfile = (ROOT / "deploy" / "proxy" / "Caddyfile").read_text()
    assert "admin {$MOTCUA_PROXY_ADMIN:localhost:2019}" in caddyfile and "MOTCUA_PROXY_ADMIN" not in proxy["environment"]
    assert "http://127.0.0.1:2019/config/" in proxy["healthcheck"]["test"]
    assert "./deploy/tls/rabbitmq:/etc/motcua/tls/rabbitmq:ro" in SERVICES_BLOCK["rabbitmq"]["volumes"]
    for kind in ("api", "worker"):
        assert "./deploy/tls/smtp:/etc/motcua/tls/smtp:ro" in SERVICES_BLOCK[f"notification-{kind}"]["volumes"]
    for directory in ("proxy", "rabbitmq", "smtp"):
        assert (ROOT / "deploy" / "tls" / directory).is_dir()


def test_the_services_behind_the_proxy_trust_exactly_its_one_hop():
    console = SERVICES_BLOCK["console-api"]["environment"]
    assert str(console["CONSOLE_PROXY_HOPS"]) == "1" and console["CONSOLE_SECURE_COOKIES"] == "true"
    assert str(SERVICES_BLOCK["intake-api"]["environment"]["INTAKE_TRUSTED_PROXIES"]) == "1"
    # Every link starts with the proxy's address, and the proxy must be told the same one.
    for name in ("intake-api", "notification-worker", "console-api", "proxy"):
        assert SERVICES_BLOCK[name]["environment"]["MOTCUA_PUBLIC_BASE_URL"].startswith("${MOTCUA_PUBLIC_BASE_URL:?")
