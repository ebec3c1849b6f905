"""The Flask app factory every service's API is built with.

It wires, in one place: settings, the database runtime, problem+json errors, bearer-token
verification, the correlation id, request metrics, the operations endpoints (/healthz, /readyz,
/metrics, /openapi.json, /docs) and the service's own blueprints, documented by flask-smorest from
the same marshmallow schemas that validate the requests.
"""
from __future__ import annotations

import time

from flask import Flask, g, request

from .. import context, tracing
from ..service import Runtime, ServiceSpec
from ..settings import Settings
from . import ops, security_headers
from .auth import TokenVerifier
from .errors import problem, register_errors
from .metrics import observe_request
from .problem_doc import ServiceApi

CORRELATION_HEADER = "X-Correlation-ID"


def create_service_app(spec: ServiceSpec, settings: Settings | None = None) -> Flask:
    runtime = Runtime(spec, settings)
    app = Flask(f"motcua_{spec.name}")
    # Off unless OTEL_* asks (docs/tracing.md); hooked first, so the request's span encloses the rest.
    if tracing.configure(f"motcua-{spec.name}-api", spec.version):
        tracing.instrument_flask(app)
    app.json.ensure_ascii = False  # Vietnamese stays readable in every JSON answer
    app.json.sort_keys = False
    app.config.update(
        MAX_CONTENT_LENGTH=runtime.settings.max_content_length,
        API_TITLE=spec.title, API_VERSION=spec.version, OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/", OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": spec.description},
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        },
    )
    app.extensions["motcua"] = runtime
    app.jinja_env.globals["csp_nonce"] = security_headers.csp_nonce  # for a page's inline <style>
    app.extensions["motcua_verifier"] = TokenVerifier(
        algorithm=runtime.settings.motcua_jwt_algorithm, secret=runtime.settings.motcua_jwt_secret,
        jwks_url=runtime.settings.motcua_jwks_url, audience=runtime.settings.motcua_jwt_audience,
        issuer=runtime.settings.motcua_jwt_issuer, max_lifetime=runtime.settings.motcua_jwt_max_lifetime,
        previous_secrets=[key.strip() for key in runtime.settings.motcua_jwt_previous_secrets.split(",") if key.strip()])
    api = ServiceApi(app)  # errors documented as the problem+json they are
    register_errors(app)  # after Api(): ours replaces flask-smorest's own HTTPException handler

    @app.before_request
    def _bind_correlation():
        g.started = time.perf_counter()
        incoming = request.headers.get(CORRELATION_HEADER, "")
        # Accept a caller's id only if it looks like an id: it ends up in logs and events.
        cid = incoming if 8 <= len(incoming) <= 64 and incoming.replace("-", "").isalnum() else None
        context.bind(cid or context.new_correlation_id())
        return _refuse_nul()

    if runtime.reference is not None:
        # The newest imported reference set before the first request, then at most every
        # MOTCUA_REFERENCE_REFRESH_SECONDS (not at creation: `openapi` builds the app without a database).
        @app.before_request
        def _newest_reference_set():
            runtime.reference()

    @app.after_request
    def _finish(response):
        response.headers[CORRELATION_HEADER] = context.correlation_id() or ""
        security_headers.apply(response)  # nosniff everywhere; CSP and the rest on every HTML page
        observe_request(spec.name, request, response, time.perf_counter() - g.get("started", time.perf_counter()))
        return response

    @app.teardown_request
    def _unbind(_exc):
        context.bind(None)

    app.register_blueprint(ops.blueprint(spec, runtime, api))
    for blueprint in spec.blueprints():
        api.register_blueprint(blueprint)
    app.extensions["motcua_api"] = api
    return app


def _refuse_nul():
    """A NUL in an address, a query or a form field is never meant, and PostgreSQL refuses it only
    once a view already queries with it (a 500): turn it away first. JSON bodies: see json_input."""
    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.keys(), *request.form.values()]
    # werkzeug keys a multipart part that has no name as None.
    if any(value is not None and "\x00" in value for value in values):
        return problem(400, "invalid_character", "Yêu cầu không hợp lệ", "Yêu cầu không được chứa ký tự NUL.")
    return None


def runtime() -> Runtime:
    from flask import current_app

    return current_app.extensions["motcua"]
