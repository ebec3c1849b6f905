"""A whole motcua system for one test: its own vhost, its own five databases, its own processes."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from motcua_shared.service import Runtime
from motcua_shared.settings import SERVICES, load
from motcua_shared.web.auth import issue_token

from .processes import ProcessGroup

TEST_SECRET = "test-secret-for-motcua-0123456789abcdef"
RETRY_DELAYS = (0.2, 0.5)


def spec_of(service: str):
    return importlib.import_module(f"motcua_{service}.service").SPEC


@dataclass
class System:
    amqp_url: str
    vhost: str
    database_urls: dict[str, str]
    var_dir: Path
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.env = {
            "AMQP_URL": self.amqp_url,
            "MOTCUA_JWT_SECRET": TEST_SECRET,
            "MOTCUA_VAR_DIR": str(self.var_dir),
            "CONSUMER_RETRY_DELAYS": ",".join(map(str, RETRY_DELAYS)),
            "OUTBOX_LEASE_SECONDS": "3",
            "OUTBOX_POLL_INTERVAL": "0.02",
            "RECONNECT_MAX_DELAY": "2",
            "BROKER_HEARTBEAT": "10",
            "LOG_LEVEL": "INFO",
            **{f"{s.upper()}_DATABASE_URL": url for s, url in self.database_urls.items()},
            # Off unless a test asks for it: tests start several workers of a service, and others run
            # beside them on this machine; a fixed port would be taken by the first.
            **{f"{s.upper()}_WORKER_METRICS_PORT": "0" for s in SERVICES},
            **self.env,
        }
        self.processes = ProcessGroup(self.var_dir, self.env)
        self._runtimes: dict[str, Runtime] = {}
        self._apps = {}

    def settings(self, service: str):
        return load(service, spec_of(service).settings, environ=self.env)

    def runtime(self, service: str) -> Runtime:
        if service not in self._runtimes:
            self._runtimes[service] = Runtime(spec_of(service), self.settings(service))
        return self._runtimes[service]

    def app(self, service: str):
        if service not in self._apps:
            module = importlib.import_module(f"motcua_{service}.app")
            self._apps[service] = module.create_app(self.settings(service))
        return self._apps[service]

    def client(self, service: str):
        return self.app(service).test_client()

    @staticmethod
    def token(*roles: str, unit: str | None = None, sub: str = "officer-1", **kwargs) -> str:
        return issue_token(secret=TEST_SECRET, roles=roles, unit=unit, sub=sub, **kwargs)

    def auth(self, *roles: str, unit: str | None = None, sub: str = "officer-1") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*roles, unit=unit, sub=sub)}"}

    def start_workers(self, *services: str, extra_env: dict[str, str] | None = None) -> None:
        for service in services or SERVICES:
            self.processes.start(f"{service}-worker", service, "worker", extra_env)

    def count(self, service: str, table: str) -> int:
        rt = self.runtime(service)
        with rt.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(rt.spec.metadata.tables[table])).scalar_one()

    def rows(self, service: str, table: str) -> list[dict]:
        rt = self.runtime(service)
        with rt.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(rt.spec.metadata.tables[table])).mappings()]

    def close(self) -> None:
        self.processes.stop_all()
        for rt in self._runtimes.values():
            rt.close()
        for app in self._apps.values():
            app.extensions["motcua"].close()
