"""/healthz, /readyz (the console's database at its head migration, and the reference set in use: the
services' reachability is shown on the administration page instead, so one slow service never takes the
console out of rotation), /metrics, and /.well-known/jwks.json (the public key the services verify RS256
tokens with)."""
from __future__ import annotations

import os

from flask import Blueprint, Response, current_app, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from sqlalchemy import text

from motcua_shared import __version__, migrations
from motcua_shared.reference.current import current as current_reference
from motcua_shared.reference.metrics import ReferenceVersionCollector

from ..permissions import public
from .context import runtime

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
@public
def healthz():
    return jsonify(status="ok", service="console", version=__version__)


@bp.get("/readyz")
@public
def readyz():
    rt = runtime()
    try:
        with rt.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current, head = migrations.current(rt.engine), migrations.head(rt.spec)
        detail = "ok" if current == head else f"migrations at {current}, head is {head}"
    except Exception as exc:
        detail = type(exc).__name__
    ready = detail == "ok"
    # The reference set in use, as every service says it: the one it follows at intake (reference.py).
    return jsonify(status="ready" if ready else "unready", service="console", checks={"database": detail},
                   reference=current_reference().describe()), 200 if ready else 503


@bp.get("/metrics")
@public
def metrics():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    # The set this process computes with, as every service reports it: an alarm on more than one version
    # across services catches a console left behind too (docs/reference-data.md).
    reference = CollectorRegistry()
    reference.register(ReferenceVersionCollector("console"))
    return Response(generate_latest(registry) + generate_latest(reference), content_type=CONTENT_TYPE_LATEST)


@bp.get("/.well-known/jwks.json")
@public
def jwks():
    return jsonify(current_app.extensions["console_tokens"].jwks())
