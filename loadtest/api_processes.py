"""The five APIs as real gunicorn processes, and an HTTP client that rides out their outages.

`pipeline_load.py --api gunicorn` and the fault suite drive the system through these instead of
in-process Flask test clients: the requests cross a socket into gunicorn's worker processes, which is
how the system runs in production, and a process can be SIGKILLed and started again under load.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import requests

from motcua_shared.settings import SERVICES
from motcua_testing.ports import free_port

# Statuses that say "not now" rather than "no": the process is restarting, or its database is away.
TRANSIENT = {502, 503, 504}


def start_apis(system, web_workers: int = 2, ready_timeout: float = 90) -> dict[str, str]:
    """Start `<service>-api` processes in the system's process group; answer their base URLs once ready."""
    bases = {}
    for service in SERVICES:
        port = free_port()
        system.processes.start(f"{service}-api", service, "api",
                               {f"{service.upper()}_PORT": str(port), f"{service.upper()}_WEB_WORKERS": str(web_workers)})
        bases[service] = f"http://127.0.0.1:{port}"
    for service, base in bases.items():
        wait_ready(system, service, base, ready_timeout)
    return bases


def wait_ready(system, service: str, base: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        proc = system.processes.procs[f"{service}-api"]
        if proc.popen.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{service}-api did not become ready; last lines:\n{system.processes.log(f'{service}-api')[-1500:]}")
        time.sleep(0.2)


@dataclass
class HttpAnswer:
    """What the load code reads of an answer, as a Flask test response offers it."""

    status_code: int
    body: object
    # True when an earlier attempt of this request may have been carried out (its answer was lost):
    # a 409 "already done" is then the expected echo of our own success.
    after_ambiguity: bool = False

    def get_json(self):
        return self.body


class HttpClient:
    """requests against one API, retrying connection failures and 502/503/504 until `patience` runs out."""

    def __init__(self, base: str, patience: float = 120.0, timeout: float = 15.0):
        self.base = base
        self.patience = patience
        self.timeout = timeout
        self.session = requests.Session()
        self.retries = 0

    def get(self, path: str, headers=None) -> HttpAnswer:
        return self._call("GET", path, headers, None)

    def post(self, path: str, headers=None, json=None) -> HttpAnswer:
        return self._call("POST", path, headers, json)

    def _call(self, method: str, path: str, headers, body) -> HttpAnswer:
        deadline = time.monotonic() + self.patience
        ambiguous = False
        delay = 0.1
        while True:
            try:
                answer = self.session.request(method, self.base + path, headers=headers, json=body,
                                              timeout=self.timeout)
                if answer.status_code not in TRANSIENT:
                    try:
                        parsed = answer.json()
                    except ValueError:
                        parsed = None
                    return HttpAnswer(answer.status_code, parsed, ambiguous)
                # A 503 from our own API means its database or broker is away: nothing was done.
                problem = f"{answer.status_code}"
            except requests.ConnectionError as exc:
                # Refused before sending is harmless; reset after sending may have done the work.
                ambiguous = ambiguous or "refused" not in str(exc).lower()
                problem = type(exc).__name__
            except (requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                # No answer in time, or the answer cut off mid-body (the process died while replying).
                ambiguous = True
                problem = type(exc).__name__
            self.retries += 1
            if time.monotonic() + delay > deadline:
                raise RuntimeError(f"{method} {path}: still failing after {self.patience:.0f}s ({problem})")
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
            self.session = requests.Session()  # a fresh pool: the old one may hold dead sockets

