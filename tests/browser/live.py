"""A live motcua system a real browser can use: the real broker (its own vhost) and PostgreSQL (its own
databases), every real worker running, the five services' APIs and the console each served over HTTP
on a loopback port: by a threaded werkzeug server in a daemon thread of this process (quick to start),
or by its own gunicorn process as deployed (`served_by="gunicorn"`).

Shared by the browser tests (tests/browser/conftest.py), the screenshots (scripts/console_screenshots.py)
and the page-time benchmark (benchmarks/console_pages.py), so all three look at the same kind of system.
"""
from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from werkzeug.serving import WSGIRequestHandler, make_server

from motcua_shared.broker.setup import declare_system
from motcua_shared.settings import SERVICES

from motcua_console.app import create_app as create_console

from console.support import PASSWORD, Console, console_settings
from motcua_testing.system import RETRY_DELAYS, System, spec_of

__all__ = ["PASSWORD", "LiveSystem", "Served", "serve"]


class _Quiet(WSGIRequestHandler):
    """No access log line per request: the benchmark alone makes tens of thousands."""

    def log_request(self, *args, **kwargs):
        pass


@dataclass
class Served:
    """One WSGI app on 127.0.0.1 in a daemon thread."""
    server: object
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(app) -> Served:
    # Port 0: the kernel picks a free port at bind time, so no other process can take it in between.
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{server.server_port}", daemon=True)
    thread.start()
    return Served(server, thread)


@dataclass
class _Process:
    """An API served by its own gunicorn process (stopped with the system's process group)."""
    url: str


@dataclass
class LiveSystem:
    broker: object            # motcua_testing.infra.Broker
    database_factory: object  # motcua_testing.databases.DatabaseFactory
    var_dir: Path
    console_env: dict = field(default_factory=dict)
    # "werkzeug": the APIs and the console in this process, each on a threaded werkzeug server (quick
    # to start; what the browser tests use). "gunicorn": each as its own `python -m motcua_<name> api`
    # process, as deployed (shipped worker counts unless `web_workers` says otherwise); the benchmark.
    served_by: str = "werkzeug"
    web_workers: int | None = None

    def start(self) -> "LiveSystem":
        from motcua_shared.broker.permissions import Permission

        import pika

        self._servers: list[Served] = []
        self._databases: list[str] = []
        self.vhost = f"b-{uuid.uuid4().hex[:10]}"
        admin = self.broker.admin()
        admin.add_vhost(self.vhost)
        admin.set_permissions(self.vhost, Permission(pika.URLParameters(self.broker.amqp_url).credentials.username,
                                                     ".*", ".*", ".*"))
        amqp_url = self.broker.url_for(self.vhost)
        declare_system(amqp_url, RETRY_DELAYS)
        urls = {name: self._database(name) for name in SERVICES}
        self.system = System(amqp_url=amqp_url, vhost=self.vhost, database_urls=urls, var_dir=self.var_dir)
        self.system.start_workers()
        if self.served_by == "gunicorn":
            self.api = {name: self._gunicorn(name, {}) for name in SERVICES}
        else:
            self.api = {name: serve(self.system.app(name)) for name in SERVICES}
            self._servers += self.api.values()
        self.console = self.new_console(**self.console_env)
        return self

    def _gunicorn(self, name: str, env: dict) -> "_Process":
        """`python -m motcua_<name> api` on a free port, once it answers /readyz."""
        from motcua_testing.ports import free_port

        port = free_port()
        extra = {**env, f"{name.upper()}_PORT": str(port)}
        if self.web_workers:
            extra[f"{name.upper()}_WEB_WORKERS"] = str(self.web_workers)
        label = f"{name}-api"
        if label in self.system.processes.procs:  # a second console
            label = f"{label}-{len(self.system.processes.procs)}"
        proc = self.system.processes.start(label, name, "api", extra)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    return _Process(base)
            except httpx.HTTPError:
                pass
            if proc.popen.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{label} did not start:\n{self.system.processes.log(label)[-2000:]}")
            time.sleep(0.2)

    def _database(self, service: str) -> str:
        name = self.database_factory.create(spec_of(service))
        self._databases.append(name)
        return self.database_factory.url(name)

    def api_url(self, service: str) -> str:
        return self.api[service].url

    def new_console(self, **env) -> Console:
        """A console on its own database in front of this system's APIs, served over HTTP (`.url`)."""
        backends = {f"CONSOLE_{name.upper()}_URL": self.api_url(name) for name in SERVICES}
        database = self._database("console")
        # The app in this process also serves to create accounts (on the same database) under gunicorn.
        app = create_console(console_settings(database, **backends, **env))
        console = Console(app=app, services={name: self.system.app(name) for name in SERVICES})
        if self.served_by == "gunicorn":
            console.url = self._gunicorn("console", {"CONSOLE_DATABASE_URL": database, **backends, **env}).url
        else:
            served = serve(app)
            self._servers.append(served)
            console.url = served.url
        return console

    # -- the services' APIs, for what no page does (yet) --------------------------------------------------
    def call(self, service: str, method: str, path: str, *roles: str, unit: str | None = None,
             sub: str = "officer-1", **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {System.token(*roles, unit=unit, sub=sub)}"} if roles else {}
        with httpx.Client(base_url=self.api_url(service), timeout=30) as client:
            return client.request(method, path, headers=headers, **kwargs)

    def close(self) -> None:
        # Each server's shutdown waits out its poll interval: stop them side by side.
        stopping = [threading.Thread(target=served.close) for served in getattr(self, "_servers", [])]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join(10)
        if getattr(self, "system", None):
            self.system.close()
        for name in getattr(self, "_databases", []):
            self.database_factory.drop(name)
        try:
            self.broker.admin().delete_vhost(self.vhost)
        except Exception:  # the vhost is a test's leftover at worst
            logging.getLogger(__name__).warning("could not delete vhost %s", self.vhost)
