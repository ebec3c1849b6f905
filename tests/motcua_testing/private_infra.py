"""A RabbitMQ node and a PostgreSQL cluster of the fault suite's own, started from this host's binaries.

The fault suite restarts the broker, stops the database and cuts every connection. Done to the
machine's shared services, that would break every other test, benchmark or developer using them at
the time; done to a private node on its own ports and data directories, it disturbs nothing else and
the faults are exactly the real thing (a real `stop_app`, a real `pg_ctl stop`).

Both need the server binaries on this host (Debian's rabbitmq-server and postgresql packages, as on
the CI machine). `available()` says whether they are there; the fault tests fail under CI=true when
they are not (see motcua_testing.infra.unavailable).
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from .ports import free_port


class InfraError(RuntimeError):
    pass


def _as_owner(user: str, command: list[str]) -> list[str]:
    """Server processes refuse to run as root (PostgreSQL) or switch users themselves (RabbitMQ's
    wrapper): as root, run them as their package's own user, who must own the data directory."""
    if os.geteuid() == 0:
        return ["runuser", "-u", user, "--", *command]
    return command


def _own(path: Path, user: str) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam(user)
        for root, dirs, files in os.walk(path):
            for name in [root, *(os.path.join(root, d) for d in dirs), *(os.path.join(root, f) for f in files)]:
                os.chown(name, entry.pw_uid, entry.pw_gid)


def _run(command: list[str], timeout: float = 120, env: dict | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    if result.returncode != 0:
        raise InfraError(f"{' '.join(command[:4])}… failed ({result.returncode}): "
                         f"{(result.stderr or result.stdout).strip()[-600:]}")
    return result.stdout


def _wait_port(port: int, up: bool, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                is_up = True
        except OSError:
            is_up = False
        if is_up == up:
            return
        if time.monotonic() > deadline:
            raise InfraError(f"port {port} still {'closed' if up else 'open'} after {timeout:.0f}s")
        time.sleep(0.1)


# ------------------------------------------------------------------------------------------------
class PrivateRabbit:
    """One RabbitMQ node (`motcua-fault-<id>@localhost`) on free ports, without plugins."""

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="motcua-rabbit-"))
        self.node = f"motcua-fault-{uuid.uuid4().hex[:8]}@localhost"
        self.port = free_port()
        self.env = {
            **os.environ,
            "RABBITMQ_NODENAME": self.node, "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(free_port()), "RABBITMQ_MNESIA_BASE": str(self.base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.base / "log"), "RABBITMQ_PID_FILE": str(self.base / "pid"),
            # An empty plugin list: the machine's management plugin would want the shared port 15672.
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.base / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.base / "rabbitmq"),
        }
        (self.base / "enabled_plugins").write_text("[].\n")

    @staticmethod
    def available() -> bool:
        return bool(shutil.which("rabbitmq-server") and shutil.which("rabbitmqctl"))

    @property
    def amqp_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def url_for(self, vhost: str) -> str:
        from urllib.parse import quote

        return f"amqp://guest:guest@127.0.0.1:{self.port}/{quote(vhost, safe='')}"

    def admin(self):
        from motcua_shared.broker.admin import RabbitmqctlAdmin

        return RabbitmqctlAdmin(node=self.node)

    def ctl(self, *args: str, timeout: float = 120) -> str:
        return _run(["rabbitmqctl", "-q", "-n", self.node, *args], timeout=timeout)

    def start(self) -> "PrivateRabbit":
        _own(self.base, "rabbitmq")
        subprocess.run(["rabbitmq-server", "-detached"], env=self.env, check=True, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ctl("wait", str(self.base / "pid"), "--timeout", "90", timeout=120)
        _wait_port(self.port, True, 30)
        return self

    def stop_app(self) -> None:
        self.ctl("stop_app")
        _wait_port(self.port, False, 30)

    def start_app(self) -> None:
        self.ctl("start_app")
        _wait_port(self.port, True, 60)

    def close_all_connections(self, reason: str) -> None:
        self.ctl("close_all_connections", reason)

    def shutdown(self) -> None:
        try:
            self.ctl("stop", timeout=60)
        except (InfraError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(self.base, ignore_errors=True)


# ------------------------------------------------------------------------------------------------
class PrivatePostgres:
    """One PostgreSQL cluster in a temporary data directory, listening on 127.0.0.1 only, trust auth."""

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
        self.data = self.base / "data"
        self.port = free_port()
        self.bin = self.find_bin()

    @staticmethod
    def find_bin() -> Path | None:
        if shutil.which("pg_config"):
            candidate = Path(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip())
            if (candidate / "initdb").exists():
                return candidate
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        return Path(found[-1]).parent if found else None

    @classmethod
    def available(cls) -> bool:
        return cls.find_bin() is not None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        _run(_as_owner("postgres", [str(self.bin / "pg_ctl"), "-D", str(self.data), *args]))

    def start(self) -> "PrivatePostgres":
        if not self.data.exists():
            _own(self.base, "postgres")
            _run(_as_owner("postgres", [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                                        "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]))
        # Five workers, five two-process APIs and the test's own engines need more than the default 100.
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c max_connections=400"
        self._ctl("-o", options, "-l", str(self.base / "server.log"), "-w", "-t", "60", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "-t", "60", "stop")

    def shutdown(self) -> None:
        if self.data.exists():
            try:
                self.stop("immediate")
            except InfraError:
                pass
        shutil.rmtree(self.base, ignore_errors=True)
