"""The one public address, for real: deploy/proxy/Caddyfile run by Caddy over HTTPS (its internal CA,
free ports), and `make run`'s development proxy, each in front of six small HTTP servers standing in for
intake, routing, notification, postal, reporting and the console. Every case of the path map is sent
through both and must reach the same service with the same path; the forwarded headers, the 404 of
hidden paths, the security headers, large uploads and the port-80 redirect are checked on the way.
"""
from __future__ import annotations

import http.client
import json
import os
import shutil
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from motcua_shared import proxy_map
from motcua_shared.devproxy import DevProxy

from motcua_testing.certs import TrialCA
from motcua_testing.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
CADDYFILE = ROOT / "deploy" / "proxy" / "Caddyfile"

# (request path, service, path the service sees); None: the proxy answers 404 itself.
CASES = [
    ("/", "console", "/"),
    ("/dang-nhap", "console", "/dang-nhap"),
    ("/static/console.css", "console", "/static/console.css"),
    ("/.well-known/jwks.json", "console", "/.well-known/jwks.json"),
    ("/ho-so/H52.04222-190315-0001", "console", "/ho-so/H52.04222-190315-0001"),
    ("/tra-cuu?ma=H52.04222-190315-0001", "intake", "/tra-cuu?ma=H52.04222-190315-0001"),
    ("/api/v1/public/dossiers/H52.04222-190315-0001", "intake", "/api/v1/public/dossiers/H52.04222-190315-0001"),
    ("/api/v1/dossiers/H52.04222-190315-0001/receipt?t=x", "intake", "/api/v1/dossiers/H52.04222-190315-0001/receipt?t=x"),
    ("/api/v1/unsubscribe?t=abc", "notification", "/api/v1/unsubscribe?t=abc"),
    ("/api/v1/contact-confirmations?t=abc", "notification", "/api/v1/contact-confirmations?t=abc"),
    ("/api/v1/delivery-receipts/sms-gateway", "notification", "/api/v1/delivery-receipts/sms-gateway"),
    # Token holders' APIs: the prefix is stripped; notification's dossier paths are not public.
    ("/svc/intake/api/v1/dossiers?status=received", "intake", "/api/v1/dossiers?status=received"),
    ("/svc/routing/api/v1/steps", "routing", "/api/v1/steps"),
    ("/svc/notification/api/v1/dossiers/H52.04222-190315-0001/messages", "notification",
     "/api/v1/dossiers/H52.04222-190315-0001/messages"),
    ("/svc/postal/api/v1/shipments", "postal", "/api/v1/shipments"),
    ("/svc/reporting/api/v1/reports/summary", "reporting", "/api/v1/reports/summary"),
    ("/svc/reporting/dashboard", "reporting", "/dashboard"),
    ("/api/v1/dossiers/H52.04222-190315-0001/messages", "console", "/api/v1/dossiers/H52.04222-190315-0001/messages"),
    ("/api/v1/dossiers/H52.04222-190315-0001", "console", "/api/v1/dossiers/H52.04222-190315-0001"),
    ("/metrics", None, None),
    ("/svc/intake/metrics", None, None),
    ("/svc/unknown/api/v1/x", None, None),
]


class Upstream:
    """An HTTP server that answers every request with JSON saying who it is and what it received."""

    def __init__(self, name: str):
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                received = 0
                while received < length:
                    chunk = self.rfile.read(min(1 << 20, length - received))
                    if not chunk:
                        break
                    received += len(chunk)
                body = json.dumps({"service": upstream.name, "path": self.path, "method": self.command,
                                   "body_bytes": received,
                                   "forwarded_for": self.headers.get_all("X-Forwarded-For"),
                                   "forwarded_proto": self.headers.get("X-Forwarded-Proto"),
                                   "forwarded_host": self.headers.get("X-Forwarded-Host")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

        self.name = name
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def upstreams():
    servers = {name: Upstream(name) for name in proxy_map.UPSTREAMS}
    yield servers
    for server in servers.values():
        server.stop()


def _wait(port: int, timeout: float = 15) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port} after {timeout}s")


class Client:
    def __init__(self, port: int, context: ssl.SSLContext | None = None, host: str = "localhost"):
        self.port, self.context, self.host = port, context, host

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        if self.context:
            connection = http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=30)
        else:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            answer = connection.getresponse()
            return answer.status, dict(answer.getheaders()), answer.read()
        finally:
            connection.close()


