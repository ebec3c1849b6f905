"""The worker's small HTTP server: `GET /metrics` (Prometheus text format) and `GET /healthz`.

A worker serves no API, but its counters (events consumed, retried, dead-lettered, handler time,
events published, outbox lag, broker connections, notification providers' results) live in its
process, so it answers Prometheus itself, on `<SERVICE>_WORKER_METRICS_PORT` (the API's port + 100)
at MOTCUA_BIND_HOST. Any other path answers 404: nothing else of the process is reachable here.

It runs in a daemon thread and is closed when the worker stops. A port that is already taken does
not stop the worker (its events matter more than its figures): it logs `worker_metrics_unavailable`
and Prometheus's `up == 0` for that target raises the alarm.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from .messaging.metrics import WORKER_ONLY

log = logging.getLogger("motcua.worker")


def exposition() -> bytes:
    return generate_latest(REGISTRY) + generate_latest(WORKER_ONLY)


def _app(service: str):
    health = json.dumps({"status": "ok", "service": service, "process": "worker"}).encode()

    def app(environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Length", "0")])
            return [b""]
        if path == "/metrics":
            body, content_type = exposition(), CONTENT_TYPE_LATEST
        elif path == "/healthz":
            body, content_type = health, "application/json"
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "10")])
            return [b"not found\n"]
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body] if method == "GET" else [b""]

    return app


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a slow scraper never holds the worker's exit


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # every scrape would be a line; the scrapes are Prometheus's business
        pass


class MetricsServer:
    def __init__(self, httpd: WSGIServer):
        self.httpd = httpd
        self.port = httpd.server_port
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.5},
                                        name="worker-metrics", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def start(service: str, port: int, host: str | None = None) -> MetricsServer | None:
    """Serve /metrics and /healthz on (host, port) in a daemon thread; None when port is 0 or taken."""
    if not port:
        return None
    host = host or os.environ.get("MOTCUA_BIND_HOST", "127.0.0.1")
    try:
        httpd = make_server(host, port, _app(service), server_class=_Server, handler_class=_QuietHandler)
    except OSError as exc:
        log.error("worker_metrics_unavailable", extra={"port": port, "error": type(exc).__name__})
        return None
    server = MetricsServer(httpd)
    log.info("worker_metrics_serving", extra={"port": server.port})
    return server
