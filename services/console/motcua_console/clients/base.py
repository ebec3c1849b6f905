"""The base API client: the officer's bearer token, `X-Correlation-ID`, explicit time-outs, and answers
turned into values or typed exceptions (never a `None` that a page would show as "nothing").

The services stay the authority on roles and unit scope: the console sends the officer's own token and
shows what it is answered, a 404 outside the officer's units included.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx
from prometheus_client import Histogram
from werkzeug.http import parse_options_header

from motcua_shared import context, tracing

BACKEND_SECONDS = Histogram("motcua_console_backend_seconds", "Time the console waited for a service",
                            ["service", "method", "status"])


@dataclass(frozen=True)
class Problem:
    """An RFC 9457 problem answer as the services send it."""
    status: int
    code: str
    title: str = ""
    detail: str = ""
    invalid_params: tuple[dict, ...] = ()
    raw: dict = field(default_factory=dict)

    @classmethod
    def from_response(cls, response: httpx.Response) -> "Problem":
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        params = body.get("invalid_params") or ()
        return cls(status=response.status_code, code=str(body.get("code") or ""), title=str(body.get("title") or ""),
                   detail=str(body.get("detail") or ""),
                   invalid_params=tuple(p for p in params if isinstance(p, dict)), raw=body)


class ApiError(Exception):
    def __init__(self, service: str, problem: Problem | None = None):
        super().__init__(f"{service}: {problem.status if problem else 'unavailable'} {problem.code if problem else ''}")
        self.service = service
        self.problem = problem


class Invalid(ApiError):
    """400/422: the request was refused field by field (`problem.invalid_params`)."""


class Unauthorized(ApiError):
    """401: the service did not accept the console's token."""


class Forbidden(ApiError):
    """403: the officer's role may not do this."""


class NotFound(ApiError):
    """404: unknown, or outside the officer's units (the services answer both alike)."""


class Conflict(ApiError):
    """409: the dossier or step is not in a state that allows this (someone else acted first)."""


class RateLimited(ApiError):
    def __init__(self, service: str, problem: Problem | None, retry_after: int):
        super().__init__(service, problem)
        self.retry_after = retry_after


class Unavailable(ApiError):
    """5xx, a time-out or a refused connection: the service could not answer now."""


_BY_STATUS = {400: Invalid, 422: Invalid, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict}


@dataclass(frozen=True)
class Raw:
    """A non-JSON answer passed through as it is (printable forms, CSV and XLSX downloads)."""
    content: bytes
    content_type: str
    filename: str | None = None


class ApiClient:
    """One service, one pooled connection, the token of whoever is signed in (`token()`)."""

    service = ""

    def __init__(self, http: httpx.Client, token: Callable[[], str]):
        self.http = http
        self.token = token

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {self.token()}", "Accept": "application/json"}
        cid = context.correlation_id()
        if cid:
            headers["X-Correlation-ID"] = cid
        return {**headers, **(extra or {})}

    def _send(self, method: str, path: str, *, params=None, json=None, files=None, headers=None,
              retry: bool = False, timeout: float | None = None):
        params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        attempts = 2 if retry else 1
        extra = {"timeout": httpx.Timeout(timeout, connect=2.0)} if timeout else {}
        for attempt in range(attempts):
            started = time.perf_counter()
            sent = self._headers(headers)
            try:
                # One CLIENT span per attempt; its traceparent goes along (tracing.py; off: nothing).
                with tracing.http_client_span(self.service, method, sent) as span:
                    response = self.http.request(method, path, params=params, json=json, files=files,
                                                 headers=sent, **extra)
                    tracing.responded(span, response.status_code)
            except httpx.HTTPError:
                BACKEND_SECONDS.labels(self.service, method, "unreachable").observe(time.perf_counter() - started)
                if attempt + 1 < attempts:
                    continue
                raise Unavailable(self.service) from None
            BACKEND_SECONDS.labels(self.service, method, str(response.status_code)).observe(
                time.perf_counter() - started)
            if response.status_code >= 500 and attempt + 1 < attempts:
                continue
            return self._check(response)
        raise Unavailable(self.service)  # pragma: no cover (the loop always returns or raises)

    def _check(self, response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if status < 400:
            return response
        problem = Problem.from_response(response)
        if status == 429:
            try:
                wait = int(response.headers.get("Retry-After", "60"))
            except ValueError:
                wait = 60
            raise RateLimited(self.service, problem, wait)
        if status >= 500:
            raise Unavailable(self.service, problem)
        raise _BY_STATUS.get(status, Invalid)(self.service, problem)

    # Reads are retried once (idempotent); writes never, except where the service takes an
    # Idempotency-Key (reception), which the caller passes in `headers`.
    def get(self, path: str, **params) -> Any:
        return self._send("GET", path, params=params, retry=True).json()

    def raw(self, path: str, accept: str = "text/html", **params) -> Raw:
        response = self._send("GET", path, params=params, headers={"Accept": accept}, retry=True)
        # werkzeug reads RFC 6266 fully: a `filename*` (UTF-8, as reporting sends) wins over `filename`.
        _, options = parse_options_header(response.headers.get("Content-Disposition", ""))
        return Raw(response.content, response.headers.get("Content-Type", accept), options.get("filename") or None)

    def post(self, path: str, body: dict | None = None, headers: dict | None = None) -> Any:
        response = self._send("POST", path, json=body if body is not None else {}, headers=headers,
                              retry=bool(headers and "Idempotency-Key" in headers))
        return response.json() if response.content else None

    def upload(self, path: str, files: dict, *, params: dict | None = None,
               timeout: float | None = None) -> httpx.Response:
        """A multipart POST (a file the service reads whole before it answers, hence its own time-out);
        never retried. The response itself, for callers that tell 200 from 201."""
        return self._send("POST", path, params=params, files=files, timeout=timeout)

    def put(self, path: str, body: dict) -> Any:
        response = self._send("PUT", path, json=body)
        return response.json() if response.content else None

    def delete(self, path: str) -> None:
        self._send("DELETE", path)


class Backends:
    """The five clients for one request, sharing the process's pooled connections."""

    def __init__(self, pools: dict[str, httpx.Client], token: Callable[[], str]):
        from .intake import IntakeClient
        from .notification import NotificationClient
        from .postal import PostalClient
        from .reporting import ReportingClient
        from .routing import RoutingClient

        self.intake = IntakeClient(pools["intake"], token)
        self.routing = RoutingClient(pools["routing"], token)
        self.notification = NotificationClient(pools["notification"], token)
        self.postal = PostalClient(pools["postal"], token)
        self.reporting = ReportingClient(pools["reporting"], token)


def make_pools(settings, transports: dict[str, httpx.BaseTransport] | None = None) -> dict[str, httpx.Client]:
    """One pooled client per service. Tests pass `transports` to mount a service in process
    (httpx.WSGITransport) instead of reaching it over a port."""
    from ..config import BACKENDS

    timeout = httpx.Timeout(settings.console_backend_timeout, connect=2.0)
    pools = {}
    for name in BACKENDS:
        transport = (transports or {}).get(name)
        pools[name] = httpx.Client(base_url=getattr(settings, f"console_{name}_url"), timeout=timeout,
                                   transport=transport, follow_redirects=False)
    return pools