@pytest.fixture(scope="module", params=["province-certificate", "internal-ca"])
def caddy(request, upstreams, tmp_path_factory):
    """Caddy with the province's certificate files (what compose mounts from deploy/tls/proxy; here from a
    trial CA), or with its internal CA (MOTCUA_PROXY_TLS=internal, a trial)."""
    if not shutil.which("caddy"):
        message = "caddy is not installed (scripts/install-caddy.sh)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    home = tmp_path_factory.mktemp("caddy")
    https_port, http_port, admin_port = free_port(), free_port(), free_port()
    if request.param == "province-certificate":
        ca = TrialCA(home / "tls")
        cert, key = ca.server("proxy", "localhost")
        tls, ca_file = f"{cert} {key}", ca.ca_file  # two words in one variable, as compose gives them
    else:
        tls, ca_file = "internal", home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config"),
           "MOTCUA_PUBLIC_BASE_URL": f"https://localhost:{https_port}", "MOTCUA_PROXY_TLS": tls,
           "MOTCUA_PROXY_HTTP_PORT": str(http_port), "MOTCUA_PROXY_HTTPS_PORT": str(https_port),
           "MOTCUA_PROXY_ADMIN": f"localhost:{admin_port}",
           **{f"{name.upper()}_UPSTREAM": f"127.0.0.1:{server.port}" for name, server in upstreams.items()}}
    validated = subprocess.run(["caddy", "validate", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
                               env=env, capture_output=True, text=True, timeout=30)
    assert validated.returncode == 0, validated.stderr[-2000:]
    log = open(home / "caddy.log", "wb")
    process = subprocess.Popen(["caddy", "run", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(https_port)
        deadline = time.monotonic() + 10
        while not ca_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        client = Client(https_port, ssl.create_default_context(cafile=str(ca_file)))
        # The port opens before the internal CA has issued the site's certificate: until then the
        # handshake fails with an internal-error alert.
        while True:
            try:
                client.request("GET", "/healthz")
                break
            except ssl.SSLError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        client.http = Client(http_port)
        client.https_port = https_port
        client.admin = Client(admin_port, host="127.0.0.1")
        yield client
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def devproxy(upstreams):
    proxy = DevProxy(0, {name: ("127.0.0.1", server.port) for name, server in upstreams.items()}).start()
    yield Client(proxy.port, host="127.0.0.1")
    proxy.stop()


def test_the_committed_caddyfile_is_generated_from_the_path_map():
    assert CADDYFILE.read_text() == proxy_map.caddyfile(), "run `make docs`"


def test_the_path_map_resolves_every_case():
    for path, service, seen in CASES:
        target = proxy_map.resolve(path.split("?")[0])
        if service is None:
            assert target is None, path
        else:
            assert (target.service, target.path) == (service, seen.split("?")[0]), path


def _routes_every_path(client: Client, proto: str) -> None:
    for path, service, seen in CASES:
        status, headers, body = client.request("GET", path, headers={"X-Forwarded-For": "6.6.6.6"})
        if service is None:
            assert status == 404, path
            assert headers["Content-Type"].startswith("application/problem+json")
            assert json.loads(body)["code"] == "not_found"
            continue
        assert status == 200, (path, status, body[:200])
        answer = json.loads(body)
        assert (answer["service"], answer["path"]) == (service, seen), path
        # The client's own X-Forwarded-For is not passed on: one hop, the real peer.
        assert answer["forwarded_for"] == ["127.0.0.1"], answer["forwarded_for"]
        assert answer["forwarded_proto"] == proto
        assert answer["forwarded_host"].startswith(("localhost", "127.0.0.1"))


def _passes_a_large_upload_whole(client: Client) -> None:
    size = 24 * 1024 * 1024
    status, _headers, body = client.request("POST", "/svc/intake/api/v1/imports", body=b"x" * size,
                                            headers={"Content-Type": "application/octet-stream"})
    assert status == 200 and json.loads(body)["body_bytes"] == size


def test_caddy_routes_every_path_to_its_service(caddy):
    _routes_every_path(caddy, "https")


def test_the_development_proxy_routes_every_path_to_the_same_service(devproxy):
    _routes_every_path(devproxy, "http")


def test_an_upload_far_above_one_mib_reaches_intake_whole_through_caddy(caddy):
    _passes_a_large_upload_whole(caddy)


def test_an_upload_far_above_one_mib_reaches_intake_whole_through_the_development_proxy(devproxy):
    _passes_a_large_upload_whole(devproxy)


def test_caddy_sends_the_security_headers_and_redirects_port_80(caddy):
    status, headers, _ = caddy.request("GET", "/")
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert "Server" not in headers
    status, headers, _ = caddy.http.request("GET", "/tra-cuu?ma=X")
    assert status in (301, 308)
    # Caddy leaves out the port it was told is the HTTPS port (443 in compose; a free one here).
    assert headers["Location"] == "https://localhost/tra-cuu?ma=X"


def test_the_compose_health_check_request_is_answered_by_caddys_admin_endpoint(caddy):
    """docker-compose.yml's proxy health check: wget http://127.0.0.1:2019/config/ inside the container."""
    status, _headers, body = caddy.admin.request("GET", "/config/")
    assert status == 200 and json.loads(body)["apps"]["http"]


def test_caddy_refuses_a_body_above_the_limit(caddy):
    size = proxy_map.MAX_BODY_BYTES + 1
    status, _headers, _body = caddy.request("POST", "/svc/intake/api/v1/imports", body=b"x" * size,
                                            headers={"Content-Type": "application/octet-stream"})
    # Refused, not passed on whole: Caddy 2.7+ answers 413; Debian's 2.6 reports the cut body as 502.
    assert status in (413, 502)


def test_make_run_starts_the_proxy_and_gives_the_services_its_address(monkeypatch, capsys):
    from motcua_shared import devstack

    port = free_port()
    monkeypatch.setenv("MOTCUA_DEV_PROXY_PORT", str(port))
    monkeypatch.delenv("MOTCUA_PUBLIC_BASE_URL", raising=False)
    proxy = devstack._start_proxy()
    try:
        assert proxy is not None and os.environ["MOTCUA_PUBLIC_BASE_URL"] == f"http://127.0.0.1:{port}"
        # A second run on the same machine: the port is taken; it goes on without a proxy, says so once,
        # and leaves an address set by the caller alone.
        monkeypatch.setenv("MOTCUA_PUBLIC_BASE_URL", "http://127.0.0.1:9999")
        assert devstack._start_proxy() is None
        assert os.environ["MOTCUA_PUBLIC_BASE_URL"] == "http://127.0.0.1:9999"
        assert f"127.0.0.1:{port} is taken" in capsys.readouterr().err
    finally:
        proxy.stop()
    monkeypatch.setenv("MOTCUA_DEV_PROXY_PORT", "0")
    assert devstack._start_proxy() is None
