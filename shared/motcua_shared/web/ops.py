"""Operations endpoints every service serves (docs/contracts.md §1).

/healthz  alive; touches nothing, so a slow database never gets a healthy process restarted
/readyz   database reachable, migrations at head, broker reachable; 503 with the failing check otherwise.
          Also says whether this year's and next year's official calendar files are loaded: a missing
          year does not make the service unready (deadlines fall back to the statutory rule) but an
          operator must see it (docs/calendar.md). And which reference set (units, procedures, calendar)
          the process computes with: its version, label and import sequence (docs/reference-data.md).
/metrics  Prometheus text format
/docs     the OpenAPI document as a readable page, rendered here: no CDN, rural desks are often offline
"""
from __future__ import annotations

from datetime import datetime

import pika
from flask import Blueprint, Response, jsonify, render_template_string
from sqlalchemy import text

from .. import migrations
from ..broker.connection import parameters
from .metrics import exposition
from ..workcal import VIETNAM_TZ, missing_years
from ..reference.current import current as current_reference


def _calendar_detail() -> dict:
    year = datetime.now(VIETNAM_TZ).year
    missing = missing_years((year, year + 1))
    detail = "ok" if not missing else (
        "official schedule not loaded for " + ", ".join(map(str, missing))
        + ": deadlines use the statutory fallback; add YYYY.csv to MOTCUA_CALENDAR_DIR")
    return {"official_schedule_missing": missing, "detail": detail}


def _check_database(runtime) -> tuple[bool, str]:
    try:
        with runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current, head = migrations.current(runtime.engine), migrations.head(runtime.spec)
        if current != head:
            return False, f"migrations at {current}, head is {head}"
        return True, "ok"
    except Exception as exc:
        return False, type(exc).__name__


def _check_broker(runtime) -> tuple[bool, str]:
    try:
        params = parameters(runtime.settings.amqp, name=f"{runtime.spec.name} readiness", heartbeat=0)
        params.socket_timeout = 3
        params.blocked_connection_timeout = 3
        pika.BlockingConnection(params).close()
        return True, "ok"
    except Exception as exc:
        return False, type(exc).__name__


def blueprint(spec, runtime, api) -> Blueprint:
    bp = Blueprint("ops", __name__)
    store = runtime.outbox_store("metrics")

    @bp.get("/healthz")
    def healthz():
        return jsonify(status="ok", service=spec.name, version=spec.version)

    def checks() -> dict:
        return {"database": _check_database(runtime), "broker": _check_broker(runtime)}

    @bp.get("/readyz")
    def readyz():
        results = checks()
        ready = all(ok for ok, _ in results.values())
        body = {"status": "ready" if ready else "unready", "service": spec.name, "version": spec.version,
                "checks": {name: detail for name, (_, detail) in results.items()}, "calendar": _calendar_detail(),
                "reference": current_reference().describe()}  # the reference set in use (docs/reference-data.md)
        return jsonify(body), 200 if ready else 503

    @bp.get("/metrics")
    def metrics():
        payload, content_type = exposition(spec.name, store, readiness=checks)
        return Response(payload, content_type=content_type)

    @bp.get("/docs")
    def docs():
        return render_template_string(_DOCS_TEMPLATE, spec=api.spec.to_dict())

    return bp


_DOCS_TEMPLATE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ spec.info.title }} — API</title>
<style nonce="{{ csp_nonce() }}">
body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.45;color:#1b1b1b}
h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
.op{border:1px solid #ddd;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}
.m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}
code,pre{background:#f5f5f5;padding:.1rem .3rem;border-radius:3px}pre{padding:.6rem;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
</style></head><body>
<h1>{{ spec.info.title }} <small>v{{ spec.info.version }}</small></h1>
<p>{{ spec.info.description }}</p>
<p>Tài liệu máy đọc: <a href="/openapi.json">/openapi.json</a> (OpenAPI {{ spec.openapi }}).
Lỗi trả về dạng <code>application/problem+json</code> với trường <code>code</code>.</p>
<h2>Điểm cuối (endpoints)</h2>
{% for path, ops in spec.paths.items() %}{% for method, op in ops.items() if method in ['get','post','put','patch','delete'] %}
<div class="op"><div><span class="m">{{ method }}</span> <code>{{ path }}</code></div>
{% if op.summary %}<p><strong>{{ op.summary }}</strong></p>{% endif %}
{% if op.description %}<p>{{ op.description }}</p>{% endif %}
{% if op.parameters %}<table><tr><th>Tham số</th><th>Vị trí</th><th>Bắt buộc</th><th>Mô tả</th></tr>
{% for p in op.parameters %}<tr><td><code>{{ p.name }}</code></td><td>{{ p['in'] }}</td><td>{{ 'có' if p.required else 'không' }}</td><td>{{ p.description or '' }}</td></tr>{% endfor %}</table>{% endif %}
{% if op.requestBody %}<p>Thân yêu cầu: {% for ct, body in op.requestBody.content.items() %}<code>{{ ct }}</code> {{ body.schema['$ref'] | default('') | replace('#/components/schemas/', '') }}{% endfor %}</p>{% endif %}
<p>Trả về: {% for code, r in op.responses.items() %}<code>{{ code }}</code> {{ r.description }}{% if not loop.last %}; {% endif %}{% endfor %}</p>
</div>{% endfor %}{% endfor %}
<h2>Lược đồ (schemas)</h2>
{% for name, schema in (spec.components.schemas or {}).items() %}
<h3 id="{{ name }}">{{ name }}</h3>
<table><tr><th>Trường</th><th>Kiểu</th><th>Bắt buộc</th></tr>
{% for field, f in (schema.properties or {}).items() %}<tr><td><code>{{ field }}</code></td>
<td>{{ f.type or (f['$ref'] | default('') | replace('#/components/schemas/', '')) }}{% if f.format %} ({{ f.format }}){% endif %}{% if f.enum %}: {{ f.enum | join(', ') }}{% endif %}</td>
<td>{{ 'có' if field in (schema.required or []) else '' }}</td></tr>{% endfor %}</table>
{% endfor %}
</body></html>"""
