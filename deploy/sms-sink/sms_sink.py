"""A stand-in SMS gateway for trying motcua out (docker compose service `sms-sink`).

It speaks the generic HTTP gateway contract of contracts.md §6: `POST` (any path) with a JSON body
holding at least `to`, `text` and `reference`; it answers 202 and keeps the message, or 400 when
the body is not such an object. `GET /messages` lists what it received, newest last (the last
1,000), `GET /healthz` answers ok. Each message is also logged, one JSON line on stdout.

Standard library only, so it runs in any Python image:  python sms_sink.py --port 8090
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections import deque
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REQUIRED = ("to", "text", "reference")
MAX_BODY = 64 * 1024


class Store:
    def __init__(self, size: int = 1000):
        self._messages: deque[dict] = deque(maxlen=size)
        self._lock = threading.Lock()

    def add(self, message: dict) -> None:
        with self._lock:
            self._messages.append(message)

    def all(self) -> list[dict]:
        with self._lock:
            return list(self._messages)


def make_handler(store: Store):
    class Handler(BaseHTTPRequestHandler):
        server_version = "motcua-sms-sink/1"

        def _answer(self, status: int, body: object) -> None:
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):  # noqa: N802 (http.server's naming)
            if self.path.rstrip("/") == "/messages":
                self._answer(200, {"messages": store.all()})
            elif self.path == "/healthz":
                self._answer(200, {"status": "ok"})
            else:
                self._answer(404, {"error": "not found"})

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._answer(413, {"error": "body too large"})
                return
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except ValueError:
                body = None
            if not isinstance(body, dict) or any(not body.get(key) for key in REQUIRED):
                self._answer(400, {"error": f"a JSON object with {', '.join(REQUIRED)} is required"})
                return
            message = {**body, "received_at": datetime.now(timezone.utc).isoformat(), "path": self.path}
            store.add(message)
            print(json.dumps({"event": "sms_received", **message}, ensure_ascii=False), flush=True)
            self._answer(202, {"accepted": True, "reference": body["reference"]})

        def log_message(self, format, *args):  # the JSON line above is the log
            pass

    return Handler


def _stop(_signum, _frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(Store()))
    # As PID 1 in a container SIGTERM would otherwise be ignored until docker kills it.
    signal.signal(signal.SIGTERM, _stop)
    print(f"sms sink listening on {args.host}:{args.port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
