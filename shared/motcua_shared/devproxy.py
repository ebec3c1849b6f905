"""`make run`'s development proxy: the one public address of production, on http://127.0.0.1:8000.

It routes with the same path map as the compose stack's HTTPS proxy (motcua_shared.proxy_map, from which
deploy/proxy/Caddyfile is generated), so a link that starts with MOTCUA_PUBLIC_BASE_URL (a receipt's
lookup link, an e-mail's unsubscribe link) works in development as it will behind Caddy. Development
only: plain HTTP, bound to loopback, one thread per request.

Like Caddy, it replaces any X-Forwarded-For the client sent with the peer address (so a service trusting
one proxy hop reads the real client) and sets X-Forwarded-Proto and X-Forwarded-Host.

    python -m motcua_shared.devproxy [--port 8000]   (upstreams: the services' ports of this environment)
"""
from __future__ import annotations

import argparse
import http.client
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Mapping
from urllib.parse import urlsplit

from . import proxy_map

# Headers that describe one connection, not the message (RFC 9110 §7.6.1): never forwarded.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
              "transfer-encoding", "upgrade", "proxy-connection"}
FORWARDED = {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"}
CHUNK = 64 * 1024


def _handler(upstreams: Mapping[str, tuple[str, int]]):
    class Proxy(BaseHTTPRequestHandler):
        server_version = "motcua-devproxy"
        sys_version = ""

        def log_message(self, format, *args):
            pass

        def _not_found(self) -> None:
            body = proxy_map.NOT_FOUND_BODY.encode()
            self.send_response(404)
            self.send_header("Content-Type", "application/problem+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _too_large(self) -> None:
            body = ('{"type": "https://motcua.gov.vn/problems/payload-too-large", "title": "Dữ liệu gửi lên quá '
                    'lớn", "status": 413, "code": "payload_too_large"}').encode()
            self.send_response(413)
            self.send_header("Content-Type", "application/problem+json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def _forward(self) -> None:
            split = urlsplit(self.path)
            target = proxy_map.resolve(split.path or "/")
            if target is None:
                self._not_found()
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > proxy_map.MAX_BODY_BYTES:
                self._too_large()
                return
            host, port = upstreams[target.service]
            upstream = http.client.HTTPConnection(host, port, timeout=proxy_map.TIMEOUT_SECONDS)
            try:
                path = target.path + (f"?{split.query}" if split.query else "")
                upstream.putrequest(self.command, path, skip_host=True, skip_accept_encoding=True)
                for name, value in self.headers.items():
                    if name.lower() not in HOP_BY_HOP | FORWARDED:
                        upstream.putheader(name, value)
                upstream.putheader("X-Forwarded-For", self.client_address[0])
                upstream.putheader("X-Forwarded-Proto", "http")
                upstream.putheader("X-Forwarded-Host", self.headers.get("Host", ""))
                upstream.endheaders()
                remaining = length
                while remaining > 0:
                    chunk = self.rfile.read(min(CHUNK, remaining))
                    if not chunk:
                        break
                    upstream.send(chunk)
                    remaining -= len(chunk)
                answer = upstream.getresponse()
            except (OSError, http.client.HTTPException):
                upstream.close()
                body = ('{"type": "https://motcua.gov.vn/problems/bad-gateway", "title": "Dịch vụ chưa sẵn sàng", '
                        f'"status": 502, "code": "bad_gateway", "detail": "{target.service}"}}').encode()
                self.send_response(502)
                self.send_header("Content-Type", "application/problem+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            try:
                self.send_response_only(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Connection", "close")  # HTTP/1.0 towards the client: the end of the body
                self.end_headers()
                if self.command != "HEAD":
                    while chunk := answer.read(CHUNK):
                        self.wfile.write(chunk)
            finally:
                upstream.close()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _forward

    return Proxy


class DevProxy:
    """The proxy on a loopback port, served by a background thread until `stop`."""

    def __init__(self, port: int, upstreams: Mapping[str, tuple[str, int]], host: str = "127.0.0.1"):
        self.server = ThreadingHTTPServer((host, port), _handler(upstreams))  # OSError if the port is taken
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, name="devproxy", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "DevProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def local_upstreams() -> dict[str, tuple[str, int]]:
    """Each service on 127.0.0.1 at the port this environment gives it (<SERVICE>_PORT), as `make run` starts it."""
    from .settings import CONSOLE, SERVICES, load

    return {service: ("127.0.0.1", load(service).port) for service in (*SERVICES, CONSOLE)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        proxy = DevProxy(args.port, local_upstreams())
    except OSError as exc:
        print(f"motcua: the development proxy cannot listen on 127.0.0.1:{args.port} ({exc})", file=sys.stderr)
        return 1
    print(f"motcua: development proxy on {proxy.base_url}", file=sys.stderr)
    try:
        proxy.server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

