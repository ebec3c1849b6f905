"""Broker administration: vhosts, users and permissions, through rabbitmqctl on the broker's host
or through the management HTTP API (a broker in a container, or a remote one).

Used by `make run` (create the service and partner users of docs/contracts.md §4) and by the test
fixtures (a fresh vhost per test, so tests never see each other's messages).
"""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import urllib.parse
import urllib.request
from typing import Protocol

from .permissions import Permission


class BrokerAdmin(Protocol):
    def add_vhost(self, vhost: str) -> None: ...
    def delete_vhost(self, vhost: str) -> None: ...
    def ensure_user(self, user: str, password: str, tags: str = "") -> None: ...
    def set_permissions(self, vhost: str, permission: Permission) -> None: ...


class RabbitmqctlAdmin:
    def __init__(self, executable: str = "rabbitmqctl", node: str | None = None):
        self.executable = executable
        self.node = node  # None: the default node of this host (rabbit@<host>)

    @staticmethod
    def available() -> bool:
        return shutil.which("rabbitmqctl") is not None

    def _run(self, *args: str, ok_if: str | None = None) -> None:
        node = ["-n", self.node] if self.node else []
        result = subprocess.run([self.executable, "-q", *node, *args], capture_output=True, text=True, timeout=60)
        if result.returncode != 0 and not (ok_if and ok_if in (result.stderr + result.stdout)):
            raise RuntimeError(f"rabbitmqctl {args[0]} failed: {result.stderr.strip()[:300]}")

    def add_vhost(self, vhost: str) -> None:
        self._run("add_vhost", vhost, ok_if="already exists")

    def delete_vhost(self, vhost: str) -> None:
        self._run("delete_vhost", vhost, ok_if="not_found")

    def ensure_user(self, user: str, password: str, tags: str = "") -> None:
        self._run("add_user", user, password, ok_if="already exists")
        self._run("change_password", user, password)
        self._run("set_user_tags", user, *([tags] if tags else []))

    def set_permissions(self, vhost: str, permission: Permission) -> None:
        self._run("set_permissions", "-p", vhost, permission.user, permission.configure, permission.write,
                  permission.read)


class ManagementApiAdmin:
    def __init__(self, base_url: str, username: str, password: str):
        self.base_url = base_url.rstrip("/")
        self.auth = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()

    def _call(self, method: str, path: str, body: dict | None = None) -> None:
        request = urllib.request.Request(self.base_url + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": self.auth, "Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=30).close()
        except urllib.error.HTTPError as exc:
            if not (method == "DELETE" and exc.code == 404):
                raise RuntimeError(f"management API {method} {path}: {exc.code}") from None

    @staticmethod
    def _q(name: str) -> str:
        return urllib.parse.quote(name, safe="")

    def add_vhost(self, vhost: str) -> None:
        self._call("PUT", f"/api/vhosts/{self._q(vhost)}", {})

    def delete_vhost(self, vhost: str) -> None:
        self._call("DELETE", f"/api/vhosts/{self._q(vhost)}")

    def ensure_user(self, user: str, password: str, tags: str = "") -> None:
        self._call("PUT", f"/api/users/{self._q(user)}", {"password": password, "tags": tags})

    def set_permissions(self, vhost: str, permission: Permission) -> None:
        self._call("PUT", f"/api/permissions/{self._q(vhost)}/{self._q(permission.user)}",
                   {"configure": permission.configure, "write": permission.write, "read": permission.read})


def default_admin(management_url: str = "", username: str = "guest", password: str = "guest") -> BrokerAdmin:
    if management_url:
        return ManagementApiAdmin(management_url, username, password)
    if RabbitmqctlAdmin.available():
        return RabbitmqctlAdmin()
    raise RuntimeError("no way to administer the broker: set RABBITMQ_MANAGEMENT_URL or run where rabbitmqctl is")
