"""Every service serves /healthz, /readyz, /metrics, /openapi.json and /docs (docs/contracts.md §1)."""
from __future__ import annotations

import importlib

import pytest
from openapi_spec_validator import validate

from motcua_shared import __version__
from motcua_shared.settings import SERVICES

from motcua_testing.system import System


@pytest.mark.parametrize("service", SERVICES)
def test_operations_endpoints(system, service):
    client = system.client(service)
    # The release is in the health answer (docs/releases.md), the same as the OpenAPI document's.
    assert client.get("/healthz").get_json() == {"status": "ok", "service": service, "version": __version__}

    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json()["checks"] == {"database": "ok", "broker": "ok"}

    client.get("/no-such-page")
    metrics = client.get("/metrics")
    assert metrics.status_code == 200 and metrics.content_type.startswith("text/plain")
    text = metrics.get_data(as_text=True)
    assert f'motcua_outbox_pending{{service="{service}"}} 0.0' in text
    assert "motcua_http_requests_total" in text

    spec = client.get("/openapi.json").get_json()
    validate(spec)
    assert spec["info"]["title"].startswith("motcua") and spec["info"]["version"] == __version__

    docs = client.get("/docs")
    assert docs.status_code == 200 and "text/html" in docs.content_type
    assert spec["info"]["title"] in docs.get_data(as_text=True)


@pytest.mark.parametrize("service", ["intake", "reporting"])
def test_readyz_answers_503_when_the_broker_is_unreachable(system, service):
    broken = System(amqp_url="amqp://guest:guest@127.0.0.1:1/%2F", vhost="none",
                    database_urls=system.database_urls, var_dir=system.var_dir)
    try:
        answer = broken.client(service).get("/readyz")
        assert answer.status_code == 503
        assert answer.get_json()["checks"]["broker"] != "ok"
        assert answer.get_json()["checks"]["database"] == "ok"
    finally:
        broken.close()


def test_readyz_answers_503_when_migrations_are_behind(system, database_factory):
    empty = database_factory.url(database_factory.create_empty())
    behind = System(amqp_url=system.amqp_url, vhost=system.vhost,
                    database_urls={**system.database_urls, "postal": empty}, var_dir=system.var_dir)
    try:
        answer = behind.client("postal").get("/readyz")
        assert answer.status_code == 503
        assert answer.get_json()["checks"]["database"].startswith("migrations at None")
    finally:
        behind.close()


def test_unknown_routes_and_methods_answer_problem_json(system):
    client = system.client("intake")
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.content_type == "application/problem+json"
    assert missing.get_json()["code"] == "not_found"
    wrong = client.delete("/api/v1/dossiers")
    assert wrong.status_code == 405 and wrong.get_json()["code"] == "method_not_allowed"


def test_every_service_module_has_an_app_factory():
    for service in SERVICES:
        assert callable(importlib.import_module(f"motcua_{service}.app").create_app)


@pytest.mark.parametrize("service, path, role", [("intake", "/api/v1/dossiers", "receptionist"),
                                                 ("reporting", "/api/v1/reports/summary?from=2026-01-01&to=2026-01-31&unit=04222", "leader")])
def test_a_database_that_is_away_answers_503_with_retry_after_not_500(system, service, path, role):
    # Nothing listens on port 1: every query fails to connect, as while PostgreSQL restarts.
    away = System(amqp_url=system.amqp_url, vhost=system.vhost,
                  database_urls={**system.database_urls, service: "postgresql+psycopg://postgres@127.0.0.1:1/x"},
                  var_dir=system.var_dir)
    try:
        answer = away.client(service).get(path, headers=system.auth(role, unit="04222"))
        assert answer.status_code == 503, answer.get_json()
        assert answer.content_type == "application/problem+json"
        assert answer.get_json()["code"] == "unavailable" and answer.headers["Retry-After"] == "5"
    finally:
        away.close()
